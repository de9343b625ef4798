using System;
using System.Linq;
using KeOpsGen.Tests.Diagnostics;
using KeOpsGen.Tests.Generator;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace KeOpsGen.Tests.Language;

/// <summary>
/// A Var(pos,dim,cat) used in the formula without a declaration (KeOps's
/// test_heterogeneous_var_aliases) binds parameter pos like an unnamed declaration: numbers
/// against a dense float64 reference, its gradient against finite differences, and the
/// compile-time checks (position conflicts, gaps, disagreeing uses) with their exact spans.
/// </summary>
public static partial class UndeclaredVarTests
{
    // As in KeOps's test: p, x, y declared, the fourth input only written as Var(3,1,1).
    private const string Formula = "Square(P-Var(3,1,1))*Exp(-SqNorm2(Y-X))";

    [Reduction(Formula, "P = Pm(0,1)", "X = Vi(1,3)", "Y = Vj(2,3)", Axis = 1, GradientOrder = 1)]
    private static partial void HeterogeneousD(ReadOnlySpan<double> p, ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> result);

    [Reduction(Formula, "P = Pm(0,1)", "X = Vi(1,3)", "Y = Vj(2,3)", Axis = 0)]
    private static partial void HeterogeneousF(ReadOnlySpan<float> p, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> result);

    // Nothing declared at all: every input is a Var in the formula.
    [Reduction("Var(0,3,0) * Var(1,3,1) + Var(2,1,2)")]
    private static partial void AllUndeclared(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double c, Span<double> result);

    [Fact]
    public static void UndeclaredVarBindsItsPositionalParameter()
    {
        var random = new SeededRandom(nameof(UndeclaredVarBindsItsPositionalParameter));
        const int m = 17, n = 23;
        double[] p = { random.Double(-1, 1) };
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1), g = random.Doubles(n, -1, 1);
        var overJ = new double[m];
        HeterogeneousD(p, x, y, g, overJ);
        var overI = new float[n];
        HeterogeneousF(p.Select(v => (float)v).ToArray(), x.Select(v => (float)v).ToArray(), y.Select(v => (float)v).ToArray(), g.Select(v => (float)v).ToArray(), overI);
        double Term(int i, int j)
        {
            double d2 = 0;
            for (int c = 0; c < 3; c++)
            {
                d2 += Math.Pow(y[(j * 3) + c] - x[(i * 3) + c], 2);
            }

            return Math.Pow(p[0] - g[j], 2) * Math.Exp(-d2);
        }

        for (int i = 0; i < m; i++)
        {
            double expected = Enumerable.Range(0, n).Sum(j => Term(i, j));
            // Positive terms of O(1): 1e-12 relative in double.
            Assert.True(Math.Abs(overJ[i] - expected) <= 1e-12 * Math.Max(1, expected), $"{random} row {i}: {overJ[i]} vs {expected}");
        }

        for (int j = 0; j < n; j++)
        {
            double expected = Enumerable.Range(0, m).Sum(i => Term(i, j));
            // Float: ~20 roundings per term and a 17-term sum of positive terms: 1e-5 relative.
            Assert.True(Math.Abs(overI[j] - expected) <= 1e-5 * Math.Max(1, expected), $"{random} column {j}: {overI[j]} vs {expected}");
        }

