using System;
using System.Linq;
using KeOpsGen.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace KeOpsGen.Tests.Language;

/// <summary>
/// Reductions declared over System.Half spans: computed in float, stored in Half. Every value is
/// compared with a float64 reference evaluated on the same Half-rounded inputs, so what is measured
/// is the computation and the final rounding, not the rounding of the inputs (which is the caller's
/// choice of storage). Half has an 11-bit significand: one rounding is at most 2^-11 ≈ 4.9e-4
/// relative, and the float computation adds ~1e-6; the bounds below are 1e-3 relative (or
/// absolute near zero), two Half roundings.
/// </summary>
public sealed partial class HalfReductionTests
{
    private const double HalfBound = 1e-3;
    private readonly ITestOutputHelper _output;

    public HalfReductionTests(ITestOutputHelper output) => _output = output;

    private const string Gaussian = "Exp(-G*SqDist(X,Y))*B";

    [Reduction(Gaussian, "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)", Axis = 1, GradientOrder = 1)]
    private static partial void GaussH1(ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, ReadOnlySpan<Half> b, ReadOnlySpan<Half> g, Span<Half> result);

    [Reduction(Gaussian, "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)", Axis = 0, Accumulation = Accumulation.Double)]
    private static partial void GaussH0(ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, ReadOnlySpan<Half> b, ReadOnlySpan<Half> g, Span<Half> result);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.MinArgMin)]
    private static partial void NearestH(ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, Span<Half> values, Span<int> indices);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.KMinArgKMin, K = 3)]
    private static partial void Nearest3H(ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, Span<Half> values, Span<int> indices);

    [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.LogSumExp)]
    private static partial void LseH(ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, Span<Half> result);

    [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "Concat(B, Y)")]
    private static partial void SoftMaxH(ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, ReadOnlySpan<Half> b, Span<Half> result);

    [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", Op = ReductionOp.MaxSumShiftExpWeight, Weight = "B")]
    private static partial void ShiftH(ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, ReadOnlySpan<Half> b, Span<Half> result);

    private static Half[] Halves(SeededRandom random, int count, double low, double high)
        => random.Doubles(count, low, high).Select(v => (Half)v).ToArray();

    private static double[] D(Half[] values) => values.Select(v => (double)v).ToArray();

    private static double SqDist(double[] x, int i, double[] y, int j)
    {
        double d2 = 0;
        for (int c = 0; c < 3; c++)
        {
            d2 += Math.Pow(x[(i * 3) + c] - y[(j * 3) + c], 2);
        }

        return d2;
    }

    private double Check(string label, SeededRandom random, double expected, Half actual, double scale = 1)
    {
        double error = Math.Abs((double)actual - expected) / Math.Max(scale, Math.Abs(expected));
        Assert.True(error <= HalfBound, $"{random} {label}: {(double)actual:R} vs {expected:R} (relative error {error:E2})");
        return error;
    }

    [Fact]
    public void SumOnBothAxesMatchesFloat64()
    {
        var random = new SeededRandom(nameof(SumOnBothAxesMatchesFloat64));
        const int m = 300, n = 20000;
        Half[] x = Halves(random, m * 3, 0, 1), y = Halves(random, n * 3, 0, 1), b = Halves(random, n, 0.5, 1), g = { (Half)2.0 };
        double[] xd = D(x), yd = D(y), bd = D(b);
        var overJ = new Half[m];
        var overI = new Half[n];
        GaussH1(x, y, b, g, overJ);
        GaussH0(x.Take(30 * 3).ToArray(), y, b, g, overI);
        double worst1 = 0, worst0 = 0;
        for (int i = 0; i < m; i++)
        {
            double expected = Enumerable.Range(0, n).Sum(j => Math.Exp(-2 * SqDist(xd, i, yd, j)) * bd[j]);
            worst1 = Math.Max(worst1, Check($"axis 1 row {i}", random, expected, overJ[i]));
        }

        for (int j = 0; j < n; j += 97)
        {
            double expected = Enumerable.Range(0, 30).Sum(i => Math.Exp(-2 * SqDist(xd, i, yd, j)) * bd[j]);
            worst0 = Math.Max(worst0, Check($"axis 0 column {j}", random, expected, overI[j]));
        }

        _output.WriteLine($"Half Sum, {n} terms per row: max relative error {worst1:E2} (axis 1, float accumulation), {worst0:E2} (axis 0, double accumulation)");
    }

    [Fact]
    public void PerCallOptionsApplyToHalfMethods()
    {
        var random = new SeededRandom(nameof(PerCallOptionsApplyToHalfMethods));
        const int m = 20, n = 5000;
        Half[] x = Halves(random, m * 3, 0, 1), y = Halves(random, n * 3, 0, 1), b = Halves(random, n, 0.5, 1), g = { (Half)1.0 };
        double[] xd = D(x), yd = D(y), bd = D(b);
        foreach (var options in new[] { new ReductionOptions { SumScheme = SumScheme.Kahan }, new ReductionOptions { Accumulation = Accumulation.Double, SumScheme = SumScheme.Direct } })
        {
            var result = new Half[m];
            GaussH1(x, y, b, g, result, options);
            for (int i = 0; i < m; i++)
            {
                Check($"{options.SumScheme}/{options.Accumulation} row {i}", random, Enumerable.Range(0, n).Sum(j => Math.Exp(-SqDist(xd, i, yd, j)) * bd[j]), result[i]);
            }
        }

        var error = Assert.Throws<ArgumentException>(() => NearestH(x, y, new Half[m], new int[m], new ReductionOptions { SumScheme = SumScheme.Kahan }));
        Assert.Equal("options", error.ParamName);
        // A wrong output length names the Half parameter, as for float.
        var length = Assert.Throws<ArgumentException>(() => GaussH1(x, y, b, g, new Half[m + 1]));
        Assert.Equal("result", length.ParamName);
    }

    [Fact]
    public void SelectingReductionsMatchFloat64()
    {
        var random = new SeededRandom(nameof(SelectingReductionsMatchFloat64));
        const int m = 40, n = 500;
        Half[] x = Halves(random, m * 3, -1, 1), y = Halves(random, n * 3, -1, 1);
        double[] xd = D(x), yd = D(y);
        var values = new Half[m];
        var indices = new int[m];
        NearestH(x, y, values, indices);
        var values3 = new Half[m * 3];
        var indices3 = new int[m * 3];
        Nearest3H(x, y, values3, indices3);
        for (int i = 0; i < m; i++)
        {
            double[] d = Enumerable.Range(0, n).Select(j => SqDist(xd, i, yd, j)).ToArray();
            double[] sorted = d.OrderBy(v => v).ToArray();
            // Near-ties may be ordered differently in float than in double: check the value at the
            // returned index rather than the index itself.
            Check($"min row {i}", random, sorted[0], values[i], scale: 1);
            Check($"min index row {i}", random, sorted[0], (Half)d[indices[i]], scale: 1);
            for (int k = 0; k < 3; k++)
            {
                Check($"kmin row {i} slot {k}", random, sorted[k], values3[(i * 3) + k], scale: 1);
                Check($"kmin index row {i} slot {k}", random, sorted[k], (Half)d[indices3[(i * 3) + k]], scale: 1);
            }
        }
    }

    [Fact]
    public void LogSumExpFamilyMatchesFloat64()
    {
        var random = new SeededRandom(nameof(LogSumExpFamilyMatchesFloat64));
        const int m = 30, n = 2000;
        Half[] x = Halves(random, m * 3, -2, 2), y = Halves(random, n * 3, -2, 2), b = Halves(random, n, 0.5, 1);
        double[] xd = D(x), yd = D(y), bd = D(b);
        var lse = new Half[m];
        var soft = new Half[m * 4];
        var shift = new Half[m * 2];
        LseH(x, y, lse);
        SoftMaxH(x, y, b, soft);
        ShiftH(x, y, b, shift);
        double worst = 0;
        for (int i = 0; i < m; i++)
        {
            double[] f = Enumerable.Range(0, n).Select(j => -SqDist(xd, i, yd, j)).ToArray();
            double max = f.Max();
            double s = f.Sum(v => Math.Exp(v - max));
            worst = Math.Max(worst, Check($"lse row {i}", random, max + Math.Log(s), lse[i]));
            for (int k = 0; k < 4; k++)
            {
                double weighted = Enumerable.Range(0, n).Sum(j => Math.Exp(f[j] - max) * (k == 0 ? bd[j] : yd[(j * 3) + k - 1])) / s;
                // Softmax averages of O(1) weights: absolute bound on the O(1) scale.
                worst = Math.Max(worst, Check($"softmax row {i} component {k}", random, weighted, soft[(i * 4) + k]));
            }

            worst = Math.Max(worst, Check($"shift m row {i}", random, max, shift[i * 2]));
            worst = Math.Max(worst, Check($"shift s row {i}", random, Enumerable.Range(0, n).Sum(j => Math.Exp(f[j] - max) * bd[j]), shift[(i * 2) + 1]));
        }

        _output.WriteLine($"Half LogSumExp / SumSoftMaxWeight / MaxSumShiftExpWeight: max relative error {worst:E2}");
    }

    [Fact]
    public void GradientOfAHalfSumMatchesTheAnalyticFloat64Gradient()
    {
        var random = new SeededRandom(nameof(GradientOfAHalfSumMatchesTheAnalyticFloat64Gradient));
        const int m = 25, n = 400;
        Half[] x = Halves(random, m * 3, 0, 1), y = Halves(random, n * 3, 0, 1), b = Halves(random, n, 0.5, 1), g = { (Half)2.0 };
        Half[] e = Halves(random, m, 0.5, 1);
        double[] xd = D(x), yd = D(y), bd = D(b), ed = D(e);
        var gradX = new Half[m * 3];
        var gradG = new Half[1];
        GaussH1GradX(x, y, b, g, e, gradX);
        GaussH1GradG(x, y, b, g, e, gradG);
        double worst = 0, totalG = 0;
        for (int i = 0; i < m; i++)
        {
            var expected = new double[3];
            double scale = 0;
            for (int j = 0; j < n; j++)
            {
                double k = Math.Exp(-2 * SqDist(xd, i, yd, j)) * bd[j] * ed[i];
                totalG += -SqDist(xd, i, yd, j) * k;
                for (int c = 0; c < 3; c++)
                {
                    double term = -4 * (xd[(i * 3) + c] - yd[(j * 3) + c]) * k;
                    expected[c] += term;
                    scale += Math.Abs(term) / 3;
                }
            }

            // Terms of both signs cancel: the bound is relative to Σ|terms| (what float rounding scales with), and to the Half rounding of the result.
            for (int c = 0; c < 3; c++)
            {
                worst = Math.Max(worst, Check($"d/dx row {i} component {c}", random, expected[c], gradX[(i * 3) + c], scale: Math.Max(1e-3 * scale, Math.Abs(expected[c]))));
            }
        }

        worst = Math.Max(worst, Check("d/dg", random, totalG, gradG[0]));
        _output.WriteLine($"Half gradient methods: max relative error {worst:E2}");
    }
}
