using System;
using System.Linq;
using System.Text;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Numerics;

/// <summary>
/// Generated Sum reductions against a dense float64 reference written here, on fresh seeded
/// inputs, for both axes, float and double, sizes below and above the SIMD width, with an
/// output-row count that is not a multiple of the engine's row block and an inner count that
/// spans several tiles.
/// </summary>
/// <remarks>
/// Tolerances bound |result − reference| by tol × Σ_r max(|F_r|, floor) over the reduced rows r:
/// <list type="bullet">
/// <item>float, tol = 1e-5: each term is a chain of up to ~20 float operations on O(1)
/// intermediates (≤ ~20 ulps ≈ 1.2e-6 relative when errors add up) plus the float block sums
/// (≤ ~100 additions per lane per tile, ≈ 6e-6 in the worst case, ~1e-7 in practice: errors
/// seen are ≈ 7e-8 × Σ|F|). A wrong term or index is O(1) off, far above the bound.</item>
/// <item>double, tol = 1e-12: same chain at 1.1e-16 per operation: 1e-12 is a 10⁴-fold margin and
/// still far below any formula or indexing mistake.</item>
/// <item>floor: 1 for formulas whose terms can cancel inside one pair (the error then scales with
/// the O(1) intermediates, not with |F|); 0 for products of positive factors (Gaussian), where
/// every term is accurate relative to itself.</item>
/// </list>
/// </remarks>
public static partial class ReductionNumericsTests
{
    private const double FloatTolerance = 1e-5;
    private const double DoubleTolerance = 1e-12;

    // ---- Gaussian convolution: Exp, unary minus, SqDist, Pm -------------------------------------

    private const string Gaussian = "Exp(-G*SqDist(X,Y))*B";

    [Reduction(Gaussian, "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Axis = 1)]
    private static partial void GaussianF1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction(Gaussian, "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Axis = 0)]
    private static partial void GaussianF0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction(Gaussian, "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Axis = 1)]
    private static partial void GaussianD1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction(Gaussian, "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Axis = 0)]
    private static partial void GaussianD0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    // ---- Arithmetic: + - * / unary minus, integer constants, broadcasting of scalars ------------

    private const string Arithmetic = "(X - Y) * S / (T + 2) - -X + 3*X*Y - X/4";

    [Reduction(Arithmetic, "X = Vi(3)", "Y = Vj(3)", "S = Vi(1)", "T = Vj(1)", Axis = 1)]
    private static partial void ArithmeticF1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, ReadOnlySpan<float> t, Span<float> result);

    [Reduction(Arithmetic, "X = Vi(3)", "Y = Vj(3)", "S = Vi(1)", "T = Vj(1)", Axis = 0)]
    private static partial void ArithmeticD0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, ReadOnlySpan<double> t, Span<double> result);

    // ---- Elementwise math ---------------------------------------------------------------------

    private const string Elementwise = "Log(1 + Square(X)) + Sqrt(T) * Rsqrt(T + 1) + Inv(T + 2) + Pow(X, 3) + Sin(X) * Cos(Y) + Abs(X - Y) + Exp(S)";

    [Reduction(Elementwise, "X = Vi(3)", "Y = Vj(3)", "S = Vi(1)", "T = Vj(1)", Axis = 1)]
    private static partial void ElementwiseF1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, ReadOnlySpan<float> t, Span<float> result);

    [Reduction(Elementwise, "X = Vi(3)", "Y = Vj(3)", "S = Vi(1)", "T = Vj(1)", Axis = 0)]
    private static partial void ElementwiseD0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, ReadOnlySpan<double> t, Span<double> result);

    // ---- Vector operations and a float literal ------------------------------------------------

    private const string Vector = "Sum(X*Y) + Elem(X, 1) * SqNorm2(Y) + Norm2(X - Y) + (X|Y) * 0.5 - 2.5 * Sum(Y)";

    [Reduction(Vector, "X = Vi(3)", "Y = Vj(3)", Axis = 1)]
    private static partial void VectorF1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

    [Reduction(Vector, "X = Vi(3)", "Y = Vj(3)", Axis = 0)]
    private static partial void VectorD0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);

