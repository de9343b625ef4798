using System;
using System.Linq;
using System.Reflection;
using System.Threading;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Runtime;

/// <summary>
/// The generated span surface is the user's plain method, one options method, and for each
/// gradient one method with optional options: a <see cref="CancellationToken"/> or a
/// <see cref="Ranges"/> reaches the options through <see cref="ReductionOptions"/>' implicit
/// conversions. These tests call every form (plain, null, default, options, token, ranges) and
/// check the numbers against dense float64 loops written here, the gradient against central
/// differences of that reference.
/// </summary>
public static partial class OptionsConversionTests
{
    [Reduction("Exp(-SqDist(X,Y))*B", "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", GradientOrder = 1)]
    private static partial void Gauss(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, Span<double> result);

    private const int N = 40, M = 30;

    // Rows 0..19 see columns 0..14, rows 20..39 columns 15..29.
    private static readonly bool[] s_keep = { true, false, false, true };

    private static Ranges BlockDiagonal() => Ranges.FromMatrix(new[] { 0, 20, 20, N }, new[] { 0, 15, 15, M }, s_keep);

    private static bool Kept(int i, int j) => (i < 20) == (j < 15);

    private static double Kernel(double[] x, double[] y, int i, int j)
    {
        double d0 = x[2 * i] - y[2 * j], d1 = x[(2 * i) + 1] - y[(2 * j) + 1];
        return Math.Exp(-((d0 * d0) + (d1 * d1)));
    }

