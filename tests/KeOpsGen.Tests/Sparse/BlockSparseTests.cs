using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Tests.Numerics;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Sparse;

/// <summary>
/// Block-sparse reductions through generated methods: every reduction, float and double, both
/// axes, on random ranges (empty blocks, single-row blocks, uncovered rows, a whole side in one
/// block) against dense float64 references written here that apply the same mask.
/// </summary>
public static partial class BlockSparseTests
{
    private const int K = 3;

    private static readonly string[] SelectingOps = { "Min", "Max", "ArgMin", "ArgMax", "MinArgMin", "MaxArgMax", "KMin", "ArgKMin", "KMinArgKMin" };

    private static readonly string[] ShiftExpOps = { "LogSumExp", "LogSumExpW", "MaxSumShiftExp", "SumSoftMaxWeight" };

    /// <summary>The buffers one call reads and writes, in both element types.</summary>
    private sealed class Call
    {
        public float[] FX = Array.Empty<float>(), FY = Array.Empty<float>(), FW = Array.Empty<float>(), FZ = Array.Empty<float>(), FS = Array.Empty<float>(), FValues = Array.Empty<float>();
        public double[] DX = Array.Empty<double>(), DY = Array.Empty<double>(), DW = Array.Empty<double>(), DZ = Array.Empty<double>(), DS = Array.Empty<double>(), DValues = Array.Empty<double>();
        public int[] Indices = Array.Empty<int>();
        public ReductionOptions? Options;
    }

    /// <summary>Inputs drawn once per test, already rounded to float when the kernel is float.</summary>
    private sealed record Inputs(int M, int N, double[] X2, double[] Y2, double[] W, double[] X3, double[] Y3, double[] Z, double[] S);

    private static Inputs Draw(SeededRandom random, int m, int n, bool isFloat)
        => new(m, n, Round(random.Doubles(m * 2, -1, 1), isFloat), Round(random.Doubles(n * 2, -1, 1), isFloat),
               Round(random.Doubles(n, 0.5, 1.5), isFloat), Round(random.Doubles(m * 3, -1, 1), isFloat),
               Round(random.Doubles(n * 3, -1, 1), isFloat), Round(random.Doubles(n * 2, 0.1, 1), isFloat),
               Round(new[] { random.Double(0.5, 2) }, isFloat));

    private static double[] Round(double[] values, bool isFloat) => isFloat ? values.Select(v => (double)(float)v).ToArray() : values;

    private static bool IsShiftExp(string op) => ShiftExpOps.Contains(op);

    private static (int Values, int Indices) Widths(string op) => op switch
    {
        "Sum" or "Min" or "Max" => (2, 0),
        "ArgMin" or "ArgMax" => (0, 2),
        "MinArgMin" or "MaxArgMax" => (2, 2),
        "KMin" => (2 * K, 0),
        "ArgKMin" => (0, 2 * K),
        "KMinArgKMin" => (2 * K, 2 * K),
        "LogSumExp" => (1, 0),
        _ => (2, 0),
    };

    /// <summary>Runs the generated kernel; values come back as doubles.</summary>
    private static (double[] Values, int[] Indices) Run(string op, bool isFloat, int axis, Inputs inputs, ReductionOptions? options)
    {
        int outer = axis == 1 ? inputs.M : inputs.N;
        (int vw, int iw) = Widths(op);
        bool shift = IsShiftExp(op);
        var c = new Call { Options = options, Indices = new int[outer * iw] };
        double[] x = shift ? inputs.X3 : inputs.X2, y = shift ? inputs.Y3 : inputs.Y2;
        if (isFloat)
        {
            c.FX = F(x);
            c.FY = F(y);
            c.FW = F(inputs.W);
            c.FZ = F(inputs.Z);
            c.FS = F(inputs.S);
            c.FValues = new float[outer * vw];
        }
        else
        {
            c.DX = x;
            c.DY = y;
            c.DW = inputs.W;
            c.DZ = inputs.Z;
            c.DS = inputs.S;
            c.DValues = new double[outer * vw];
        }

        Dispatch($"{op}_{(isFloat ? "float" : "double")}_{axis}", c);
        return (isFloat ? c.FValues.Select(v => (double)v).ToArray() : c.DValues, c.Indices);
    }

    private static float[] F(double[] values) => values.Select(v => (float)v).ToArray();

    // ---- Random ranges --------------------------------------------------------------------------

