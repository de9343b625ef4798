using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Models;
using KeOpsGen.Generator.Parsing;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Language;

/// <summary>
/// TraceOperator(f,v) and AdjointOperator(f,v,w) (keopscore's linear-operator helpers) against
/// their definitions written here on explicit matrices: f = A·v + b∘v with A read row-major, so
/// trace = Σ_k A_kk + Σ_k b_k and adjoint = Aᵀw + b∘w; derivatives against central differences;
/// non-linear formulas refused with KEOPS0120 on the formula argument.
/// </summary>
public static partial class LinearOperatorTests
{
    private const string Linear = "MatVecMult(A,V) + B*V";

    [Fact]
    public static void TraceAndAdjointMatchTheMatrixDefinitions()
    {
        var random = new SeededRandom(nameof(TraceAndAdjointMatchTheMatrixDefinitions));
        double[] a = random.Doubles(9, -1, 1), b = random.Doubles(3, -1, 1), v = random.Doubles(3, -1, 1), w = random.Doubles(3, -1, 1);
        var values = new Dictionary<int, double[]> { [0] = a, [1] = b, [2] = v, [3] = w };
        double trace = Evaluate($"TraceOperator({Linear}, V)", values)[0];
        double expectedTrace = a[0] + a[4] + a[8] + b.Sum();
        // A handful of additions: exact up to a few ulps.
        Assert.True(Math.Abs(trace - expectedTrace) < 1e-14, $"{random}: {trace} vs {expectedTrace}");

        double[] adjoint = Evaluate($"AdjointOperator({Linear}, V, W)", values);
        for (int c = 0; c < 3; c++)
        {
            double expected = (a[c] * w[0]) + (a[3 + c] * w[1]) + (a[6 + c] * w[2]) + (b[c] * w[c]);
            Assert.True(Math.Abs(adjoint[c] - expected) < 1e-14, $"{random} component {c}: {adjoint[c]} vs {expected}");
        }
    }

    [Theory]
    [InlineData("TraceOperator(MatVecMult(A,V) + B*V, V) * Sum(Sin(B))", "B")]
    [InlineData("AdjointOperator(MatVecMult(A,V) + B*V, V, W*Exp(B))", "A")]
    [InlineData("AdjointOperator(MatVecMult(A,V) + B*V, V, W*Exp(B))", "B")]
    [InlineData("AdjointOperator(MatVecMult(A,V) + B*V, V, W*Exp(B))", "W")]
    public static void DerivativesMatchFiniteDifferences(string formula, string wrt)
    {
        var random = new SeededRandom(nameof(DerivativesMatchFiniteDifferences), formula, wrt);
        var values = new Dictionary<int, double[]>
        {
            [0] = random.Doubles(9, -1, 1), [1] = random.Doubles(3, -1, 1), [2] = random.Doubles(3, -1, 1), [3] = random.Doubles(3, -1, 1),
        };
        Formula f = Bind(formula);
        double[] e = random.Doubles(f.Dim, -1, 1);
        int position = Array.IndexOf(Names, wrt);
        Formula target = F.Var(position, Dims[position], VariableCategory.I, wrt);
        Formula e_ = F.Var(4, f.Dim, VariableCategory.I, "E");
        values[4] = e;
        double[] gradient = ReferenceEvaluator.Evaluate(KeOpsGen.Generator.Differentiation.Differentiator.Gradient(f, target, e_), values);
        double[] x = values[position];
        for (int k = 0; k < x.Length; k++)
        {
            double saved = x[k];
            x[k] = saved + 1e-5;
            double plus = Dot(e, ReferenceEvaluator.Evaluate(f, values));
            x[k] = saved - 1e-5;
            double minus = Dot(e, ReferenceEvaluator.Evaluate(f, values));
            x[k] = saved;
            double fd = (plus - minus) / 2e-5;
            // Smooth in every variable (Sin, Exp of O(1)): h² f''' ≈ 1e-10, rounding 1e-16/h ≈ 1e-11.
            Assert.True(Math.Abs(gradient[k] - fd) < 1e-8, $"{random} d/d{wrt}[{k}]: {gradient[k]} vs {fd}");
        }
    }

