using System;
using System.Linq;
using System.Reflection;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gradients;

/// <summary>
/// The combined gradient method M + "Grad": every gradient in one call, an empty span skipping
/// one. Up to 8 variables it runs the per-variable methods, so its results must be theirs bit for
/// bit; past 8 (KEOPS0307) it runs each gradient kernel through a pruned body of its own, checked
/// against central finite differences of the forward method for a Sum, a LogSumExp (saved forward
/// pass) and a Min (selected pairs) reduction.
/// </summary>
public static partial class CombinedGradientTests
{
    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", GradientOrder = 1)]
    private static partial void Small(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    private const string Nine = "Exp(-G*SqDist(X,Y))*B + C*Sin(D) + E*(H|H)*A";

    [Reduction(Nine, "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", "G = Pm(1)", "C = Vi(1)", "D = Vj(1)", "E = Vi(1)", "H = Vj(2)", "A = Pm(1)", GradientOrder = 1)]
    private static partial void WideSum(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, ReadOnlySpan<double> c, ReadOnlySpan<double> d, ReadOnlySpan<double> e, ReadOnlySpan<double> h, ReadOnlySpan<double> a, Span<double> result);

    [Reduction(Nine, "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", "G = Pm(1)", "C = Vi(1)", "D = Vj(1)", "E = Vi(1)", "H = Vj(2)", "A = Pm(1)", Op = ReductionOp.LogSumExp, GradientOrder = 1)]
    private static partial void WideLogSumExp(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, ReadOnlySpan<double> c, ReadOnlySpan<double> d, ReadOnlySpan<double> e, ReadOnlySpan<double> h, ReadOnlySpan<double> a, Span<double> result);

    [Reduction(Nine, "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", "G = Pm(1)", "C = Vi(1)", "D = Vj(1)", "E = Vi(1)", "H = Vj(2)", "A = Pm(1)", Op = ReductionOp.Min, GradientOrder = 1)]
    private static partial void WideMin(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, ReadOnlySpan<double> c, ReadOnlySpan<double> d, ReadOnlySpan<double> e, ReadOnlySpan<double> h, ReadOnlySpan<double> a, Span<double> result);

    private delegate void Forward(double[][] v, double[] result);

    private delegate void Combined(double[][] v, double[] gradOutput, double[][] gradients);

    [Fact]
    public static void CombinedMatchesThePerVariableMethodsBitwise()
    {
        const int n = 67, m = 91;
        var random = new SeededRandom(nameof(CombinedMatchesThePerVariableMethodsBitwise));
        double[] x = random.Doubles(n * 3, -1, 1), y = random.Doubles(m * 3, -1, 1), b = random.Doubles(m * 2, -1, 1), g = { random.Double(0.5, 2) };
        double[] gradOutput = random.Doubles(n * 2, -1, 1);
        double[][] expected = { new double[n * 3], new double[m * 3], new double[m * 2], new double[1] };
        SmallGradX(x, y, b, g, gradOutput, expected[0]);
        SmallGradY(x, y, b, g, gradOutput, expected[1]);
        SmallGradB(x, y, b, g, gradOutput, expected[2]);
        SmallGradG(x, y, b, g, gradOutput, expected[3]);

        double[][] all = expected.Select(e => new double[e.Length]).ToArray();
        SmallGrad(x, y, b, g, gradOutput, all[0], all[1], all[2], all[3]);
        for (int k = 0; k < 4; k++)
        {
            Assert.True(expected[k].SequenceEqual(all[k]), $"{random} gradient {k} differs from the per-variable method's");
        }

        // An empty span skips that gradient; the others are unchanged.
        double[] onlyY = new double[m * 3];
        SmallGrad(x, y, b, g, gradOutput, default, onlyY, Span<double>.Empty, default);
        Assert.True(expected[1].SequenceEqual(onlyY), $"{random} gradient with respect to y alone differs");
    }

    public static TheoryData<string> WideReductions => new() { nameof(WideSum), nameof(WideLogSumExp), nameof(WideMin) };

    [Theory]
    [MemberData(nameof(WideReductions))]
    public static void PastTheThresholdOnlyTheCombinedMethodIsGenerated(string name)
    {
        const BindingFlags Flags = BindingFlags.NonPublic | BindingFlags.Static;
        Assert.NotNull(typeof(CombinedGradientTests).GetMethod(name + "Grad", Flags));
        Assert.DoesNotContain(typeof(CombinedGradientTests).GetMethods(Flags), method => method.Name.StartsWith(name + "Grad", StringComparison.Ordinal) && method.Name != name + "Grad");
        Assert.Contains(typeof(CombinedGradientTests).GetMethods(Flags), method => method.Name == nameof(SmallGradX));
    }

    [Theory]
    [InlineData(nameof(WideSum), 4, 6)]
    [InlineData(nameof(WideSum), 37, 53)]
    [InlineData(nameof(WideLogSumExp), 37, 53)]
    [InlineData(nameof(WideMin), 37, 53)]
    public static void CombinedPastTheThresholdMatchesFiniteDifferences(string name, int n, int m)
    {
        var random = new SeededRandom(nameof(CombinedPastTheThresholdMatchesFiniteDifferences), name, n, m);
        (Forward forward, Combined combined) = name switch
        {
            nameof(WideSum) => ((Forward)((v, r) => WideSum(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], r)),
                (Combined)((v, e, o) => WideSumGrad(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], e, o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8]))),
            nameof(WideLogSumExp) => ((v, r) => WideLogSumExp(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], r),
                (v, e, o) => WideLogSumExpGrad(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], e, o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8])),
            _ => ((v, r) => WideMin(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], r),
                (v, e, o) => WideMinGrad(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], e, o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8])),
        };

        // X, Y, B, G, C, D, E, H, A: rows (n for Vi, m for Vj, 1 for Pm) × dims.
        int[] rows = { n, m, m, 1, n, m, n, m, 1 };
        int[] dims = { 2, 2, 1, 1, 1, 1, 1, 2, 1 };
        double[][] v = Enumerable.Range(0, 9).Select(k => random.Doubles(rows[k] * dims[k], -1, 1)).ToArray();
        v[3][0] = random.Double(0.5, 2);
        double[] gradOutput = random.Doubles(n, -1, 1);
        double[][] analytic = v.Select(p => new double[p.Length]).ToArray();
        combined(v, gradOutput, analytic);

        // s = <gradOutput, F(v)>, its derivative in every input by central differences.
        double S(double[][] p)
        {
            var output = new double[n];
            forward(p, output);
            return output.Select((o, i) => gradOutput[i] * o).Sum();
        }

        const double step = 1e-6;
        for (int k = 0; k < 9; k++)
        {
            for (int c = 0; c < v[k].Length; c++)
            {
                double saved = v[k][c];
                v[k][c] = saved + step;
                double plus = S(v);
                v[k][c] = saved - step;
                double minus = S(v);
                v[k][c] = saved;
                double fd = (plus - minus) / (2 * step);

                // Truncation h²|s'''| is ~1e-12·(n + m); rounding eps·|s|/h is ~1e-10·(n + m): 1e-6·(1 + n + m) covers both with margin.
                Assert.True(Math.Abs(analytic[k][c] - fd) <= 1e-6 * (1 + n + m) + 1e-7 * Math.Abs(fd), $"{random} {name} input {k} component {c}: gradient {analytic[k][c]:R}, finite difference {fd:R}");
            }
        }
    }

    [Fact]
    public static void OverlappingGradientSpansAreRejected()
    {
        const int n = 5, m = 7;
        double[] x = new double[n * 3], y = new double[m * 3], b = new double[m * 2], g = { 1 }, gradOutput = new double[n * 2];
        double[] shared = new double[(n * 3) + (m * 3)];

        // gradX's last row is gradY's first.
        var error = Assert.Throws<ArgumentException>(() => SmallGrad(x, y, b, g, gradOutput, shared.AsSpan(0, n * 3), shared.AsSpan((n - 1) * 3, m * 3), new double[m * 2], new double[1]));
        Assert.Equal("gradX", error.ParamName);
        Assert.Contains("'gradY'", error.Message, StringComparison.Ordinal);

        // A gradient written over an input.
        error = Assert.Throws<ArgumentException>(() => SmallGrad(x, y, b, g, gradOutput, default, default, b, new double[1]));
        Assert.Equal("gradB", error.ParamName);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }
}
