using System;
using KeOpsGen;

namespace GpuCheck;

/// <summary>The checked and benchmarked reductions; the runner picks the backend per call.</summary>
internal static partial class Kernels
{
    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void GaussE1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(3)", "G = Pm(1)")]
    public static partial void GaussE3(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void GaussE1Double(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("-G*SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "G = Pm(1)", Op = ReductionOp.LogSumExp)]
    public static partial void Lse(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Knn3(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("SqDist(X,Y)", "X = Vi(16)", "Y = Vj(16)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Knn16(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("SqDist(X,Y)", "X = Vi(128)", "Y = Vj(128)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Knn128(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", GradientOrder = 1)]
    public static partial void Seed(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> p, Span<float> result);

    // One method per remaining reduction, on one formula: the correctness sweep.
    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MinArgMin)]
    public static partial void MinArgMin(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MaxArgMax, Axis = 0)]
    public static partial void MaxArgMax(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMinArgKMin, K = 4)]
    public static partial void KMinArgKMin(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "W = Vj(2)", Op = ReductionOp.SumSoftMaxWeight, Weight = "W")]
    public static partial void SoftMax(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> result);

    [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.MaxSumShiftExp, Axis = 0)]
    public static partial void MaxSumShift(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);
}
