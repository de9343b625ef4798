using System;
using KeOpsGen;

namespace KeOpsGen.Benchmarks;

/// <summary>
/// Embedding-sized dimensions: the Gaussian sum, k-NN (ArgKMin K = 10 of SqDist, the blocked path)
/// and LogSumExp of a scaled scalar product, float, at D = 64, 128, 256, 1024.
/// </summary>
public static partial class LargeKernels
{
    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(64)", "Y = Vj(64)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void Gauss64(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("SqDist(X,Y)", "X = Vi(64)", "Y = Vj(64)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Knn64(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("S*(X|Y)", "X = Vi(64)", "Y = Vj(64)", "S = Pm(1)", Op = ReductionOp.LogSumExp)]
    public static partial void Lse64(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(128)", "Y = Vj(128)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void Gauss128(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("SqDist(X,Y)", "X = Vi(128)", "Y = Vj(128)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Knn128(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("S*(X|Y)", "X = Vi(128)", "Y = Vj(128)", "S = Pm(1)", Op = ReductionOp.LogSumExp)]
    public static partial void Lse128(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(256)", "Y = Vj(256)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void Gauss256(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("SqDist(X,Y)", "X = Vi(256)", "Y = Vj(256)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Knn256(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("S*(X|Y)", "X = Vi(256)", "Y = Vj(256)", "S = Pm(1)", Op = ReductionOp.LogSumExp)]
    public static partial void Lse256(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(1024)", "Y = Vj(1024)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void Gauss1024(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("SqDist(X,Y)", "X = Vi(1024)", "Y = Vj(1024)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Knn1024(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("S*(X|Y)", "X = Vi(1024)", "Y = Vj(1024)", "S = Pm(1)", Op = ReductionOp.LogSumExp)]
    public static partial void Lse1024(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> result);

    public static void Gauss(int d, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result)
    {
        switch (d)
        {
            case 64: Gauss64(x, y, b, g, result); break;
            case 128: Gauss128(x, y, b, g, result); break;
            case 256: Gauss256(x, y, b, g, result); break;
            default: Gauss1024(x, y, b, g, result); break;
        }
    }

    public static void Knn(int d, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices)
    {
        switch (d)
        {
            case 64: Knn64(x, y, indices); break;
            case 128: Knn128(x, y, indices); break;
            case 256: Knn256(x, y, indices); break;
            default: Knn1024(x, y, indices); break;
        }
    }

    public static void Lse(int d, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> result)
    {
        switch (d)
        {
            case 64: Lse64(x, y, s, result); break;
            case 128: Lse128(x, y, s, result); break;
            case 256: Lse256(x, y, s, result); break;
            default: Lse1024(x, y, s, result); break;
        }
    }
}
