using System;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Models;
using KeOpsGen.Generator.Parsing;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Formulas;

/// <summary>
/// SoftDTW_SqDist and BSpline against implementations written here (the soft-DTW recursion on a
/// table bordered with +∞, the recursive Cox–de Boor formula), through the float64 references
/// and generated double kernels; soft-DTW gradients against finite differences.
/// </summary>
public static partial class SoftDtwBSplineTests
{
    private const int Nx = 4;
    private const int Ny = 11;

    [Reduction("SoftDTW_SqDist(X,Y,G)", "X = Vi(5)", "Y = Vj(4)", "G = Pm(1)", GradientOrder = 1)]
    private static partial void SoftDtw(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("BSpline(K,T,3)", "T = Vi(1)", "K = Vj(9)", GradientOrder = 1)]
    private static partial void Cubic(ReadOnlySpan<double> t, ReadOnlySpan<double> k, Span<double> result);

    [Theory]
    [InlineData(5, 4, 0.5)]
    [InlineData(1, 6, 1.0)]
    [InlineData(7, 1, 0.3)]
    [InlineData(8, 9, 0.05)]
    public static void SoftDtwReferenceMatchesTheBorderedRecursion(int n, int m, double gamma)
    {
        var random = new SeededRandom(nameof(SoftDtwReferenceMatchesTheBorderedRecursion), n, m, gamma);
        double[] x = random.Doubles(n, -1, 1), y = random.Doubles(m, -1, 1);
        double actual = Evaluate("SoftDTW_SqDist(X,Y,G)", ("X", x), ("Y", y), ("G", new[] { gamma }))[0];
        double expected = BorderedSoftDtw(x, y, gamma);
        // Same recursion, different order of the softmin terms: a few ulps per cell over ≤ 72 cells.
        Assert.True(Math.Abs(actual - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{random}: {actual:R} vs {expected:R}");
    }

    [Theory]
    [InlineData(5, 4, 0.5)]
    [InlineData(1, 3, 0.7)]
    [InlineData(4, 1, 0.7)]
    [InlineData(6, 6, 0.2)]
    public static void SoftDtwGradientMatchesFiniteDifferences(int n, int m, double gamma)
    {
        // Central differences of the bordered recursion, step 1e-5: the soft-DTW is smooth
        // (a composition of log-sum-exp), truncation ~h²·|R'''| ≲ 1e-9 for gamma ≥ 0.2 on
        // values in [-1, 1], rounding 1e-16/1e-5; tolerance 1e-7.
        var random = new SeededRandom(nameof(SoftDtwGradientMatchesFiniteDifferences), n, m, gamma);
        double[] x = random.Doubles(n, -1, 1), y = random.Doubles(m, -1, 1), e = random.Doubles(1, 0.5, 2);
        foreach (string wrt in new[] { "X", "Y" })
        {
            double[] gradient = Evaluate($"Grad(SoftDTW_SqDist(X,Y,G),{wrt},E)", ("X", x), ("Y", y), ("G", new[] { gamma }), ("E", e));
            double[] fd = FiniteDifferences(wrt == "X" ? x : y, () => e[0] * BorderedSoftDtw(x, y, gamma));
            for (int k = 0; k < fd.Length; k++)
            {
                Assert.True(Math.Abs(gradient[k] - fd[k]) <= 1e-7 * Math.Max(1, Math.Abs(fd[k])), $"{random} d/d{wrt}[{k}]: {gradient[k]:R} vs {fd[k]:R}");
            }
        }
    }

    [Fact]
    public static void GeneratedSoftDtwKernelsMatchTheBorderedRecursion()
    {
        // SoftDtw and the gradient methods the generator adds for it (x reduces over j, y over
        // i; gamma has none: KEOPS0114, not differentiable).
        var random = new SeededRandom(nameof(GeneratedSoftDtwKernelsMatchTheBorderedRecursion));
        double[] x = random.Doubles(Nx * 5, -1, 1), y = random.Doubles(Ny * 4, -1, 1), e = random.Doubles(Nx, 0.5, 2);
        double[] gamma = { random.Double(0.2, 1) };
        var value = new double[Nx];
        var gradX = new double[Nx * 5];
        var gradY = new double[Ny * 4];
        SoftDtw(x, y, gamma, value);
        SoftDtwGradX(x, y, gamma, e, gradX);
        SoftDtwGradY(x, y, gamma, e, gradY);
        var expected = new double[Nx];
        var expectedX = new double[Nx * 5];
        var expectedY = new double[Ny * 4];
        for (int i = 0; i < Nx; i++)
        {
            double[] xi = x.Skip(5 * i).Take(5).ToArray();
            for (int j = 0; j < Ny; j++)
            {
                double[] yj = y.Skip(4 * j).Take(4).ToArray();
                expected[i] += BorderedSoftDtw(xi, yj, gamma[0]);
                double[] dx = FiniteDifferences(xi, () => e[i] * BorderedSoftDtw(xi, yj, gamma[0]));
                double[] dy = FiniteDifferences(yj, () => e[i] * BorderedSoftDtw(xi, yj, gamma[0]));
                for (int k = 0; k < 5; k++)
                {
                    expectedX[(5 * i) + k] += dx[k];
                }

                for (int k = 0; k < 4; k++)
                {
                    expectedY[(4 * j) + k] += dy[k];
                }
            }
        }

        // Values: the kernel and the recursion differ by roundings only (1e-12 relative over 11
        // terms). Gradients: finite differences as in the test above, summed over 4 to 11 terms.
        for (int i = 0; i < Nx; i++)
        {
            Assert.True(Math.Abs(value[i] - expected[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])), $"{random} value i={i}: {value[i]:R} vs {expected[i]:R}");
        }

        for (int k = 0; k < gradX.Length; k++)
        {
            Assert.True(Math.Abs(gradX[k] - expectedX[k]) <= 1e-6 * Math.Max(1, Math.Abs(expectedX[k])), $"{random} d/dx [{k}]: {gradX[k]:R} vs {expectedX[k]:R}");
        }

        for (int k = 0; k < gradY.Length; k++)
        {
            Assert.True(Math.Abs(gradY[k] - expectedY[k]) <= 1e-6 * Math.Max(1, Math.Abs(expectedY[k])), $"{random} d/dy [{k}]: {gradY[k]:R} vs {expectedY[k]:R}");
        }
    }

    [Theory]
    [InlineData("Grad(SoftDTW_SqDist(X,Y,G),G,E)", "not differentiable with respect to gamma")]
    [InlineData("Grad(Grad(SoftDTW_SqDist(X,Y,G),X,E),Y,E5)", "no second-order gradient")]
    [InlineData("Grad(SoftDTW_SqDist(X,Y,X2*G),X2,E)", "not differentiable with respect to gamma")]
    [InlineData("Grad(Sum(BSpline(K,X2,2)),X2,E)", "BSpline has no derivative rule")]
    public static void MissingDerivativesAreReported(string formula, string reason)
    {
        var declarations = new[] { ("X", 5), ("Y", 4), ("G", 1), ("E", 1), ("E5", 5), ("X2", 1), ("K", 6) }
            .Select((v, i) => DeclarationParser.Parse($"{v.Item1} = Vi({v.Item2})", i, out _)!).ToArray();
        Formula? bound = new Binder(declarations).Bind(formula, out FormulaDiagnostic? error);
        Assert.Null(bound);
        Assert.Equal("KEOPS0111", error!.Descriptor.Id);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 6)]
    [InlineData(2, 7)]
    [InlineData(3, 9)]
    public static void BSplineReferenceMatchesCoxDeBoor(int order, int knotCount)
    {
        var random = new SeededRandom(nameof(BSplineReferenceMatchesCoxDeBoor), order, knotCount);
        for (int trial = 0; trial < 20; trial++)
        {
            double[] knots = Knots(random, knotCount);
            double t = random.Double(knots[0] - 0.2, knots[^1] + 0.2);
            double[] actual = Evaluate($"BSpline(K,T,{order})", ("K", knots), ("T", new[] { t }));
            Assert.Equal(knotCount - order - 1, actual.Length);
            for (int i = 0; i < actual.Length; i++)
            {
                double expected = CoxDeBoor(knots, i, order, t);
                // Products of at most 3 ratios of numbers of order 1: a few ulps.
                Assert.True(Math.Abs(actual[i] - expected) <= 1e-14, $"{random} trial {trial} t={t:R} B[{i}]: {actual[i]:R} vs {expected:R}");
            }

            // Partition of unity where the full set of order+1 functions overlaps (an identity
            // of B-splines, independent of any implementation).
            if (t >= knots[order] && t < knots[knotCount - order - 1])
            {
                Assert.True(Math.Abs(actual.Sum() - 1) <= 1e-14, $"{random} trial {trial}: Σ B = {actual.Sum():R} at t={t:R}");
            }
        }
    }

