using System;
using System.Linq;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Language;

/// <summary>
/// ReductionOp.MaxSumShiftExpWeight (KeOps's Max_SumShiftExpWeight): per output row, m = max F and
/// s_k = Σ exp(F − m) G_k, against a dense float64 reference on both axes in float and double;
/// its gradient against central differences of the generated forward.
/// </summary>
public static partial class MaxSumShiftExpWeightTests
{
    private const string Formula = "Sum(X*Y) - SqDist(X,Y)";
    private const string WeightFormula = "Concat(B, Sin(Y-X))";

    [Reduction(Formula, "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", Op = ReductionOp.MaxSumShiftExpWeight, Weight = WeightFormula, Axis = 1, GradientOrder = 1)]
    private static partial void WeightedD1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, Span<double> result);

    [Reduction(Formula, "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", Op = ReductionOp.MaxSumShiftExpWeight, Weight = WeightFormula, Axis = 0, GradientOrder = 1)]
    private static partial void WeightedD0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, Span<double> result);

    [Reduction(Formula, "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", Op = ReductionOp.MaxSumShiftExpWeight, Weight = WeightFormula, Axis = 1, GradientOrder = 1)]
    private static partial void WeightedF1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, Span<float> result);

    [Reduction(Formula, "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", Op = ReductionOp.MaxSumShiftExpWeight, Weight = WeightFormula, Axis = 0, GradientOrder = 1)]
    private static partial void WeightedF0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, Span<float> result);

    private const int Width = 5;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(13, 70)]
    [InlineData(70, 13)]
    public static void MatchesDenseReferenceOnBothAxes(int m, int n)
    {
        var random = new SeededRandom(nameof(MatchesDenseReferenceOnBothAxes), m, n);
        // Scale 2: F spans about [-40, 12], so the shift matters (exp(40) would lose float precision unshifted).
        double[] x = random.Doubles(m * 3, -2, 2), y = random.Doubles(n * 3, -2, 2), b = random.Doubles(n, -1, 1);
        float[] xf = x.Select(v => (float)v).ToArray(), yf = y.Select(v => (float)v).ToArray(), bf = b.Select(v => (float)v).ToArray();
        // The reference sees the float-rounded inputs, so both types are compared with one truth.
        x = xf.Select(v => (double)v).ToArray();
        y = yf.Select(v => (double)v).ToArray();
        b = bf.Select(v => (double)v).ToArray();

        double[] overJ = Reference(x, y, b, m, n, axis: 1), overI = Reference(x, y, b, m, n, axis: 0);
        var d1 = new double[m * Width];
        var d0 = new double[n * Width];
        var f1 = new float[m * Width];
        var f0 = new float[n * Width];
        WeightedD1(x, y, b, d1);
        WeightedD0(x, y, b, d0);
        WeightedF1(xf, yf, bf, f1);
        WeightedF0(xf, yf, bf, f0);
        // m is a max of computed F (exact up to the F chain's rounding); s_k sums terms of size ≤ |G|
        // (≤ 1 after the shift): bound errors by tol × (number of terms), tol 1e-13 (double) / 1e-5 (float).
        Compare("double axis 1", random, overJ, d1, 1e-13 * Math.Max(1, n));
        Compare("double axis 0", random, overI, d0, 1e-13 * Math.Max(1, m));
        Compare("float axis 1", random, overJ, f1.Select(v => (double)v).ToArray(), 1e-5 * Math.Max(1, n));
        Compare("float axis 0", random, overI, f0.Select(v => (double)v).ToArray(), 1e-5 * Math.Max(1, m));
    }

    [Fact]
    public static void EmptyReductionIsMinusInfinityAndZeros()
    {
        var result = new double[2 * Width];
        WeightedD1(new double[6], Array.Empty<double>(), Array.Empty<double>(), result);
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(double.NegativeInfinity, result[i * Width]);
            Assert.All(result.Skip((i * Width) + 1).Take(Width - 1), v => Assert.Equal(0.0, v));
        }
    }

    [Fact]
    public static void GradientMatchesFiniteDifferencesWhereTheShiftCancels()
    {
        // KeOps's gradient holds the shift m constant. That is the exact gradient of every use of
        // (m, s) invariant under (m + c, s·e^{−c}), i.e. whenever g_m = Σ_k g_sk s_k: choose g so,
        // then the energy ⟨g, out⟩ has exactly that gradient and central differences check it.
        var random = new SeededRandom(nameof(GradientMatchesFiniteDifferencesWhereTheShiftCancels));
        const int m = 4, n = 6;
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1), b = random.Doubles(n, -1, 1);
        var forward = new double[m * Width];
        WeightedD1(x, y, b, forward);
        double[] g = random.Doubles(m * Width, -1, 1);
        for (int i = 0; i < m; i++)
        {
            g[i * Width] = Enumerable.Range(1, Width - 1).Sum(k => g[(i * Width) + k] * forward[(i * Width) + k]);
        }

        var gradX = new double[x.Length];
        var gradY = new double[y.Length];
        var gradB = new double[b.Length];
        WeightedD1GradX(x, y, b, g, gradX);
        WeightedD1GradY(x, y, b, g, gradY);
        WeightedD1GradB(x, y, b, g, gradB);
        foreach ((double[] input, double[] gradient, string name) in new[] { (x, gradX, "x"), (y, gradY, "y"), (b, gradB, "b") })
        {
            for (int k = 0; k < input.Length; k++)
            {
                double saved = input[k];
                input[k] = saved + 1e-5;
                double plus = Energy(x, y, b, g);
                input[k] = saved - 1e-5;
                double minus = Energy(x, y, b, g);
                input[k] = saved;
                double fd = (plus - minus) / 2e-5;
                // Smooth away from ties of the max (random data has none within 1e-5):
                // h² f''' ≈ 1e-10 plus rounding 1e-16/h ≈ 1e-11.
                Assert.True(Math.Abs(gradient[k] - fd) < 1e-7, $"{random} d/d{name}[{k}]: {gradient[k]} vs {fd}");
            }
        }

        // As in KeOps, the m component of gradOutput is not read.
        double[] other = (double[])g.Clone();
        for (int i = 0; i < m; i++)
        {
            other[i * Width] = random.Double(-5, 5);
        }

        var again = new double[x.Length];
        WeightedD1GradX(x, y, b, other, again);
        Assert.Equal(gradX, again);
    }

    private static double Energy(double[] x, double[] y, double[] b, double[] g)
    {
        var output = new double[g.Length];
        WeightedD1(x, y, b, output);
        return output.Zip(g, (a, c) => a * c).Sum();
    }

    private static void Compare(string label, SeededRandom random, double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(actual[k] - expected[k]) <= tolerance * Math.Max(1, Math.Abs(expected[k])),
                $"{random} {label} [{k / Width}][{k % Width}]: {actual[k]:R} vs {expected[k]:R}");
        }
    }

    /// <summary>(m, s_1..s_4) per output row, written from the definition in float64.</summary>
    private static double[] Reference(double[] x, double[] y, double[] b, int m, int n, int axis)
    {
        int outer = axis == 1 ? m : n, inner = axis == 1 ? n : m;
        var result = new double[outer * Width];
        for (int o = 0; o < outer; o++)
        {
            double F(int r)
            {
                int i = axis == 1 ? o : r, j = axis == 1 ? r : o;
                double dot = 0, d2 = 0;
                for (int c = 0; c < 3; c++)
                {
                    dot += x[(i * 3) + c] * y[(j * 3) + c];
                    d2 += Math.Pow(x[(i * 3) + c] - y[(j * 3) + c], 2);
                }

                return dot - d2;
            }

            double[] G(int r)
            {
                int i = axis == 1 ? o : r, j = axis == 1 ? r : o;
                return new[] { b[j], Math.Sin(y[j * 3] - x[i * 3]), Math.Sin(y[(j * 3) + 1] - x[(i * 3) + 1]), Math.Sin(y[(j * 3) + 2] - x[(i * 3) + 2]) };
            }

            double max = Enumerable.Range(0, inner).Select(F).DefaultIfEmpty(double.NegativeInfinity).Max();
            result[o * Width] = max;
            for (int r = 0; r < inner; r++)
            {
                double e = Math.Exp(F(r) - max);
                double[] weight = G(r);
                for (int k = 0; k < 4; k++)
                {
                    result[(o * Width) + 1 + k] += e * weight[k];
                }
            }
        }

        return result;
    }
}
