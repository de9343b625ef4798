using System;
using KeOpsGen;

namespace KeOpsGen.Mpi.Driver;

/// <summary>One reduction of each family, with the generated gradients the checks use.</summary>
public static partial class Kernels
{
    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.Sum, Axis = 1, GradientOrder = 1)]
    public static partial void Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vi(2)", "G = Pm(1)", Op = ReductionOp.Sum, Axis = 0, GradientOrder = 1)]
    public static partial void GaussOverI(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.MinArgMin, Axis = 1, GradientOrder = 1)]
    public static partial void Nearest(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> values, Span<int> indices);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgMax, Axis = 1, GradientOrder = 1)]
    public static partial void Farthest(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<int> indices);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.KMinArgKMin, K = 5, Axis = 1, GradientOrder = 1)]
    public static partial void Knn(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> values, Span<int> indices);

    [Reduction("-G*SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "G = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 1, GradientOrder = 1)]
    public static partial void Lse(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("-G*SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.LogSumExp, Weight = "B", Axis = 1, GradientOrder = 1)]
    public static partial void LseWeighted(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("-G*SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "B", Axis = 1, GradientOrder = 1)]
    public static partial void SoftMax(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("-G*SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "G = Pm(1)", Op = ReductionOp.MaxSumShiftExp, Axis = 1, GradientOrder = 1)]
    public static partial void Shift(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> result);
}