    /// <summary>
    /// Sorted, disjoint blocks over [0, n): a mix of empty blocks, single rows, longer runs and
    /// gaps no block covers; <paramref name="whole"/> gives the whole side as one block.
    /// </summary>
    private static int[] RandomBlocks(SeededRandom random, int n, bool whole, bool gaps)
    {
        if (whole)
        {
            return new[] { 0, n };
        }

        var blocks = new List<int>();
        int at = 0;
        while (at < n)
        {
            switch (random.Next(gaps ? 5 : 4))
            {
                case 0:
                    blocks.Add(at);
                    blocks.Add(at);
                    break;
                case 1:
                    blocks.Add(at);
                    blocks.Add(++at);
                    break;
                case 4:
                    at = Math.Min(n, at + 1 + random.Next(5));
                    break;
                default:
                    int length = Math.Min(n - at, 1 + random.Next(Math.Max(1, n / 3)));
                    blocks.Add(at);
                    blocks.Add(at += length);
                    break;
            }
        }

        return blocks.ToArray();
    }

    /// <summary>A random mask with one i block and one j block kept nowhere (empty slices).</summary>
    private static bool[] RandomKeep(SeededRandom random, int ci, int cj, double p)
    {
        var keep = new bool[ci * cj];
        for (int k = 0; k < keep.Length; k++)
        {
            keep[k] = random.Double(0, 1) < p;
        }

        if (ci > 1)
        {
            int a = random.Next(ci);
            for (int b = 0; b < cj; b++)
            {
                keep[(a * cj) + b] = false;
            }
        }

        if (cj > 1)
        {
            int b = random.Next(cj);
            for (int a = 0; a < ci; a++)
            {
                keep[(a * cj) + b] = false;
            }
        }

        return keep;
    }

    /// <summary>The pairs a half of the ranges visits, as a dense outer × inner mask.</summary>
    private static bool[,] Mask(ReadOnlySpan<int> blocks, ReadOnlySpan<int> slices, ReadOnlySpan<int> reduced, int outer, int inner)
    {
        var mask = new bool[outer, inner];
        int from = 0;
        for (int k = 0; k < slices.Length; k++)
        {
            for (int s = from; s < slices[k]; s++)
            {
                for (int r = blocks[2 * k]; r < blocks[(2 * k) + 1]; r++)
                {
                    for (int t = reduced[2 * s]; t < reduced[(2 * s) + 1]; t++)
                    {
                        mask[r, t] = true;
                    }
                }
            }

            from = slices[k];
        }

        return mask;
    }

    private static bool[,] MaskFor(Ranges ranges, int axis, int m, int n)
        => axis == 1 ? Mask(ranges.RangesI, ranges.SlicesI, ranges.RedRangesJ, m, n) : Mask(ranges.RangesJ, ranges.SlicesJ, ranges.RedRangesI, n, m);

    // ---- Float64 references ---------------------------------------------------------------------

    /// <summary>F at (output row o, reduced row t): 2 components (selecting/Sum) or f and the weight (shift-exp).</summary>
    private static double[] Term(string op, int axis, Inputs a, int o, int t)
    {
        int i = axis == 1 ? o : t, j = axis == 1 ? t : o;
        if (!IsShiftExp(op))
        {
            return new[] { (a.X2[2 * i] - a.Y2[2 * j]) * a.W[j], (a.X2[(2 * i) + 1] - a.Y2[(2 * j) + 1]) * a.W[j] };
        }

        double f = a.S[0] * ((a.X3[3 * i] * a.Y3[3 * j]) + (a.X3[(3 * i) + 1] * a.Y3[(3 * j) + 1]) + (a.X3[(3 * i) + 2] * a.Y3[(3 * j) + 2]));
        return new[] { f, a.Z[2 * j], a.Z[(2 * j) + 1] };
    }

    /// <summary>The reduction of one output row over the reduced rows its mask keeps: (values, indices).</summary>
    private static (double[] Values, int[] Indices) Reference(string op, int axis, Inputs a, bool[,] mask, int o)
    {
        var terms = new List<(int T, double[] F)>();
        for (int t = 0; t < mask.GetLength(1); t++)
        {
            if (mask[o, t])
            {
                terms.Add((t, Term(op, axis, a, o, t)));
            }
        }

        switch (op)
        {
            case "Sum":
                return (new[] { terms.Sum(x => x.F[0]), terms.Sum(x => x.F[1]) }, Array.Empty<int>());
            case "LogSumExp" or "LogSumExpW" or "MaxSumShiftExp" or "SumSoftMaxWeight":
            {
                double m = terms.Count == 0 ? double.NegativeInfinity : terms.Max(x => x.F[0]);
                double s = terms.Sum(x => Math.Exp(x.F[0] - m));
                double g1 = terms.Sum(x => Math.Exp(x.F[0] - m) * x.F[1]), g2 = terms.Sum(x => Math.Exp(x.F[0] - m) * x.F[2]);
                return op switch
                {
                    "LogSumExp" => (new[] { terms.Count == 0 ? double.NegativeInfinity : m + Math.Log(s) }, Array.Empty<int>()),
                    "LogSumExpW" => (terms.Count == 0 ? new[] { double.NegativeInfinity, double.NegativeInfinity } : new[] { m + Math.Log(g1), m + Math.Log(g2) }, Array.Empty<int>()),
                    "MaxSumShiftExp" => (new[] { m, s }, Array.Empty<int>()),
                    _ => (new[] { g1 / s, g2 / s }, Array.Empty<int>()),
                };
            }

            default:
            {
                bool max = op.Contains("Max");
                int slots = op.Contains('K') ? K : 1;
                var values = new double[slots * 2];
                var indices = new int[slots * 2];
                for (int c = 0; c < 2; c++)
                {
                    // Stable sort by value: ties keep the lower index first.
                    var sorted = terms.OrderBy(x => max ? -x.F[c] : x.F[c]).ToList();
                    for (int s = 0; s < slots; s++)
                    {
                        values[(s * 2) + c] = s < sorted.Count ? sorted[s].F[c] : max ? double.NegativeInfinity : double.PositiveInfinity;
                        indices[(s * 2) + c] = s < sorted.Count ? sorted[s].T : -1;
                    }
                }

                return (values, indices);
            }
        }
    }