    // ---- Powers through ** (Square, Rsqrt, Sqrt, Pow, Powf) ------------------------------------

    private const string Powers = "X**2 * T**-0.5 + T**0.5 - X**-2 + T**1.5";

    [Reduction(Powers, "X = Vi(2)", "T = Vj(1)", Axis = 1)]
    private static partial void PowersF1(ReadOnlySpan<float> x, ReadOnlySpan<float> t, Span<float> result);

    [Reduction(Powers, "X = Vi(2)", "T = Vj(1)", Axis = 0)]
    private static partial void PowersD0(ReadOnlySpan<double> x, ReadOnlySpan<double> t, Span<double> result);

    // ---- Summation schemes and accumulator precision ------------------------------------------

    [Reduction(Gaussian, "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", SumScheme = SumScheme.Block)]
    private static partial void GaussianBlock(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction(Gaussian, "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", SumScheme = SumScheme.Kahan)]
    private static partial void GaussianKahan(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction(Gaussian, "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", SumScheme = SumScheme.Direct)]
    private static partial void GaussianDirect(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction(Gaussian, "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Accumulation = Accumulation.Double)]
    private static partial void GaussianAccDouble(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    // ---- Reference machinery ------------------------------------------------------------------

    /// <summary>F for one (i, j) pair, written into the buffer (dimension of F).</summary>
    private delegate void Term(int i, int j, double[] value);

    /// <summary>
    /// Dense float64 reduction over the reduced axis and the comparison, with the first
    /// mismatches (and the seed) in the failure message.
    /// </summary>
    private static void AssertMatches(string label, SeededRandom random, int axis, int m, int n, int dimF, Term term, double tolerance, double floor, double[] actual)
    {
        int outRows = axis == 1 ? m : n;
        int reducedRows = axis == 1 ? n : m;
        Assert.Equal(outRows * dimF, actual.Length);
        var value = new double[dimF];
        var expected = new double[dimF];
        var scale = new double[dimF];
        var failures = new StringBuilder();
        int failed = 0;
        for (int o = 0; o < outRows; o++)
        {
            Array.Clear(expected);
            Array.Clear(scale);
            for (int r = 0; r < reducedRows; r++)
            {
                if (axis == 1)
                {
                    term(o, r, value);
                }
                else
                {
                    term(r, o, value);
                }

                for (int k = 0; k < dimF; k++)
                {
                    expected[k] += value[k];
                    scale[k] += Math.Max(Math.Abs(value[k]), floor);
                }
            }

            for (int k = 0; k < dimF; k++)
            {
                double got = actual[(o * dimF) + k];
                double error = Math.Abs(got - expected[k]);
                if (!(error <= tolerance * scale[k]))
                {
                    if (++failed <= 5)
                    {
                        failures.Append($"\n  row {o} comp {k}: got {got:R}, reference {expected[k]:R}, error {error:E2} > {tolerance:E0} × {scale[k]:G4}");
                    }
                }
            }
        }

        Assert.True(failed == 0, $"{label} axis {axis} M={m} N={n} {random}: {failed} of {actual.Length} values off{failures}");
    }

    private static float[] ToFloat(double[] values) => values.Select(v => (float)v).ToArray();

    /// <summary>The values a float run actually sees, widened back for the reference.</summary>
    private static double[] Rounded(double[] values) => values.Select(v => (double)(float)v).ToArray();

    private static double[] Widen(float[] values) => values.Select(v => (double)v).ToArray();

    public static readonly TheoryData<int, int> Sizes = new()
    {
        { 1, 1 },
        { 1, 7 },
        { 7, 1 },
        { 7, 13 },
        { 5, 1203 },
        { 1203, 5 },
        { 1000, 1203 },
    };

    // ---- Gaussian -----------------------------------------------------------------------------

    private static Term GaussianTerm(double[] x, double[] y, double[] b, double g) => (i, j, v) =>
    {
        double d2 = 0;
        for (int k = 0; k < 3; k++)
        {
            double d = x[(i * 3) + k] - y[(j * 3) + k];
            d2 += d * d;
        }

        double e = Math.Exp(-g * d2);
        v[0] = e * b[j * 2];
        v[1] = e * b[(j * 2) + 1];
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void GaussianFloat(int m, int n)
    {
        foreach (int axis in new[] { 1, 0 })
        {
            var random = new SeededRandom(nameof(GaussianFloat), m, n, axis);
            double[] x = Rounded(random.Doubles(m * 3, -1, 1)), y = Rounded(random.Doubles(n * 3, -1, 1)), b = Rounded(random.Doubles(n * 2, -1, 1));
            double g = (float)random.Double(0.5, 2);
            var result = new float[(axis == 1 ? m : n) * 2];
            if (axis == 1)
            {
                GaussianF1(ToFloat(x), ToFloat(y), ToFloat(b), new[] { (float)g }, result);
            }
            else
            {
                GaussianF0(ToFloat(x), ToFloat(y), ToFloat(b), new[] { (float)g }, result);
            }

            AssertMatches(Gaussian, random, axis, m, n, 2, GaussianTerm(x, y, b, g), FloatTolerance, 0, Widen(result));
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void GaussianDouble(int m, int n)
    {
        foreach (int axis in new[] { 1, 0 })
        {
            var random = new SeededRandom(nameof(GaussianDouble), m, n, axis);
            double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1), b = random.Doubles(n * 2, -1, 1);
            double g = random.Double(0.5, 2);
            var result = new double[(axis == 1 ? m : n) * 2];
            if (axis == 1)
            {
                GaussianD1(x, y, b, new[] { g }, result);
            }
            else
            {
                GaussianD0(x, y, b, new[] { g }, result);
            }

            AssertMatches(Gaussian, random, axis, m, n, 2, GaussianTerm(x, y, b, g), DoubleTolerance, 0, result);
        }
    }

    // ---- Arithmetic ---------------------------------------------------------------------------

    private static Term ArithmeticTerm(double[] x, double[] y, double[] s, double[] t) => (i, j, v) =>
    {
        for (int k = 0; k < 3; k++)
        {
            double xi = x[(i * 3) + k], yj = y[(j * 3) + k];
            v[k] = ((xi - yj) * s[i] / (t[j] + 2)) + xi + (3 * xi * yj) - (xi / 4);
        }
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void ArithmeticFloatAxis1(int m, int n)
    {
        var random = new SeededRandom(nameof(ArithmeticFloatAxis1), m, n);
        double[] x = Rounded(random.Doubles(m * 3, -1, 1)), y = Rounded(random.Doubles(n * 3, -1, 1));
        double[] s = Rounded(random.Doubles(m, -1, 1)), t = Rounded(random.Doubles(n, 0, 1));
        var result = new float[m * 3];
        ArithmeticF1(ToFloat(x), ToFloat(y), ToFloat(s), ToFloat(t), result);
        AssertMatches(Arithmetic, random, 1, m, n, 3, ArithmeticTerm(x, y, s, t), FloatTolerance, 1, Widen(result));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void ArithmeticDoubleAxis0(int m, int n)
    {
        var random = new SeededRandom(nameof(ArithmeticDoubleAxis0), m, n);
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1), s = random.Doubles(m, -1, 1), t = random.Doubles(n, 0, 1);
        var result = new double[n * 3];
        ArithmeticD0(x, y, s, t, result);
        AssertMatches(Arithmetic, random, 0, m, n, 3, ArithmeticTerm(x, y, s, t), DoubleTolerance, 1, result);
    }

    // ---- Elementwise math ---------------------------------------------------------------------

    private static Term ElementwiseTerm(double[] x, double[] y, double[] s, double[] t) => (i, j, v) =>
    {
        double tj = t[j];
        double shared = (Math.Sqrt(tj) / Math.Sqrt(tj + 1)) + (1 / (tj + 2)) + Math.Exp(s[i]);
        for (int k = 0; k < 3; k++)
        {
            double xi = x[(i * 3) + k], yj = y[(j * 3) + k];
            v[k] = Math.Log(1 + (xi * xi)) + shared + (xi * xi * xi) + (Math.Sin(xi) * Math.Cos(yj)) + Math.Abs(xi - yj);
        }
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void ElementwiseFloatAxis1(int m, int n)
    {
        var random = new SeededRandom(nameof(ElementwiseFloatAxis1), m, n);
        double[] x = Rounded(random.Doubles(m * 3, -2, 2)), y = Rounded(random.Doubles(n * 3, -2, 2));
        double[] s = Rounded(random.Doubles(m, -1, 1)), t = Rounded(random.Doubles(n, 0.1, 2));
        var result = new float[m * 3];
        ElementwiseF1(ToFloat(x), ToFloat(y), ToFloat(s), ToFloat(t), result);
        AssertMatches(Elementwise, random, 1, m, n, 3, ElementwiseTerm(x, y, s, t), FloatTolerance, 1, Widen(result));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void ElementwiseDoubleAxis0(int m, int n)
    {
        var random = new SeededRandom(nameof(ElementwiseDoubleAxis0), m, n);
        double[] x = random.Doubles(m * 3, -2, 2), y = random.Doubles(n * 3, -2, 2), s = random.Doubles(m, -1, 1), t = random.Doubles(n, 0.1, 2);
        var result = new double[n * 3];
        ElementwiseD0(x, y, s, t, result);
        AssertMatches(Elementwise, random, 0, m, n, 3, ElementwiseTerm(x, y, s, t), DoubleTolerance, 1, result);
    }

    // ---- Vector operations --------------------------------------------------------------------

    private static Term VectorTerm(double[] x, double[] y) => (i, j, v) =>
    {
        double dot = 0, sqNormY = 0, sqDist = 0, sumY = 0;
        for (int k = 0; k < 3; k++)
        {
            double xi = x[(i * 3) + k], yj = y[(j * 3) + k];
            dot += xi * yj;
            sqNormY += yj * yj;
            sqDist += (xi - yj) * (xi - yj);
            sumY += yj;
        }

        v[0] = dot + (x[(i * 3) + 1] * sqNormY) + Math.Sqrt(sqDist) + (dot * 0.5) - (2.5 * sumY);
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void VectorFloatAxis1(int m, int n)
    {
        var random = new SeededRandom(nameof(VectorFloatAxis1), m, n);
        double[] x = Rounded(random.Doubles(m * 3, -1, 1)), y = Rounded(random.Doubles(n * 3, -1, 1));
        var result = new float[m];
        VectorF1(ToFloat(x), ToFloat(y), result);
        AssertMatches(Vector, random, 1, m, n, 1, VectorTerm(x, y), FloatTolerance, 1, Widen(result));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void VectorDoubleAxis0(int m, int n)
    {
        var random = new SeededRandom(nameof(VectorDoubleAxis0), m, n);
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1);
        var result = new double[n];
        VectorD0(x, y, result);
        AssertMatches(Vector, random, 0, m, n, 1, VectorTerm(x, y), DoubleTolerance, 1, result);
    }

    // ---- Powers -------------------------------------------------------------------------------

    private static Term PowersTerm(double[] x, double[] t) => (i, j, v) =>
    {
        double tj = t[j];
        for (int k = 0; k < 2; k++)
        {
            double xi = x[(i * 2) + k];
            v[k] = (xi * xi / Math.Sqrt(tj)) + Math.Sqrt(tj) - (1 / (xi * xi)) + Math.Pow(tj, 1.5);
        }
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void PowersFloatAxis1(int m, int n)
    {
        var random = new SeededRandom(nameof(PowersFloatAxis1), m, n);
        double[] x = Rounded(random.Doubles(m * 2, 0.5, 1.5)), t = Rounded(random.Doubles(n, 0.5, 2));
        var result = new float[m * 2];
        PowersF1(ToFloat(x), ToFloat(t), result);
        AssertMatches(Powers, random, 1, m, n, 2, PowersTerm(x, t), FloatTolerance, 1, Widen(result));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public static void PowersDoubleAxis0(int m, int n)
    {
        var random = new SeededRandom(nameof(PowersDoubleAxis0), m, n);
        double[] x = random.Doubles(m * 2, 0.5, 1.5), t = random.Doubles(n, 0.5, 2);
        var result = new double[n * 2];
        PowersD0(x, t, result);
        AssertMatches(Powers, random, 0, m, n, 2, PowersTerm(x, t), DoubleTolerance, 1, result);
    }

    // ---- Summation schemes --------------------------------------------------------------------

    /// <summary>
    /// A long float sum (20000 terms, 25 tiles) of positive terms, so Σ|F| is the result and the
    /// bound is a plain relative error. Kahan and double accumulation remove the accumulation
    /// error: only per-term rounding (a few ulps) and the final rounding remain, hence 2e-6.
    /// Block sums in float: ~100 additions per lane per tile, then the tile folds: 2e-5.
    /// Direct: one float lane accumulates 20000/8 = 2500 terms; its error grows like √2500 ulps in
    /// practice (2500 ulps ≈ 1.5e-4 in the worst case), hence 1e-4.
    /// </summary>
    [Theory]
    [InlineData("Block", 2e-5)]
    [InlineData("Kahan", 2e-6)]
    [InlineData("Direct", 1e-4)]
    [InlineData("AccumulationDouble", 2e-6)]
    public static void SumSchemesMatchTheReference(string scheme, double tolerance)
    {
        const int m = 37, n = 20000;
        var random = new SeededRandom(nameof(SumSchemesMatchTheReference), scheme);
        double[] x = Rounded(random.Doubles(m * 3, -0.5, 0.5)), y = Rounded(random.Doubles(n * 3, -0.5, 0.5)), b = Rounded(random.Doubles(n * 2, 0, 1));
        double g = (float)random.Double(0.5, 2);
        var result = new float[m * 2];
        float[] xf = ToFloat(x), yf = ToFloat(y), bf = ToFloat(b), gf = { (float)g };
        switch (scheme)
        {
            case "Block": GaussianBlock(xf, yf, bf, gf, result); break;
            case "Kahan": GaussianKahan(xf, yf, bf, gf, result); break;
            case "Direct": GaussianDirect(xf, yf, bf, gf, result); break;
            default: GaussianAccDouble(xf, yf, bf, gf, result); break;
        }

        AssertMatches(scheme, random, 1, m, n, 2, GaussianTerm(x, y, b, g), tolerance, 0, Widen(result));
    }

    // ---- Paths and edge cases -----------------------------------------------------------------

    /// <summary>
    /// A call with one inner row runs the scalar lane path (ScalarLane); a call with 40 runs a vector
    /// path. Summing the one-row calls in double must give the vector call's result up to float
    /// rounding of each term (per-term ≤ a few ulps; 1e-5 × Σ|F| covers the float sums too).
    /// </summary>
    [Fact]
    public static void ScalarPathAgreesWithVectorPath()
    {
        const int m = 9, n = 40;
        var random = new SeededRandom(nameof(ScalarPathAgreesWithVectorPath));
        float[] x = random.Floats(m * 3, -1, 1), y = random.Floats(n * 3, -1, 1), b = random.Floats(n * 2, -1, 1);
        float[] g = { (float)random.Double(0.5, 2) };
        var vector = new float[m * 2];
        GaussianF1(x, y, b, g, vector);

        var scalarSum = new double[m * 2];
        var scale = new double[m * 2];
        var one = new float[m * 2];
        for (int j = 0; j < n; j++)
        {
            GaussianF1(x, y.AsSpan(j * 3, 3), b.AsSpan(j * 2, 2), g, one);
            for (int q = 0; q < one.Length; q++)
            {
                scalarSum[q] += one[q];
                scale[q] += Math.Abs(one[q]);
            }
        }

        for (int q = 0; q < vector.Length; q++)
        {
            Assert.True(Math.Abs(vector[q] - scalarSum[q]) <= 1e-5 * scale[q],
                $"{random} value {q}: vector path {vector[q]:R}, scalar path {scalarSum[q]:R}");
        }
    }

    [Fact]
    public static void EmptyReducedSideGivesZeros()
    {
        var random = new SeededRandom(nameof(EmptyReducedSideGivesZeros));
        const int m = 11;
        float[] x = random.Floats(m * 3, -1, 1);
        var result = Enumerable.Repeat(float.NaN, m * 2).ToArray();
        GaussianF1(x, Array.Empty<float>(), Array.Empty<float>(), new[] { 1f }, result);
        Assert.All(result, v => Assert.Equal(0f, v));

        var byJ = Enumerable.Repeat(double.NaN, 3 * 3).ToArray();
        ArithmeticD0(Array.Empty<double>(), random.Doubles(9, -1, 1), Array.Empty<double>(), random.Doubles(3, 0, 1), byJ);
        Assert.All(byJ, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public static void EmptyOutputSideIsANoOp()
    {
        var random = new SeededRandom(nameof(EmptyOutputSideIsANoOp));
        GaussianF1(Array.Empty<float>(), random.Floats(30, -1, 1), random.Floats(20, -1, 1), new[] { 1f }, Span<float>.Empty);
        var output = Array.Empty<double>();
        VectorD0(random.Doubles(12, -1, 1), Array.Empty<double>(), output);
        Assert.Empty(output);
    }

    // ---- Argument validation ------------------------------------------------------------------

    private static ArgumentException Invalid(int xLength, int yLength, int bLength, int gLength, int resultLength)
        => Assert.Throws<ArgumentException>(() => GaussianF1(new float[xLength], new float[yLength], new float[bLength], new float[gLength], new float[resultLength]));

    [Fact]
    public static void LengthNotAMultipleOfTheDimensionNamesTheParameter()
    {
        ArgumentException e = Invalid(10, 9, 6, 1, 6);
        Assert.Equal("x", e.ParamName);
        Assert.Contains("multiple of its dimension 3", e.Message);

        e = Invalid(9, 8, 6, 1, 6);
        Assert.Equal("y", e.ParamName);
        Assert.Contains("3", e.Message);

        e = Invalid(9, 9, 7, 1, 6);
        Assert.Equal("b", e.ParamName);
        Assert.Contains("multiple of its dimension 2", e.Message);
    }

    [Fact]
    public static void MismatchedRowCountsNameBothParameters()
    {
        // y has 3 rows, b has 4: b must hold 3 × 2 values.
        ArgumentException e = Invalid(9, 9, 8, 1, 6);
        Assert.Equal("b", e.ParamName);
        Assert.Contains("'y'", e.Message);
        Assert.Contains("3 × 2 = 6", e.Message);
    }

    [Fact]
    public static void WrongOutputOrParameterLengthIsRejected()
    {
        ArgumentException e = Invalid(9, 9, 6, 1, 5);
        Assert.Equal("result", e.ParamName);
        Assert.Contains("3 rows × 2 = 6", e.Message);

        e = Invalid(9, 9, 6, 2, 6);
        Assert.Equal("g", e.ParamName);
        Assert.Contains("exactly 1", e.Message);
    }
}
