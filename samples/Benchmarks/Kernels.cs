using System;
using KeOpsGen;

namespace KeOpsGen.Benchmarks;

/// <summary>The benchmarked reductions, generated at build time.</summary>
public static partial class Kernels
{
    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void GaussF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(3)", "G = Pm(1)")]
    public static partial void GaussF3(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void GaussD(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(3)", "G = Pm(1)")]
    public static partial void GaussD3(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)")]
    public static partial void SeedF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> p, Span<float> result);

    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)")]
    public static partial void SeedD(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, Span<double> result);

    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", GradientOrder = 1)]
    public static partial void Seed2F(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> p, Span<float> result);

    [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.LogSumExp)]
    public static partial void LseF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

    [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.LogSumExp)]
    public static partial void LseD(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Knn3F(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("SqDist(X,Y)", "X = Vi(16)", "Y = Vj(16)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Knn16F(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Knn3D(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<int> indices);

    /// <summary>Used only for the first-call measurement: never called before it.</summary>
    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void GaussFirstCall(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    /// <summary>A second never-called kernel, for the first call after the runtime is warm.</summary>
    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void GaussSecondKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);
}