    /// <summary>
    /// Checks a whole output against the masked reference. Float tolerances: F is a product or a
    /// 3-term dot of values below 2, so each term carries ~1e-7 relative error; sums of a few
    /// hundred such terms stay below 1e-4 relative (exp of |F| ≤ 4 included). Double: 1e-10.
    /// An index may differ only where both terms are equal within that tolerance (float rounding
    /// can swap near-ties), and must then still be a kept pair.
    /// </summary>
    private static void Check(string op, bool isFloat, int axis, Inputs a, bool[,] mask, (double[] Values, int[] Indices) got, string label)
    {
        double tol = isFloat ? 1e-4 : 1e-10;
        (int vw, int iw) = Widths(op);
        int outer = mask.GetLength(0);
        for (int o = 0; o < outer; o++)
        {
            (double[] values, int[] indices) = Reference(op, axis, a, mask, o);
            for (int k = 0; k < vw; k++)
            {
                double g = got.Values[(o * vw) + k], e = values[k];
                bool same = (double.IsNaN(e) && double.IsNaN(g)) || g == e || Math.Abs(g - e) <= tol * Math.Max(1, Math.Abs(e));
                Assert.True(same, $"{label} {op} axis {axis} row {o} value {k}: {g} vs {e} (kept {Enumerable.Range(0, mask.GetLength(1)).Count(t => mask[o, t])} terms)");
            }

            for (int k = 0; k < iw; k++)
            {
                int g = got.Indices[(o * iw) + k], e = indices[k];
                if (g == e)
                {
                    continue;
                }

                Assert.True(g >= 0 && e >= 0 && mask[o, g], $"{label} {op} axis {axis} row {o} slot {k}: index {g}, expected {e} (index outside the kept pairs?)");
                double vg = Term(op, axis, a, o, g)[k % 2], ve = Term(op, axis, a, o, e)[k % 2];
                Assert.True(Math.Abs(vg - ve) <= tol * Math.Max(1, Math.Abs(ve)), $"{label} {op} axis {axis} row {o} slot {k}: index {g} (F = {vg}) instead of {e} (F = {ve})");
            }
        }
    }

    // ---- Every reduction on random ranges --------------------------------------------------------

    public static IEnumerable<object[]> AllCases =>
        from op in new[] { "Sum" }.Concat(SelectingOps).Concat(ShiftExpOps)
        from isFloat in new[] { true, false }
        from axis in new[] { 0, 1 }
        select new object[] { op, isFloat, axis };

    [Theory]
    [MemberData(nameof(AllCases))]
    public static void EveryReductionMatchesTheMaskedReference(string op, bool isFloat, int axis)
    {
        var random = new SeededRandom(nameof(EveryReductionMatchesTheMaskedReference), op, isFloat, axis);
        // Three layouts: mixed blocks with gaps, one side as a single block, and the other.
        for (int layout = 0; layout < 3; layout++)
        {
            int m = 40 + random.Next(260), n = 40 + random.Next(260);
            Inputs a = Draw(random, m, n, isFloat);
            int[] ri = RandomBlocks(random, m, whole: layout == 1, gaps: true);
            int[] rj = RandomBlocks(random, n, whole: layout == 2, gaps: true);
            bool[] keep = RandomKeep(random, ri.Length / 2, rj.Length / 2, 0.5);
            Ranges ranges = Ranges.FromMatrix(ri, rj, keep);
            var got = Run(op, isFloat, axis, a, new ReductionOptions { Ranges = ranges });
            Check(op, isFloat, axis, a, MaskFor(ranges, axis, m, n), got, $"{random} layout {layout}");
        }
    }