        var all = new double[m * 3];
        double[] yRows = y.Take(n * 3).ToArray();
        AllUndeclared(x, yRows, 0.25, all);
        for (int i = 0; i < m; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                double expected = Enumerable.Range(0, n).Sum(j => (x[(i * 3) + c] * y[(j * 3) + c]) + 0.25);
                Assert.True(Math.Abs(all[(i * 3) + c] - expected) < 1e-12, $"{random} ({i},{c}): {all[(i * 3) + c]} vs {expected}");
            }
        }
    }

    [Fact]
    public static void GradientWithRespectToTheUndeclaredVarMatchesFiniteDifferences()
    {
        var random = new SeededRandom(nameof(GradientWithRespectToTheUndeclaredVarMatchesFiniteDifferences));
        const int m = 5, n = 7;
        double[] p = { random.Double(-1, 1) };
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1), g = random.Doubles(n, -1, 1), e = random.Doubles(m, -1, 1);
        var gradG = new double[n];
        HeterogeneousDGradG(p, x, y, g, e, gradG);
        for (int k = 0; k < n; k++)
        {
            double saved = g[k];
            g[k] = saved + 1e-5;
            double plus = Energy(p, x, y, g, e);
            g[k] = saved - 1e-5;
            double minus = Energy(p, x, y, g, e);
            g[k] = saved;
            double fd = (plus - minus) / 2e-5;
            // Quadratic in g: central differences are exact up to rounding (~1e-16/h).
            Assert.True(Math.Abs(gradG[k] - fd) < 1e-9, $"{random} d/dg[{k}]: {gradG[k]} vs {fd}");
        }
    }

    private static double Energy(double[] p, double[] x, double[] y, double[] g, double[] e)
    {
        var output = new double[e.Length];
        HeterogeneousD(p, x, y, g, output);
        return output.Zip(e, (a, b) => a * b).Sum();
    }

    private const string Params3 = "ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> r";
    private const string Params2 = "ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> r";

    [Theory]
    // A gap: with one declaration and one undeclared Var, positions are 0 and 1, not 2.
    [InlineData("[Reduction(\"X * [|Var(2,3,1)|]\", \"X = Vi(3)\")]", Params2, "KEOPS0123", "position 1")]
    // The same position used with two dimensions.
    [InlineData("[Reduction(\"Var(0,3,0) * Var(1,3,1) + [|Var(1,2,1)|]\")]", Params2, "KEOPS0122", "Var(1,3,1)")]
    // ... or two categories.
    [InlineData("[Reduction(\"Var(0,3,0) * Var(1,3,1) + Sum([|Var(1,3,0)|])\")]", Params2, "KEOPS0122", "same position 1")]
    [InlineData("[Reduction(\"Var(0,3,0) * [|Var(1,3,4)|]\")]", Params2, "KEOPS0121", "category 4")]
    [InlineData("[Reduction(\"Var(0,3,0) * Sum([|Var(1,0,1)|])\")]", Params2, "KEOPS0121", "dimension 0")]
    // A Var at a declared position must match the declaration.
    [InlineData("[Reduction(\"X * [|Var(0,2,0)|]\", \"X = Vi(3)\", \"Y = Vj(3)\")]", Params3, "KEOPS0104", "does not match the declaration")]
    // GradientOrder: 0 (the default), 1 or 2, and 2 only on Sum.
    [InlineData("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\", [|GradientOrder = 3|])]", "ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> r", "KEOPS0207", "found 3")]
    [InlineData("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\", [|GradientOrder = -1|])]", "ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> r", "KEOPS0207", "must be 0 (no gradient methods, the default), 1 (the gradient methods MGrad...) or 2")]
    [InlineData("[Reduction(\"Sum(X - Y)\", \"X = Vi(3)\", \"Y = Vj(3)\", Op = ReductionOp.LogSumExp, [|GradientOrder = 2|])]", "ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> r", "KEOPS0207", "Sum reductions only")]
    // Too many parameters for the declarations plus the undeclared uses.
    [InlineData("[Reduction(\"X * Var(1,3,1)\", \"X = Vi(3)\")]\n    public static partial void [|M|]", "ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> r", "KEOPS0202", "2 variable(s)", true)]
    public static void ChecksKeepTheirSpans(string attribute, string parameters, string id, string messagePart, bool signatureInAttribute = false)
    {
        string marked = $$"""
            using System;
            using KeOpsGen;

            namespace Probe;

            public static partial class K
            {
                {{attribute}}{{(signatureInAttribute ? string.Empty : "\n    public static partial void M")}}({{parameters}});
            }
            """;
        (string source, TextSpan expected) = DiagnosticTests.Unmark(marked);
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Diagnostic diagnostic = Assert.Single(output.GeneratorDiagnostics);
        Assert.True(id == diagnostic.Id, diagnostic.ToString());
        Assert.True(expected == diagnostic.Location.SourceSpan,
            $"expected '{source.Substring(expected.Start, expected.Length)}', got '{source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length)}': {diagnostic}");
        Assert.Contains(messagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.DoesNotContain(output.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public static void NotLinearThroughTheGeneratorPointsAtTheFormulaArgument()
    {
        const string marked = """
            using System;
            using KeOpsGen;

            namespace Probe;

            public static partial class K
            {
                [Reduction("TraceOperator([|Square(X)|], X) * Y", "X = Vi(3)", "Y = Vj(1)")]
                public static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> r);
            }
            """;
        (string source, TextSpan expected) = DiagnosticTests.Unmark(marked);
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Diagnostic diagnostic = Assert.Single(output.GeneratorDiagnostics);
        Assert.Equal("KEOPS0120", diagnostic.Id);
        Assert.Equal(expected, diagnostic.Location.SourceSpan);
    }
}