    [Theory]
    [InlineData("TraceOperator([|Square(V)|], V)", "still depends on V")]
    [InlineData("TraceOperator([|Exp(V) - 1|], V)", "still depends on V")]
    [InlineData("AdjointOperator([|V + B|], V, W)", "does not vanish")]
    [InlineData("AdjointOperator([|MatVecMult(A, V) + Sin(B)|], V, W)", "does not vanish")]
    [InlineData("TraceOperator([|Abs(V)|], V)", "still depends on V")]
    public static void NonLinearFormulaIsRefusedOnTheFormulaArgument(string marked, string reason)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        string text = marked.Replace("[|", string.Empty).Replace("|]", string.Empty);
        Formula? formula = new Binder(Declarations()).Bind(text, out FormulaDiagnostic? error);
        Assert.Null(formula);
        Assert.Equal("KEOPS0120", error!.Descriptor.Id);
        Assert.Equal(new Span(start, end - start), error.Span);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public static void DimensionRulesAreChecked()
    {
        Assert.Equal("KEOPS0104", BindError("TraceOperator(MatVecMult(Concat(A,B),V), V)").Descriptor.Id);
        Assert.Equal("KEOPS0104", BindError("AdjointOperator(B*V, V, Sum(W))").Descriptor.Id);
        Assert.Equal("KEOPS0109", BindError("TraceOperator(B*V, V+B)").Descriptor.Id);
    }

    // ---- Through the generator: a Sum reduction whose formula uses both helpers -------------------

    private const string Kernel = "TraceOperator(MatVecMult(A,V) + B*V, V) * Exp(-SqDist(X,Y)) + (AdjointOperator(MatVecMult(A,V), V, Y) | X)";

    [Reduction(Kernel, "A = Vj(9)", "B = Vi(3)", "V = Pm(3)", "X = Vi(3)", "Y = Vj(3)", Axis = 1)]
    private static partial void TraceKernel(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> v, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);

    [Fact]
    public static void GeneratedReductionMatchesDenseReference()
    {
        var random = new SeededRandom(nameof(GeneratedReductionMatchesDenseReference));
        const int m = 9, n = 13;
        double[] a = random.Doubles(n * 9, -1, 1), b = random.Doubles(m * 3, -1, 1), v = random.Doubles(3, -1, 1);
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1);
        var result = new double[m];
        TraceKernel(a, b, v, x, y, result);
        for (int i = 0; i < m; i++)
        {
            double expected = 0;
            for (int j = 0; j < n; j++)
            {
                double trace = a[(j * 9) + 0] + a[(j * 9) + 4] + a[(j * 9) + 8] + b[(i * 3) + 0] + b[(i * 3) + 1] + b[(i * 3) + 2];
                double d2 = 0, adjointDotX = 0;
                for (int c = 0; c < 3; c++)
                {
                    d2 += Math.Pow(x[(i * 3) + c] - y[(j * 3) + c], 2);
                    double adjoint = 0;
                    for (int r = 0; r < 3; r++)
                    {
                        adjoint += a[(j * 9) + (r * 3) + c] * y[(j * 3) + r];
                    }

                    adjointDotX += adjoint * x[(i * 3) + c];
                }

                expected += (trace * Math.Exp(-d2)) + adjointDotX;
            }

            // 13 terms of O(1): 1e-12 is a wide margin over double rounding.
            Assert.True(Math.Abs(result[i] - expected) < 1e-12, $"{random} row {i}: {result[i]} vs {expected}");
        }
    }

    private static readonly string[] Names = { "A", "B", "V", "W" };
    private static readonly int[] Dims = { 9, 3, 3, 3 };

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static VariableDeclaration[] Declarations()
        => Names.Select((name, i) => DeclarationParser.Parse($"{name} = Vi({Dims[i]})", i, out _)!).ToArray();

    private static Formula Bind(string text)
    {
        Formula? formula = new Binder(Declarations()).Bind(text, out FormulaDiagnostic? error);
        Assert.True(formula is not null, $"{text}: {error?.Message}");
        return formula!;
    }

    private static FormulaDiagnostic BindError(string text)
    {
        Formula? formula = new Binder(Declarations()).Bind(text, out FormulaDiagnostic? error);
        Assert.Null(formula);
        return error!;
    }

    private static double[] Evaluate(string text, Dictionary<int, double[]> values) => ReferenceEvaluator.Evaluate(Bind(text), values);
}