    /// <summary>Σ_j exp(-|x_i - y_j|²) b_j over the kept pairs (all when <paramref name="sparse"/> is false).</summary>
    private static double[] Forward(double[] x, double[] y, double[] b, bool sparse)
    {
        var result = new double[N];
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < M; j++)
            {
                if (!sparse || Kept(i, j))
                {
                    result[i] += Kernel(x, y, i, j) * b[j];
                }
            }
        }

        return result;
    }

    /// <summary>d/dx of Σ_i g_i·Forward_i by central differences of the float64 reference.</summary>
    private static double[] FiniteDifferenceGradX(double[] x, double[] y, double[] b, double[] g, bool sparse)
    {
        const double h = 1e-5;
        var gradient = new double[x.Length];
        for (int k = 0; k < x.Length; k++)
        {
            double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
            plus[k] += h;
            minus[k] -= h;
            double[] fp = Forward(plus, y, b, sparse), fm = Forward(minus, y, b, sparse);
            double sum = 0;
            for (int i = 0; i < N; i++)
            {
                sum += g[i] * (fp[i] - fm[i]);
            }

            gradient[k] = sum / (2 * h);
        }

        return gradient;
    }

    private static (double[] X, double[] Y, double[] B, double[] G) Draw(SeededRandom random)
        => (random.Doubles(2 * N, -1, 1), random.Doubles(2 * M, -1, 1), random.Doubles(M, -1, 1), random.Doubles(N, -1, 1));

    /// <summary>Engine results in double against the double reference: sums of 30 terms, so 1e-12 relative leaves room only for summation order.</summary>
    private static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tolerance * (1 + Math.Abs(expected[k])), $"{what} [{k}]: {actual[k]} vs {expected[k]}");
        }
    }

    /// <summary>Runs each call form into a fresh output and compares it with <paramref name="expected"/>.</summary>
    private static void CheckForms((string Name, Action<double[]> Call)[] forms, int length, double[] expected, double tolerance, SeededRandom random)
    {
        foreach (var (name, call) in forms)
        {
            var result = new double[length];
            call(result);
            Close(expected, result, tolerance, $"{random} {name}");
        }
    }

    [Fact]
    public static void EveryCallFormOfTheForwardMethodComputesTheReduction()
    {
        var random = new SeededRandom(nameof(EveryCallFormOfTheForwardMethodComputesTheReduction));
        var (x, y, b, _) = Draw(random);
        double[] dense = Forward(x, y, b, sparse: false);
        using var live = new CancellationTokenSource();
        var forms = new (string Name, Action<double[]> Call)[]
        {
            ("plain", r => Gauss(x, y, b, r)),
            ("null options", r => Gauss(x, y, b, r, null)),
            ("default options", r => Gauss(x, y, b, r, default)),
            ("options", r => Gauss(x, y, b, r, new ReductionOptions { SumScheme = SumScheme.Kahan })),
            ("CancellationToken.None", r => Gauss(x, y, b, r, CancellationToken.None)),
            ("live token", r => Gauss(x, y, b, r, live.Token)),
        };
        CheckForms(forms, N, dense, 1e-12, random);
    }

    [Fact]
    public static void ARangesArgumentIsHonouredByTheForwardAndGradientMethods()
    {
        var random = new SeededRandom(nameof(ARangesArgumentIsHonouredByTheForwardAndGradientMethods));
        var (x, y, b, g) = Draw(random);
        Ranges ranges = BlockDiagonal();

        var result = new double[N];
        Gauss(x, y, b, result, ranges);
        Close(Forward(x, y, b, sparse: true), result, 1e-12, $"{random} forward");

        // The dense answer differs from the sparse one, so the ranges really were applied.
        Assert.True(Forward(x, y, b, sparse: false).Zip(result).Any(p => Math.Abs(p.First - p.Second) > 1e-6), $"{random} the block pattern changes nothing");

        var gradient = new double[2 * N];
        GaussGradX(x, y, b, g, gradient, ranges);
        // Central differences with h = 1e-5 on O(1) terms: truncation ~h², rounding ~1e-16/h.
        Close(FiniteDifferenceGradX(x, y, b, g, sparse: true), gradient, 1e-7, $"{random} gradient");
    }

    [Fact]
    public static void ANullRangesArgumentIsRejectedNotReadAsDense()
    {
        var random = new SeededRandom(nameof(ANullRangesArgumentIsRejectedNotReadAsDense));
        var (x, y, b, _) = Draw(random);
        var e = Assert.Throws<ArgumentNullException>(() => Gauss(x, y, b, new double[N], (Ranges)null!));
        Assert.Equal("ranges", e.ParamName);
    }

    [Fact]
    public static void EveryCallFormOfAGradientMethodComputesTheGradient()
    {
        var random = new SeededRandom(nameof(EveryCallFormOfAGradientMethodComputesTheGradient));
        var (x, y, b, g) = Draw(random);
        double[] expected = FiniteDifferenceGradX(x, y, b, g, sparse: false);
        using var live = new CancellationTokenSource();
        var forms = new (string Name, Action<double[]> Call)[]
        {
            ("plain", r => GaussGradX(x, y, b, g, r)),
            ("null options", r => GaussGradX(x, y, b, g, r, null)),
            ("named options", r => GaussGradX(x, y, b, g, r, options: new ReductionOptions { Accumulation = Accumulation.Double })),
            ("live token", r => GaussGradX(x, y, b, g, r, live.Token)),
            ("dense ranges", r => GaussGradX(x, y, b, g, r, Ranges.FromMatrix(new[] { 0, N }, new[] { 0, M }, new[] { true }))),
        };
        // Central differences with h = 1e-5 on O(1) terms: truncation ~h², rounding ~1e-16/h.
        CheckForms(forms, 2 * N, expected, 1e-7, random);
    }

    [Fact]
    public static void ACancelledTokenStopsForwardAndGradientCalls()
    {
        var random = new SeededRandom(nameof(ACancelledTokenStopsForwardAndGradientCalls));
        var (x, y, b, g) = Draw(random);
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Gauss(x, y, b, new double[N], source.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => GaussGradX(x, y, b, g, new double[2 * N], source.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => GaussGradY(x, y, b, g, new double[2 * M], source.Token));
    }

    [Fact]
    public static void TheConversionsBuildTheOptionsTheyStandFor()
    {
        using var source = new CancellationTokenSource();
        ReductionOptions fromToken = source.Token;
        Assert.Equal(source.Token, fromToken.CancellationToken);
        Assert.Null(fromToken.Ranges);

        // A token that can never be cancelled needs no options object of its own.
        ReductionOptions fromNone = CancellationToken.None;
        Assert.Same(ReductionOptions.Default, fromNone);

        Ranges ranges = BlockDiagonal();
        ReductionOptions fromRanges = ranges;
        Assert.Same(ranges, fromRanges.Ranges);
        Assert.False(fromRanges.CancellationToken.CanBeCanceled);
    }

    [Fact]
    public static void NoTokenOrRangesOverloadIsGeneratedAndGradientsHaveOneSpanMethod()
    {
        MethodInfo[] methods = typeof(OptionsConversionTests).GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name is "Gauss" or "GaussGradX" or "GaussGradY" or "GaussGradB")
            .ToArray();
        Assert.DoesNotContain(methods, m => m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken) || p.ParameterType == typeof(Ranges)));

        bool IsSpanForm(MethodInfo m) => m.GetParameters()[0].ParameterType == typeof(ReadOnlySpan<double>);
        Assert.Equal(2, methods.Count(m => m.Name == "Gauss" && IsSpanForm(m)));
        foreach (string gradient in new[] { "GaussGradX", "GaussGradY", "GaussGradB" })
        {
            MethodInfo single = Assert.Single(methods, m => m.Name == gradient && IsSpanForm(m));
            ParameterInfo options = single.GetParameters().Last();
            Assert.Equal(typeof(ReductionOptions), options.ParameterType);
            Assert.True(options.HasDefaultValue && options.DefaultValue is null, $"{gradient}: options are not optional");
        }
    }
}
