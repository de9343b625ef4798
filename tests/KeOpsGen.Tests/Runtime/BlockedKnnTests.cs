using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KeOpsGen.Tests.Generator;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Runtime;

/// <summary>
/// The blocked k-NN path (KeOpsGen.Cpu.BlockedDistance) the generator dispatches the Min/KMin
/// families of SqDist and −(X|Y) at D ≥ 64 to: against float64 brute force written here, and
/// against the generic engine (the same generated method with all-pairs ranges, which the blocked
/// path declines). D = 67 is not a multiple of any vector width.
/// </summary>
public static partial class BlockedKnnTests
{
    private const int D = 67;
    private const int K = 5;

    [Reduction("SqDist(X,Y)", "X = Vi(67)", "Y = Vj(67)", Op = ReductionOp.KMinArgKMin, K = 5)]
    internal static partial void SqF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> values, Span<int> indices);

    [Reduction("SqDist(X,Y)", "X = Vi(67)", "Y = Vj(67)", Op = ReductionOp.KMinArgKMin, K = 5)]
    internal static partial void SqD(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> values, Span<int> indices);

    // Axis 0: the output rows are the j side; the formula reversed and the scalar-product metric.
    [Reduction("-(Y|X)", "X = Vi(67)", "Y = Vj(67)", Op = ReductionOp.KMinArgKMin, K = 5, Axis = 0)]
    internal static partial void DotF0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> values, Span<int> indices);

    [Reduction("SqDist(Y,X)", "X = Vi(64)", "Y = Vj(64)", Op = ReductionOp.MinArgMin)]
    internal static partial void MinD(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> values, Span<int> indices);

    public static IEnumerable<object[]> Sizes => new[]
    {
        new object[] { 1, 1 }, new object[] { 9, 33 }, new object[] { 130, 70 }, new object[] { 3, 2 }, new object[] { 1100, 2100 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void SquaredDistanceMatchesFloat64BruteForce(int n, int m)
    {
        var random = new SeededRandom(nameof(SquaredDistanceMatchesFloat64BruteForce), n, m);
        float[] xf = random.Floats(n * D, -1, 1), yf = random.Floats(m * D, -1, 1);
        var (vf, jf) = RunSqF(xf, yf, n, m, blocked: true);
        Check(random, "float", ToDouble(xf), ToDouble(yf), n, m, D, K, metric: 0, vf, jf, isFloat: true);

        double[] xd = random.Doubles(n * D, -1, 1), yd = random.Doubles(m * D, -1, 1);
        var vd = new double[n * K];
        var jd = new int[n * K];
        SqD(xd, yd, vd, jd);
        Check(random, "double", xd, yd, n, m, D, K, metric: 0, vd, jd, isFloat: false);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void NegatedScalarProductOnAxis0MatchesFloat64BruteForce(int n, int m)
    {
        // Axis 0 reduces over i for every j: the reference swaps the roles.
        var random = new SeededRandom(nameof(NegatedScalarProductOnAxis0MatchesFloat64BruteForce), n, m);
        float[] x = random.Floats(n * D, -1, 1), y = random.Floats(m * D, -1, 1);
        var values = new float[m * K];
        var indices = new int[m * K];
        DotF0(x, y, values, indices);
        Check(random, "float axis 0", ToDouble(y), ToDouble(x), m, n, D, K, metric: 1, values.Select(v => (double)v).ToArray(), indices, isFloat: true);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void MinArgMinMatchesFloat64BruteForce(int n, int m)
    {
        var random = new SeededRandom(nameof(MinArgMinMatchesFloat64BruteForce), n, m);
        double[] x = random.Doubles(n * 64, -1, 1), y = random.Doubles(m * 64, -1, 1);
        var values = new double[n];
        var indices = new int[n];
        MinD(x, y, values, indices);
        Check(random, "double Min", x, y, n, m, 64, 1, metric: 0, values, indices, isFloat: false);
    }

    [Fact]
    public static void TiesGoToTheSmallestIndex()
    {
        // Small integer coordinates: every distance is an exact integer in both the product form
        // and Σ(x − y)², and many reduced rows are exact copies, so the expected order is exact.
        var random = new SeededRandom(nameof(TiesGoToTheSmallestIndex));
        const int n = 40, m = 300;
        var distinct = Enumerable.Range(0, 7).Select(_ => Enumerable.Range(0, D).Select(_ => (float)random.Next(3)).ToArray()).ToArray();
        float[] y = Enumerable.Range(0, m).SelectMany(j => distinct[random.Next(distinct.Length)]).ToArray();
        float[] x = Enumerable.Range(0, n * D).Select(_ => (float)random.Next(3)).ToArray();
        var (values, indices) = RunSqF(x, y, n, m, blocked: true);
        for (int i = 0; i < n; i++)
        {
            var expected = Enumerable.Range(0, m).Select(j => (Distance: Reference(ToDouble(x), ToDouble(y), i, j, D, 0), Index: j))
                .OrderBy(p => p.Distance).ThenBy(p => p.Index).Take(K).ToArray();
            Assert.True(expected.Select(p => p.Index).SequenceEqual(indices.Skip(i * K).Take(K)),
                $"{random} row {i}: expected {string.Join(",", expected.Select(p => p.Index))}, got {string.Join(",", indices.Skip(i * K).Take(K))}");
            Assert.True(expected.Select(p => p.Distance).SequenceEqual(values.Skip(i * K).Take(K)), $"{random} row {i}: values");
        }
    }

    [Fact]
    public static void NaNRowsAndTooFewTermsAreTheGenericPathsResult()
    {
        // An i row with a NaN keeps nothing (+∞, −1 everywhere); a j row with a NaN is never kept;
        // K = 5 > M = 3 leaves slots 3 and 4 empty. The generic engine must say the same.
        var random = new SeededRandom(nameof(NaNRowsAndTooFewTermsAreTheGenericPathsResult));
        const int n = 20, m = 3;
        float[] x = random.Floats(n * D, -1, 1), y = random.Floats(m * D, -1, 1);
        x[(4 * D) + 17] = float.NaN;
        y[(1 * D) + 66] = float.NaN;
        var (bv, bi) = RunSqF(x, y, n, m, blocked: true);
        var (gv, gi) = RunSqF(x, y, n, m, blocked: false);
        for (int i = 0; i < n; i++)
        {
            int kept = i == 4 ? 0 : 2;
            for (int s = 0; s < K; s++)
            {
                int at = (i * K) + s;
                Assert.True(s < kept ? bi[at] is 0 or 2 : bi[at] == -1, $"{random} row {i} slot {s}: index {bi[at]}");
                Assert.True(s < kept ? float.IsFinite((float)bv[at]) : double.IsPositiveInfinity(bv[at]), $"{random} row {i} slot {s}: value {bv[at]}");
                Assert.Equal(gi[at], bi[at]);
                Assert.True(s < kept ? Math.Abs(gv[at] - bv[at]) <= 1e-5 * (1 + Math.Abs(gv[at])) : gv[at] == bv[at], $"{random} row {i} slot {s}: generic {gv[at]}, blocked {bv[at]}");
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(33, 17)]
    [InlineData(700, 900)]
    public static void DispatchedAndGenericPathsAgree(int n, int m)
    {
        // Indices agree wherever the float64 distances of the two choices are not near-tied.
        var random = new SeededRandom(nameof(DispatchedAndGenericPathsAgree), n, m);
        float[] x = random.Floats(n * D, 0, 1), y = random.Floats(m * D, 0, 1);
        var (bv, bi) = RunSqF(x, y, n, m, blocked: true);
        var (gv, gi) = RunSqF(x, y, n, m, blocked: false);
        double[] xd = ToDouble(x), yd = ToDouble(y);
        double yMax = MaxNorm(yd, D);
        for (int at = 0; at < n * K; at++)
        {
            double tolerance = SelectionTolerance(Norm(xd, at / K, D), yMax, D, isFloat: true);
            Assert.True(gv[at] == bv[at] || Math.Abs(gv[at] - bv[at]) <= tolerance, $"{random} slot {at}: generic {gv[at]}, blocked {bv[at]}");
            if (gi[at] != bi[at])
            {
                double a = gi[at] < 0 ? double.PositiveInfinity : Reference(xd, yd, at / K, gi[at], D, 0);
                double b = bi[at] < 0 ? double.PositiveInfinity : Reference(xd, yd, at / K, bi[at], D, 0);
                Assert.True(Math.Abs(a - b) <= tolerance, $"{random} slot {at}: generic index {gi[at]} ({a}), blocked {bi[at]} ({b})");
            }
        }
    }

    [Fact]
    public static void CancellationStopsTheBlockedPath()
    {
        var x = new float[2000 * D];
        var y = new float[2000 * D];
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => SqF(x, y, new float[2000 * K], new int[2000 * K], cancel.Token));
    }

    [Theory]
    [InlineData("SqDist(X,Y)", "X = Vi(64)", "ReductionOp.ArgKMin, K = 3", true)]
    [InlineData("-(X|Y)", "X = Vi(128)", "ReductionOp.KMin, K = 3", true)]
    [InlineData("SqDist(X,Y)", "X = Vi(63)", "ReductionOp.ArgKMin, K = 3", false)]
    [InlineData("SqDist(X,Y)", "X = Vi(64)", "ReductionOp.ArgMax", false)]
    [InlineData("(X|Y)", "X = Vi(64)", "ReductionOp.ArgKMin, K = 3", false)]
    [InlineData("SqDist(X,Y) + 1", "X = Vi(64)", "ReductionOp.ArgKMin, K = 3", false)]
    public static void GeneratorDispatchesOnlyThePattern(string formula, string x, string op, bool dispatched)
    {
        string dim = x.Substring(x.IndexOf('(', StringComparison.Ordinal));
        string outputs = op.Contains("Arg", StringComparison.Ordinal) ? "Span<int> r" : "Span<float> r";
        string source = $$"""
            using System;
            using KeOpsGen;
            public static partial class K
            {
                [Reduction("{{formula}}", "{{x}}", "Y = Vj{{dim}}", Op = {{op}})]
                public static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<float> y, {{outputs}});
            }
            """;
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Assert.Empty(output.Errors);
        string generated = string.Concat(output.Sources.Select(s => s.SourceText.ToString()));
        Assert.Equal(dispatched, generated.Contains("global::KeOpsGen.Cpu.BlockedDistance.TryKMin<float>", StringComparison.Ordinal));
    }

    private static (double[] Values, int[] Indices) RunSqF(float[] x, float[] y, int n, int m, bool blocked)
    {
        var values = new float[n * K];
        var indices = new int[n * K];
        if (blocked)
        {
            SqF(x, y, values, indices);
        }
        else
        {
            // All-pairs ranges: the blocked path declines them, so this is the generic engine.
            SqF(x, y, values, indices, Ranges.BlockDiagonal(1, n, m));
        }

        return (values.Select(v => (double)v).ToArray(), indices);
    }

    private static double Reference(double[] x, double[] y, int i, int j, int dim, int metric)
    {
        double total = 0;
        for (int c = 0; c < dim; c++)
        {
            double a = x[(i * dim) + c], b = y[(j * dim) + c];
            total += metric == 0 ? (a - b) * (a - b) : -(a * b);
        }

        return total;
    }

    /// <summary>
    /// How far the product form may misjudge a value: about D·ε·(‖x‖² + ‖y‖²) rounding in T,
    /// with a factor 4 of margin (the reported values themselves are recomputed in double).
    /// </summary>
    private static double SelectionTolerance(double xNorm, double yMaxNorm, int dim, bool isFloat)
        => 4 * dim * (isFloat ? 6e-8 : 1.2e-16) * (xNorm + yMaxNorm + 1);

    private static double Norm(double[] v, int row, int dim) => -Reference(v, v, row, row, dim, 1);

    private static double MaxNorm(double[] v, int dim) => Enumerable.Range(0, v.Length / dim).Select(j => Norm(v, j, dim)).DefaultIfEmpty(0).Max();

    private static void Check(SeededRandom random, string label, double[] x, double[] y, int n, int m, int dim, int k, int metric, double[] values, int[] indices, bool isFloat)
    {
        double yMax = MaxNorm(y, dim);
        for (int i = 0; i < n; i++)
        {
            double[] reference = Enumerable.Range(0, m).Select(j => Reference(x, y, i, j, dim, metric)).OrderBy(v => v).ToArray();
            double tolerance = SelectionTolerance(Norm(x, i, dim), yMax, dim, isFloat);
            var seen = new HashSet<int>();
            for (int s = 0; s < k; s++)
            {
                int at = (i * k) + s;
                if (s >= m)
                {
                    Assert.True(indices[at] == -1 && double.IsPositiveInfinity(values[at]), $"{random} {label} row {i} slot {s}: expected an empty slot, got {indices[at]} / {values[at]}");
                    continue;
                }

                int j = indices[at];
                Assert.True(j >= 0 && j < m && seen.Add(j), $"{random} {label} row {i} slot {s}: index {j}");
                double exact = Reference(x, y, i, j, dim, metric);
                // The value reported is that pair's value rounded to T; its rank is right up to the tolerance.
                Assert.True(Math.Abs(values[at] - exact) <= (isFloat ? 1.2e-7 : 2.3e-16) * (1 + Math.Abs(exact)) * 2, $"{random} {label} row {i} slot {s}: value {values[at]}, pair value {exact}");
                Assert.True(Math.Abs(exact - reference[s]) <= tolerance, $"{random} {label} row {i} slot {s}: value {exact}, {s}-th smallest {reference[s]} (tolerance {tolerance})");
                Assert.True(s == 0 || values[at] >= values[at - 1], $"{random} {label} row {i}: slots not ascending");
            }
        }
    }

    private static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();
}