    /// <summary>A mask that keeps every pair must give the dense call's result bit for bit.</summary>
    [Theory]
    [InlineData("Sum", 1)]
    [InlineData("Sum", 0)]
    [InlineData("MinArgMin", 1)]
    [InlineData("KMinArgKMin", 0)]
    [InlineData("LogSumExp", 1)]
    [InlineData("SumSoftMaxWeight", 0)]
    public static void KeepingEveryPairIsBitwiseTheDenseResult(string op, int axis)
    {
        var random = new SeededRandom(nameof(KeepingEveryPairIsBitwiseTheDenseResult), op, axis);
        // Big enough for several parallel chunks (over 2^21 pairs).
        int m = 1500 + random.Next(200), n = 1500 + random.Next(200);
        Inputs a = Draw(random, m, n, isFloat: true);
        int[] ri = RandomBlocks(random, m, whole: false, gaps: false);
        int[] rj = RandomBlocks(random, n, whole: false, gaps: false);
        Ranges ranges = Ranges.FromMatrix(ri, rj, Enumerable.Repeat(true, (ri.Length / 2) * (rj.Length / 2)).ToArray());
        var dense = Run(op, true, axis, a, null);
        var sparse = Run(op, true, axis, a, new ReductionOptions { Ranges = ranges });
        for (int k = 0; k < dense.Values.Length; k++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(dense.Values[k]) == BitConverter.DoubleToInt64Bits(sparse.Values[k]), $"{random} {op} value {k}: {sparse.Values[k]} vs dense {dense.Values[k]}");
        }