    [Fact]
    public static void GeneratedBSplineKernelMatchesCoxDeBoor()
    {
        var random = new SeededRandom(nameof(GeneratedBSplineKernelMatchesCoxDeBoor));
        const int n = 17;
        double[] t = random.Doubles(n, -0.2, 4.5);
        double[] knots = Enumerable.Range(0, Ny).SelectMany(_ => Knots(random, 9)).ToArray();
        var result = new double[n * 5];
        Cubic(t, knots, result);
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < 5; k++)
            {
                double expected = Enumerable.Range(0, Ny).Sum(j => CoxDeBoor(knots.Skip(9 * j).Take(9).ToArray(), k, 3, t[i]));
                // Sums of 11 values in [0, 1], each a few ulps off.
                Assert.True(Math.Abs(result[(5 * i) + k] - expected) <= 1e-13, $"{random} t={t[i]:R} B[{k}]: {result[(5 * i) + k]:R} vs {expected:R}");
            }
        }
    }

    [Theory]
    [InlineData("BSpline(K,[|X|],2)", "sampled at a scalar x")]
    [InlineData("BSpline([|K|],T,5)", "needs at least 7 knots")]
    [InlineData("SoftDTW_SqDist(X,X,[|X|])", "needs a scalar gamma")]
    public static void DimensionErrorsPointAtTheArgument(string marked, string message)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        string text = marked.Replace("[|", string.Empty).Replace("|]", string.Empty);
        var declarations = new[] { ("K", 6), ("X", 2), ("T", 1) }
            .Select((v, i) => DeclarationParser.Parse($"{v.Item1} = Vi({v.Item2})", i, out _)!).ToArray();
        Formula? formula = new Binder(declarations).Bind(text, out FormulaDiagnostic? error);
        Assert.Null(formula);
        Assert.Equal("KEOPS0104", error!.Descriptor.Id);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new Span(start, end - start), error.Span);
    }

    /// <summary>
    /// Soft-DTW on the (n+1)×(m+1) table with R(0,0) = 0 and +∞ on the rest of the border
    /// (Cuturi and Blondel's formulation): softmin_γ(a,b,c) = −γ log Σ exp(−·/γ).
    /// </summary>
    private static double BorderedSoftDtw(double[] x, double[] y, double gamma)
    {
        int n = x.Length, m = y.Length;
        var r = new double[n + 1, m + 1];
        for (int i = 0; i <= n; i++)
        {
            for (int j = 0; j <= m; j++)
            {
                r[i, j] = i == 0 && j == 0 ? 0 : double.PositiveInfinity;
            }
        }

        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                double[] previous = { r[i - 1, j - 1], r[i - 1, j], r[i, j - 1] };
                double low = previous.Min();
                double softmin = low - (gamma * Math.Log(previous.Sum(p => Math.Exp(-(p - low) / gamma))));
                r[i, j] = ((x[i - 1] - y[j - 1]) * (x[i - 1] - y[j - 1])) + softmin;
            }
        }

        return r[n, m];
    }

    private static double[] FiniteDifferences(double[] v, Func<double> f)
    {
        var result = new double[v.Length];
        for (int k = 0; k < v.Length; k++)
        {
            double saved = v[k];
            v[k] = saved + 1e-5;
            double plus = f();
            v[k] = saved - 1e-5;
            double minus = f();
            v[k] = saved;
            result[k] = (plus - minus) / 2e-5;
        }

        return result;
    }

    /// <summary>Textbook recursion B_{i,p} = (t − t_i)/(t_{i+p} − t_i) B_{i,p−1} + (t_{i+p+1} − t)/(t_{i+p+1} − t_{i+1}) B_{i+1,p−1}, 0/0 = 0.</summary>
    private static double CoxDeBoor(double[] knots, int i, int p, double t)
    {
        if (p == 0)
        {
            return knots[i] <= t && t < knots[i + 1] ? 1 : 0;
        }

        double left = knots[i + p] == knots[i] ? 0 : (t - knots[i]) / (knots[i + p] - knots[i]) * CoxDeBoor(knots, i, p - 1, t);
        double right = knots[i + p + 1] == knots[i + 1] ? 0 : (knots[i + p + 1] - t) / (knots[i + p + 1] - knots[i + 1]) * CoxDeBoor(knots, i + 1, p - 1, t);
        return left + right;
    }

    /// <summary>Increasing knots from 0 with gaps in [0.1, 0.9], one of them repeated (a double knot).</summary>
    private static double[] Knots(SeededRandom random, int count)
    {
        var knots = new double[count];
        int repeated = 1 + random.Next(count - 2);
        for (int k = 1; k < count; k++)
        {
            knots[k] = k == repeated ? knots[k - 1] : knots[k - 1] + random.Double(0.1, 0.9);
        }

        return knots;
    }

    private static double[] Evaluate(string text, params (string Name, double[] Value)[] variables)
    {
        VariableDeclaration[] declarations = variables.Select((v, i) => DeclarationParser.Parse($"{v.Name} = Vi({v.Value.Length})", i, out _)!).ToArray();
        Formula? formula = new Binder(declarations).Bind(text, out FormulaDiagnostic? error);
        Assert.True(formula is not null, $"{text}: {error?.Message}");
        return ReferenceEvaluator.Evaluate(formula!, position => variables[position].Value);
    }
}
