using System;
using System.IO;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Models;
using KeOpsGen.Generator.Parsing;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Formulas;

/// <summary>TensorDot and Kron against hand-written numpy semantics, and their derivative against finite differences.</summary>
public sealed class TensorDotTests
{
    [Fact]
    public void MatrixProductWithTransposeMatchesLoops()
    {
        // f: 2x3, g: 3x4, contract f axis 1 with g axis 0, output permuted to 4x2 (= (f·g)ᵀ).
        var random = new SeededRandom(nameof(MatrixProductWithTransposeMatchesLoops));
        double[] f = random.Doubles(6, -1, 1), g = random.Doubles(12, -1, 1);
        double[] result = Evaluate("TensorDot(F, G, [2,3], [3,4], [1], [0], [1,0])", ("F", 6, f), ("G", 12, g));
        Assert.Equal(8, result.Length);
        for (int j = 0; j < 4; j++)
        {
            for (int i = 0; i < 2; i++)
            {
                double expected = 0;
                for (int k = 0; k < 3; k++)
                {
                    expected += f[(i * 3) + k] * g[(k * 4) + j];
                }

                // Same products summed in the same order up to one rounding per step.
                Assert.True(Math.Abs(result[(j * 2) + i] - expected) < 1e-14, $"{random} ({j},{i})");
            }
        }
    }

    [Fact]
    public void TwoAxisContractionMatchesLoops()
    {
        // f: 2x3x2 contracted on axes (2,0) with g: 2x2x3 axes (0,1): out[k=3 of f axis 1][l=3 of g axis 2].
        var random = new SeededRandom(nameof(TwoAxisContractionMatchesLoops));
        double[] f = random.Doubles(12, -1, 1), g = random.Doubles(12, -1, 1);
        double[] result = Evaluate("TensorDot(F, G, [2,3,2], [2,2,3], [2,0], [0,1])", ("F", 12, f), ("G", 12, g));
        Assert.Equal(9, result.Length);
        for (int b = 0; b < 3; b++)
        {
            for (int l = 0; l < 3; l++)
            {
                double expected = 0;
                for (int c = 0; c < 2; c++)
                {
                    for (int a = 0; a < 2; a++)
                    {
                        // f[a,b,c] * g[c,a,l]
                        expected += f[(((a * 3) + b) * 2) + c] * g[(((c * 2) + a) * 3) + l];
                    }
                }

                Assert.True(Math.Abs(result[(b * 3) + l] - expected) < 1e-14, $"{random} ({b},{l})");
            }
        }
    }

    [Fact]
    public void KronMatchesNumpyDefinition()
    {
        var random = new SeededRandom(nameof(KronMatchesNumpyDefinition));
        double[] f = random.Doubles(6, -1, 1), g = random.Doubles(4, -1, 1);
        double[] result = Evaluate("Kron(F, G, [2,3], [2,2])", ("F", 6, f), ("G", 4, g));
        // numpy.kron of a 2x3 and a 2x2: a 4x6 matrix, out[i0*2+j0, i1*2+j1] = f[i0,i1] g[j0,j1].
        for (int i0 = 0; i0 < 2; i0++)
        for (int i1 = 0; i1 < 3; i1++)
        for (int j0 = 0; j0 < 2; j0++)
        for (int j1 = 0; j1 < 2; j1++)
        {
            double expected = f[(i0 * 3) + i1] * g[(j0 * 2) + j1];
            Assert.Equal(expected, result[(((i0 * 2) + j0) * 6) + (i1 * 2) + j1]);
        }
    }

    [Theory]
    [InlineData("TensorDot(F, G, [2,3], [3,4], [1], [0], [1,0])", 6, 12, 8)]
    [InlineData("TensorDot(F, G, [2,3,2], [2,2,3], [2,0], [0,1])", 12, 12, 9)]
    [InlineData("TensorDot(F, G, [2,3], [4], [], [], [2,0,1])", 6, 4, 24)]
    [InlineData("TensorDot(F, G, [2,3], [3,2], [0,1], [1,0])", 6, 6, 1)]
    [InlineData("Kron(F, G, [2,3], [2,2])", 6, 4, 24)]
    public void GradientMatchesFiniteDifferences(string tensor, int df, int dg, int dout)
    {
        // d/dF and d/dG of (E | T(F,G)) by central differences: T is bilinear, so the
        // differences are exact up to rounding (step 1e-3, tolerance 1e-9).
        var random = new SeededRandom(nameof(GradientMatchesFiniteDifferences), tensor);
        double[] f = random.Doubles(df, -1, 1), g = random.Doubles(dg, -1, 1), e = random.Doubles(dout, -1, 1);
        foreach (string wrt in new[] { "F", "G" })
        {
            double[] gradient = Evaluate($"Grad({tensor}, {wrt}, E)", ("F", df, f), ("G", dg, g), ("E", dout, e));
            double[] x = wrt == "F" ? f : g;
            for (int k = 0; k < x.Length; k++)
            {
                double saved = x[k];
                x[k] = saved + 1e-3;
                double plus = Dot(e, Evaluate(tensor, ("F", df, f), ("G", dg, g)));
                x[k] = saved - 1e-3;
                double minus = Dot(e, Evaluate(tensor, ("F", df, f), ("G", dg, g)));
                x[k] = saved;
                Assert.True(Math.Abs(gradient[k] - ((plus - minus) / 2e-3)) < 1e-9, $"{random} d/d{wrt}[{k}]: {gradient[k]} vs {(plus - minus) / 2e-3}");
            }
        }
    }

    [Theory]
    [InlineData("TensorDot(F, G, [2,3], [3,4], [1], [0], [|[0,0]|])", "KEOPS0105")]
    [InlineData("TensorDot(F, G, [|[2,2]|], [3,4], [1], [0])", "KEOPS0104")]
    [InlineData("TensorDot(F, G, [2,3], [3,4], [0], [|[0]|])", "KEOPS0104")]
    [InlineData("TensorDot(F, G, [2,3], [3,4], [|[5]|], [0])", "KEOPS0105")]
    [InlineData("Kron(F, G, [2,3], [|[12]|])", "KEOPS0104")]
    [InlineData("TensorDot(F, G, [2,3], [3,4], [1], [|X|])", "KEOPS0103")]
    public void ShapeErrorsPointAtTheFaultyList(string marked, string id)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        string text = marked.Replace("[|", string.Empty).Replace("|]", string.Empty);
        Formula? formula = new Binder(Declarations(("F", 6), ("G", 12), ("X", 1))).Bind(text, out FormulaDiagnostic? error);
        Assert.Null(formula);
        Assert.Equal(id, error!.Descriptor.Id);
        Assert.Equal(new Span(start, end - start), error.Span);
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static VariableDeclaration[] Declarations(params (string Name, int Dim)[] variables)
        => variables.Select((v, i) => DeclarationParser.Parse($"{v.Name} = Vi({v.Dim})", i, out _)!).ToArray();

    private static double[] Evaluate(string text, params (string Name, int Dim, double[] Value)[] variables)
    {
        Formula? formula = new Binder(Declarations(variables.Select(v => (v.Name, v.Dim)).ToArray())).Bind(text, out FormulaDiagnostic? error);
        Assert.True(formula is not null, $"{text}: {error?.Message}");
        return ReferenceEvaluator.Evaluate(formula!, position => variables[position].Value);
    }
}
