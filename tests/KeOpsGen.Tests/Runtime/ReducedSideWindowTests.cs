using System;
using System.Diagnostics;
using KeOpsGen.Cpu;
using KeOpsGen.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace KeOpsGen.Tests.Runtime;

/// <summary>
/// The reduced side gathered in windows of tiles per worker instead of one shared copy: results
/// against float64 references with windows forced at small sizes (every reduction driver, in
/// parallel), and calls at and just past the old limit of one copy (2^31 values), over zero
/// memory with a few rows written, which ran out of array space before.
/// </summary>
public sealed unsafe partial class ReducedSideWindowTests
{
    private readonly ITestOutputHelper _output;

    public ReducedSideWindowTests(ITestOutputHelper output) => _output = output;

    [Reduction("Exp(-SqDist(X,Y)) + B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", Accumulation = Accumulation.Double)]
    private static partial void GaussPlusB(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, Span<float> result);

    [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.LogSumExp)]
    private static partial void LogSumExpOfDistances(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgKMin, K = 3)]
    private static partial void ThreeNearest(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgMin)]
    private static partial void Nearest(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    /// <summary>Windows of fewer rows than a tile (one tile each) and of a couple of tiles (not a multiple).</summary>
    [Theory]
    [InlineData(100)]
    [InlineData(2500)]
    public void WindowedReductionsMatchTheFloat64Reference(int windowRows)
    {
        // 500 × 5003 pairs: over the parallel threshold, so workers gather their own windows.
        const int n = 500, m = 5003;
        var random = new SeededRandom(nameof(WindowedReductionsMatchTheFloat64Reference), windowRows);
        float[] x = random.Floats(n * 3, -1, 1), y = random.Floats(m * 3, -1, 1), b = random.Floats(m, -1, 1);
        var sum = new float[n];
        var lse = new float[n];
        var knn = new int[n * 3];
        var nearest = new int[n];
        CpuEngine.ForcedWindowRows = windowRows;
        try
        {
            GaussPlusB(x, y, b, sum);
            LogSumExpOfDistances(x, y, lse);
            ThreeNearest(x, y, knn);
            Nearest(x, y, nearest);
        }
        finally
        {
            CpuEngine.ForcedWindowRows = 0;
        }

        double Distance(int i, int j)
        {
            double d = 0;
            for (int k = 0; k < 3; k++)
            {
                double t = (double)x[(i * 3) + k] - y[(j * 3) + k];
                d += t * t;
            }

            return d;
        }

        for (int i = 0; i < n; i++)
        {
            double s = 0, max = double.NegativeInfinity;
            var distances = new double[m];
            for (int j = 0; j < m; j++)
            {
                distances[j] = Distance(i, j);
                s += Math.Exp(-distances[j]) + b[j];
                max = Math.Max(max, -distances[j]);
            }

            double e = 0;
            for (int j = 0; j < m; j++)
            {
                e += Math.Exp(-distances[j] - max);
            }

            // float inputs, double accumulation: terms carry float rounding (about 1e-7 each).
            Assert.True(Math.Abs(sum[i] - s) <= 1e-5 * (1 + Math.Abs(s)), $"{random} sum row {i}: {sum[i]} vs {s}");
            Assert.True(Math.Abs(lse[i] - (max + Math.Log(e))) <= 1e-4, $"{random} logsumexp row {i}: {lse[i]} vs {max + Math.Log(e)}");
            double[] sorted = (double[])distances.Clone();
            Array.Sort(sorted);
            for (int k = 0; k < 3; k++)
            {
                // Near-ties may swap in float; the k-th selected distance must be the k-th smallest.
                Assert.True(Math.Abs(distances[knn[(i * 3) + k]] - sorted[k]) <= 1e-5, $"{random} row {i}: neighbour {k} is {knn[(i * 3) + k]}");
            }

            Assert.True(Math.Abs(distances[nearest[i]] - sorted[0]) <= 1e-5, $"{random} row {i}: nearest is {nearest[i]}");
        }
    }

    /// <summary>
    /// M rows × 4 reduced components at the largest M the old single copy held (2^31 values) and
    /// one row past it (which threw "over the limit of one .NET array"): zeros give terms of 1,
    /// and three rows of B written to 1000 (the first, the first past the old limit's half, the
    /// last) must each add 1000: a skipped or repeated window moves the sum by thousands.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void CallsAtAndPastTheOldCopyLimitRunInWindows(int pastLimit)
    {
        int atLimit = (int)((Array.MaxLength / 4) & ~15L);
        int m = atLimit + pastLimit;
        using var ySpace = new AddressSpace(3L * m * sizeof(float));
        using var bSpace = new AddressSpace((long)m * sizeof(float));
        int[] written = { 0, m / 2 + 1, m - 1 };
        foreach (int row in written)
        {
            bSpace.Write(row, 1000);
        }

        var x = new float[3];
        var result = new float[1];
        var clock = Stopwatch.StartNew();
        GaussPlusB(x, ySpace.Floats(3 * m), bSpace.Floats(m), result);
        _output.WriteLine($"M = {m:N0}: {clock.Elapsed.TotalSeconds:F1} s, sum {result[0]:R}");

        // Accumulated in double, stored in float: exact up to the float spacing near 5.4e8 (32).
        double expected = m + (1000.0 * written.Length);
        Assert.True(Math.Abs(result[0] - expected) <= 32, $"M = {m}: sum {result[0]:R}, expected {expected:R}");
    }
}