        Assert.Equal(dense.Indices, sparse.Indices);
    }

    /// <summary>The trailing-Ranges overload is the options overload with Ranges set.</summary>
    [Fact]
    public static void RangesOverloadReducesOnlyTheKeptPairs()
    {
        var random = new SeededRandom(nameof(RangesOverloadReducesOnlyTheKeptPairs));
        Inputs a = Draw(random, 50, 70, isFloat: true);
        Ranges ranges = Ranges.FromMatrix(new[] { 0, 20, 20, 50 }, new[] { 0, 35, 35, 70 }, new[] { true, false, false, true });
        var values = new float[50 * 2];
        Sum_float_1(F(a.X2), F(a.Y2), F(a.W), values, ranges);
        Check("Sum", true, 1, a, MaskFor(ranges, 1, 50, 70), (values.Select(v => (double)v).ToArray(), Array.Empty<int>()), random.ToString());
        Assert.Throws<ArgumentNullException>(() => Sum_float_1(F(a.X2), F(a.Y2), F(a.W), values, (Ranges)null!));
    }

    // ---- Gradients --------------------------------------------------------------------------------

    [Reduction("Exp(-G * SqDist(X, Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)", Axis = 1, GradientOrder = 1)]
    private static partial void Gauss1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("Exp(-G * SqDist(X, Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)", Axis = 0, GradientOrder = 1)]
    private static partial void Gauss0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    /// <summary>
    /// Gaussian sum on random ranges: the forward values and the gradients with respect to X (Vi),
    /// Y (Vj), B (Vj) and G (Pm) against their analytic forms summed over the kept pairs only.
    /// A Vi gradient reduces over j and reads the i half, a Vj gradient the j half.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public static void SumGradientsFollowTheMask(int axis)
    {
        var random = new SeededRandom(nameof(SumGradientsFollowTheMask), axis);
        int m = 60 + random.Next(150), n = 60 + random.Next(150);
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1), b = random.Doubles(n, -1, 1), g = { random.Double(0.5, 2) };
        int outer = axis == 1 ? m : n;
        double[] e = random.Doubles(outer, -1, 1);
        int[] ri = RandomBlocks(random, m, false, true), rj = RandomBlocks(random, n, false, true);
        Ranges ranges = Ranges.FromMatrix(ri, rj, RandomKeep(random, ri.Length / 2, rj.Length / 2, 0.5));
        bool[,] maskIJ = Mask(ranges.RangesI, ranges.SlicesI, ranges.RedRangesJ, m, n);
        var options = new ReductionOptions { Ranges = ranges };

        double K(int i, int j) => Math.Exp(-g[0] * Enumerable.Range(0, 3).Sum(k => Math.Pow(x[(3 * i) + k] - y[(3 * j) + k], 2)));
        double Adj(int i, int j) => axis == 1 ? e[i] : e[j];
        var fx = new double[m * 3];
        var fy = new double[n * 3];
        var fb = new double[n];
        double fg = 0;
        var forward = new double[outer];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (!maskIJ[i, j])
                {
                    continue;
                }

                double kij = K(i, j), w = Adj(i, j) * b[j] * kij;
                forward[axis == 1 ? i : j] += kij * b[j];
                for (int k = 0; k < 3; k++)
                {
                    double d = x[(3 * i) + k] - y[(3 * j) + k];
                    fx[(3 * i) + k] += -2 * g[0] * d * w;
                    fy[(3 * j) + k] += 2 * g[0] * d * w;
                }

                fb[j] += Adj(i, j) * kij;
                fg += -w * Enumerable.Range(0, 3).Sum(k => Math.Pow(x[(3 * i) + k] - y[(3 * j) + k], 2));
            }
        }

        var gotForward = new double[outer];
        var gx = new double[m * 3];
        var gy = new double[n * 3];
        var gb = new double[n];
        var gg = new double[1];
        if (axis == 1)
        {
            Gauss1(x, y, b, g, gotForward, options);
            Gauss1GradX(x, y, b, g, e, gx, options);
            Gauss1GradY(x, y, b, g, e, gy, options);
            Gauss1GradB(x, y, b, g, e, gb, options);
            Gauss1GradG(x, y, b, g, e, gg, options);
        }
        else
        {
            Gauss0(x, y, b, g, gotForward, options);
            Gauss0GradX(x, y, b, g, e, gx, options);
            Gauss0GradY(x, y, b, g, e, gy, options);
            Gauss0GradB(x, y, b, g, e, gb, options);
            Gauss0GradG(x, y, b, g, e, gg, options);
        }

        AssertClose(forward, gotForward, 1e-10, $"{random} forward");
        AssertClose(fx, gx, 1e-10, $"{random} d/dX");
        AssertClose(fy, gy, 1e-10, $"{random} d/dY");
        AssertClose(fb, gb, 1e-10, $"{random} d/dB");
        AssertClose(new[] { fg }, gg, 1e-10, $"{random} d/dG");
    }

    /// <summary>
    /// LogSumExp over j (axis 1): the Y gradient reduces over i with the j half while its forward
    /// pass (log Σ exp) runs over j with the i half, so both halves are exercised in one method.
    /// </summary>
    /// <remarks>Float: inputs rounded to float first; 1e-4 relative covers the float sums of a few hundred terms.</remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public static void LogSumExpGradientsFollowTheMask(bool isFloat)
    {
        var random = new SeededRandom(nameof(LogSumExpGradientsFollowTheMask), isFloat);
        int m = 50 + random.Next(150), n = 50 + random.Next(150);
        Inputs a = Draw(random, m, n, isFloat);
        double[] e = Round(random.Doubles(m, -1, 1), isFloat);
        int[] ri = RandomBlocks(random, m, false, true), rj = RandomBlocks(random, n, false, true);
        Ranges ranges = Ranges.FromMatrix(ri, rj, RandomKeep(random, ri.Length / 2, rj.Length / 2, 0.5));
        bool[,] mask = Mask(ranges.RangesI, ranges.SlicesI, ranges.RedRangesJ, m, n);
        double s = a.S[0];
        var fx = new double[m * 3];
        var fy = new double[n * 3];
        double fs = 0;
        for (int i = 0; i < m; i++)
        {
            var js = Enumerable.Range(0, n).Where(j => mask[i, j]).ToArray();
            if (js.Length == 0)
            {
                continue;
            }

            double Dot(int j) => Enumerable.Range(0, 3).Sum(k => a.X3[(3 * i) + k] * a.Y3[(3 * j) + k]);
            double top = js.Max(j => s * Dot(j));
            double total = js.Sum(j => Math.Exp((s * Dot(j)) - top));
            foreach (int j in js)
            {
                double p = Math.Exp((s * Dot(j)) - top) / total;
                for (int k = 0; k < 3; k++)
                {
                    fx[(3 * i) + k] += e[i] * p * s * a.Y3[(3 * j) + k];
                    fy[(3 * j) + k] += e[i] * p * s * a.X3[(3 * i) + k];
                }

                fs += e[i] * p * Dot(j);
            }
        }

        var options = new ReductionOptions { Ranges = ranges };
        var gx = new double[m * 3];
        var gy = new double[n * 3];
        var gs = new double[1];
        if (isFloat)
        {
            float[] fgx = new float[m * 3], fgy = new float[n * 3], fgs = new float[1];
            ReductionTests.LogSumExp_float_1GradX(F(a.X3), F(a.Y3), F(a.S), F(e), fgx, options);
            ReductionTests.LogSumExp_float_1GradY(F(a.X3), F(a.Y3), F(a.S), F(e), fgy, options);
            ReductionTests.LogSumExp_float_1GradS(F(a.X3), F(a.Y3), F(a.S), F(e), fgs, options);
            gx = fgx.Select(v => (double)v).ToArray();
            gy = fgy.Select(v => (double)v).ToArray();
            gs = fgs.Select(v => (double)v).ToArray();
        }
        else
        {
            ReductionTests.LogSumExp_double_1GradX(a.X3, a.Y3, a.S, e, gx, options);
            ReductionTests.LogSumExp_double_1GradY(a.X3, a.Y3, a.S, e, gy, options);
            ReductionTests.LogSumExp_double_1GradS(a.X3, a.Y3, a.S, e, gs, options);
        }

        double tol = isFloat ? 1e-4 : 1e-10;
        AssertClose(fx, gx, tol, $"{random} d/dX");
        AssertClose(fy, gy, tol, $"{random} d/dY");
        AssertClose(new[] { fs }, gs, tol, $"{random} d/dS");
    }

    /// <summary>Min over i (axis 0): gradients are taken at the pairs the masked forward pass selects.</summary>
    [Fact]
    public static void MinGradientsUseTheMaskedSelection()
    {
        var random = new SeededRandom(nameof(MinGradientsUseTheMaskedSelection));
        int m = 50 + random.Next(150), n = 50 + random.Next(150);
        Inputs a = Draw(random, m, n, isFloat: false);
        double[] e = random.Doubles(n * 2, -1, 1);
        int[] ri = RandomBlocks(random, m, false, true), rj = RandomBlocks(random, n, false, true);
        Ranges ranges = Ranges.FromMatrix(ri, rj, RandomKeep(random, ri.Length / 2, rj.Length / 2, 0.5));
        bool[,] mask = Mask(ranges.RangesJ, ranges.SlicesJ, ranges.RedRangesI, n, m);
        var fx = new double[m * 2];
        var fy = new double[n * 2];
        var fw = new double[n];
        for (int j = 0; j < n; j++)
        {
            (_, int[] best) = Reference("Min", 0, a, mask, j);
            for (int c = 0; c < 2; c++)
            {
                int i = best[c];
                if (i < 0)
                {
                    continue;
                }

                fx[(2 * i) + c] += e[(2 * j) + c] * a.W[j];
                fy[(2 * j) + c] -= e[(2 * j) + c] * a.W[j];
                fw[j] += e[(2 * j) + c] * (a.X2[(2 * i) + c] - a.Y2[(2 * j) + c]);
            }
        }

        var options = new ReductionOptions { Ranges = ranges };
        var gx = new double[m * 2];
        var gy = new double[n * 2];
        var gw = new double[n];
        ReductionTests.Min_double_0GradX(a.X2, a.Y2, a.W, e, gx, options);
        ReductionTests.Min_double_0GradY(a.X2, a.Y2, a.W, e, gy, options);
        ReductionTests.Min_double_0GradW(a.X2, a.Y2, a.W, e, gw, options);
        AssertClose(fx, gx, 1e-12, $"{random} d/dX");
        AssertClose(fy, gy, 1e-12, $"{random} d/dY");
        AssertClose(fw, gw, 1e-12, $"{random} d/dW");
    }

    private static void AssertClose(double[] expected, double[] got, double tol, string label)
    {
        Assert.Equal(expected.Length, got.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - got[k]) <= tol * Math.Max(1, Math.Abs(expected[k])), $"{label} entry {k}: {got[k]} vs {expected[k]}");
        }
    }

    // ---- Batch dimensions ------------------------------------------------------------------------

    /// <summary>
    /// Batch shape [2, 3]: X broadcast from [2, 1], B from [3] (right-aligned: [1, 3]), Y full, G
    /// shared. Each batch element is reduced on its own; the X gradient computed on the full batch
    /// and summed back equals the sum over the broadcast dimension of per-element gradients.
    /// </summary>
    [Fact]
    public static void BatchBroadcastsAndSumsGradientsBack()
    {
        var random = new SeededRandom(nameof(BatchBroadcastsAndSumsGradientsBack));
        int[] shape = { 2, 3 };
        int batch = Batch.Count(shape);
        int m = 20 + random.Next(60), n = 20 + random.Next(60);
        double[] x = random.Doubles(2 * m * 3, -1, 1), y = random.Doubles(batch * n * 3, -1, 1), b = random.Doubles(3 * n, -1, 1), g = { random.Double(0.5, 2) };
        double[] e = random.Doubles(batch * m, -1, 1);
        var xFull = new double[batch * m * 3];
        var bFull = new double[batch * n];
        Batch.Broadcast<double>(x, new[] { 2, 1 }, shape, m * 3, xFull);
        Batch.Broadcast<double>(b, new[] { 3 }, shape, n, bFull);
        var options = new ReductionOptions { BatchCount = batch };
        var forward = new double[batch * m];
        var gxFull = new double[batch * m * 3];
        var gg = new double[1];
        Gauss1(xFull, y, bFull, g, forward, options);
        Gauss1GradX(xFull, y, bFull, g, e, gxFull, options);
        Gauss1GradG(xFull, y, bFull, g, e, gg, options);
        var gx = new double[2 * m * 3];
        Batch.SumBack<double>(gxFull, shape, new[] { 2, 1 }, m * 3, gx);

        var fx = new double[2 * m * 3];
        double fg = 0;
        for (int b0 = 0; b0 < 2; b0++)
        {
            for (int b1 = 0; b1 < 3; b1++)
            {
                int be = (b0 * 3) + b1;
                for (int i = 0; i < m; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < n; j++)
                    {
                        double d2 = 0;
                        for (int k = 0; k < 3; k++)
                        {
                            d2 += Math.Pow(x[(((b0 * m) + i) * 3) + k] - y[(((be * n) + j) * 3) + k], 2);
                        }

                        double kij = Math.Exp(-g[0] * d2), bj = b[(b1 * n) + j], w = e[(be * m) + i] * bj * kij;
                        sum += kij * bj;
                        fg += -w * d2;
                        for (int k = 0; k < 3; k++)
                        {
                            fx[(((b0 * m) + i) * 3) + k] += -2 * g[0] * (x[(((b0 * m) + i) * 3) + k] - y[(((be * n) + j) * 3) + k]) * w;
                        }
                    }

                    Assert.True(Math.Abs(forward[(be * m) + i] - sum) <= 1e-10 * Math.Max(1, Math.Abs(sum)), $"{random} batch ({b0}, {b1}) row {i}: {forward[(be * m) + i]} vs {sum}");
                }
            }
        }

        AssertClose(fx, gx, 1e-10, $"{random} d/dX summed back");
        AssertClose(new[] { fg }, gg, 1e-10, $"{random} d/dG");
    }

    [Fact]
    public static void BatchRejectsRowsNotDivisibleAndBadShapes()
    {
        var x = new double[5 * 3];
        var y = new double[6 * 3];
        var ex = Assert.Throws<ArgumentException>(() => Gauss1(x, y, new double[6], new double[] { 1 }, new double[5], new ReductionOptions { BatchCount = 2 }));
        Assert.Contains("BatchCount = 2 must divide the rows of both sides", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Gauss1(x, y, new double[6], new double[] { 1 }, new double[5], new ReductionOptions { BatchCount = 0 }));
        Assert.Contains("at least 1", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Batch.Broadcast<double>(new double[4], new[] { 2 }, new[] { 3 }, 2, new double[6]));
        Assert.Contains("must be 1 (broadcast) or the batch's 3", ex.Message, StringComparison.Ordinal);
        var ranges = Ranges.BlockDiagonal(1, 5, 6);
        ex = Assert.Throws<ArgumentException>(() => Gauss1(x, y, new double[6], new double[] { 1 }, new double[5], new ReductionOptions { BatchCount = 2, Ranges = ranges }));
        Assert.Contains("cannot be combined", ex.Message, StringComparison.Ordinal);
    }

    // ---- Ranges format and validation -------------------------------------------------------------

    /// <summary>The example of KeOps's from_matrix documentation, arrays as KeOps prints them.</summary>
    [Fact]
    public static void FromMatrixMatchesTheKeOpsExample()
    {
        Ranges r = Ranges.FromMatrix(new[] { 2, 5, 7, 12 }, new[] { 1, 4, 4, 9, 20, 30 }, new[] { true, true, false, false, true, false });
        Assert.Equal(new[] { 2, 5, 7, 12 }, r.RangesI.ToArray());
        Assert.Equal(new[] { 2, 3 }, r.SlicesI.ToArray());
        Assert.Equal(new[] { 1, 4, 4, 9, 4, 9 }, r.RedRangesJ.ToArray());
        Assert.Equal(new[] { 1, 4, 4, 9, 20, 30 }, r.RangesJ.ToArray());
        Assert.Equal(new[] { 1, 3, 3 }, r.SlicesJ.ToArray());
        Assert.Equal(new[] { 2, 5, 2, 5, 7, 12 }, r.RedRangesI.ToArray());
        Ranges t = r.Swap();
        Assert.Equal(r.RangesJ.ToArray(), t.RangesI.ToArray());
        Assert.Equal(r.SlicesJ.ToArray(), t.SlicesI.ToArray());
        Assert.Equal(r.RedRangesI.ToArray(), t.RedRangesJ.ToArray());
        Assert.Equal(r.RedRangesJ.ToArray(), t.RedRangesI.ToArray());
        // 3·3 + 3·5 + 5·5 pairs on either half.
        Assert.Equal(49, r.PairCountI());
        Assert.Equal(49, r.PairCountJ());
    }

    /// <summary>The transposed problem (Swap, axis 0 ↔ axis 1) reduces the same pairs.</summary>
    [Fact]
    public static void SwappedRangesServeTheTransposedKernel()
    {
        var random = new SeededRandom(nameof(SwappedRangesServeTheTransposedKernel));
        int m = 80, n = 120;
        Inputs a = Draw(random, m, n, isFloat: false);
        int[] ri = RandomBlocks(random, m, false, true), rj = RandomBlocks(random, n, false, true);
        Ranges ranges = Ranges.FromMatrix(ri, rj, RandomKeep(random, ri.Length / 2, rj.Length / 2, 0.5));
        // Constructor path: the axis-0 kernel reads the transposed half, which Swap puts first.
        Ranges swapped = ranges.Swap();
        Ranges rebuilt = new(swapped.RangesJ, swapped.SlicesJ, swapped.RedRangesI, swapped.RangesI, swapped.SlicesI, swapped.RedRangesJ);
        var got = Run("Sum", false, 0, a, new ReductionOptions { Ranges = rebuilt });
        Check("Sum", false, 0, a, Mask(ranges.RangesJ, ranges.SlicesJ, ranges.RedRangesI, n, m), got, random.ToString());
    }

    public static IEnumerable<object[]> BadRanges => new[]
    {
        new object[] { "odd", "rangesI", "its length 3 is odd" },
        new object[] { "negative", "rangesI", "range 0 is [-1, 2): expected 0 ≤ start ≤ end" },
        new object[] { "reversed", "redRangesJ", "range 1 is [5, 3): expected 0 ≤ start ≤ end" },
        new object[] { "overlapping blocks", "rangesI", "block 1 [3, 6) starts before block 0 ends (4)" },
        new object[] { "unsorted reduced", "redRangesJ", "ranges of block 0 must be sorted and non-overlapping: range 1 [0, 2) starts before range 0 ends (6)" },
        new object[] { "slices count", "slicesI", "one cumulative end index per block of 'rangesI' (2 values); got 1" },
        new object[] { "slices decreasing", "slicesI", "slicesI[1] = 0 is below slicesI[0] = 1" },
        new object[] { "slices last", "slicesI", "must be the number of ranges in 'redRangesJ' (2); got 1" },
    };

    [Theory]
    [MemberData(nameof(BadRanges))]
    public static void MalformedRangesAreRejectedWithTheReason(string what, string parameter, string message)
    {
        int[] ri = { 0, 4, 4, 8 }, si = { 1, 2 }, rj = { 0, 6, 6, 9 };
        int[] cj = { 0, 9 }, sj = { 2 }, ci = { 0, 4, 4, 8 };
        switch (what)
        {
            case "odd": ri = new[] { 0, 4, 4 }; break;
            case "negative": ri = new[] { -1, 2, 4, 8 }; break;
            case "reversed": rj = new[] { 0, 6, 5, 3 }; break;
            case "overlapping blocks": ri = new[] { 0, 4, 3, 6 }; break;
            case "unsorted reduced": si = new[] { 2, 2 }; rj = new[] { 0, 6, 0, 2 }; break;
            case "slices count": si = new[] { 2 }; break;
            case "slices decreasing": si = new[] { 1, 0 }; break;
            case "slices last": si = new[] { 1, 1 }; break;
        }

        var ex = Assert.Throws<ArgumentException>(() => new Ranges(ri, si, rj, cj, sj, ci));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public static void RangesPastTheRowsOfTheCallAreRejected()
    {
        var random = new SeededRandom(nameof(RangesPastTheRowsOfTheCallAreRejected));
        Inputs a = Draw(random, 10, 12, isFloat: false);
        var beyondI = Ranges.FromMatrix(new[] { 0, 11 }, new[] { 0, 12 }, new[] { true });
        var ex = Assert.Throws<ArgumentException>(() => Run("Sum", false, 1, a, new ReductionOptions { Ranges = beyondI }));
        Assert.Equal("ranges", ex.ParamName);
        Assert.Contains("ranges.RangesI block 0 [0, 11) reaches past the 10 rows of the i side of this call", ex.Message, StringComparison.Ordinal);
        var beyondJ = Ranges.FromMatrix(new[] { 0, 10 }, new[] { 0, 13 }, new[] { true });
        ex = Assert.Throws<ArgumentException>(() => Run("Min", false, 0, a, new ReductionOptions { Ranges = beyondJ }));
        Assert.Contains("ranges.RangesJ block 0 [0, 13) reaches past the 12 rows of the j side of this call", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Run("Min", false, 1, a, new ReductionOptions { Ranges = beyondJ }));
        Assert.Contains("ranges.RedRangesJ range 0 [0, 13) reaches past the 12 rows of the j side of this call", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Ranges.FromMatrix(new[] { 0, 10 }, new[] { 0, 6, 6, 12 }, new[] { true }));
        Assert.Equal("keep", ex.ParamName);
        Assert.Contains("1 × 2 = 2 values, row-major; got 1", ex.Message, StringComparison.Ordinal);
    }
}
