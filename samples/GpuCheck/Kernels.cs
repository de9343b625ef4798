using System;
using KeOpsGen;

namespace GpuCheck;

/// <summary>The benchmarked reductions; Backend stays Auto so the runner picks CPU or CUDA per call.</summary>
internal static partial class Kernels
{
    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void GaussE1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(3)", "G = Pm(1)")]
    public static partial void GaussE3(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)")]
    public static partial void Seed(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> p, Span<float> result);

    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)")]
    public static partial void SeedDouble(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, Span<double> result);
}
