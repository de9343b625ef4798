using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using KeOpsGen.Generator.Differentiation;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Models;
using KeOpsGen.Generator.Parsing;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Formulas;

/// <summary>
/// The complex operations against System.Numerics.Complex: the float64 references (through the
/// binder, so aliases expand as users see them) and generated double kernels, plus finite
/// differences of their derivatives and the dimension errors.
/// </summary>
public static partial class ComplexOpsTests
{
    // Generated kernels: Σ_j over 13 j's (a full SIMD block and a ragged tail), complex vectors
    // of 3 numbers (X, Y), a complex scalar (Z) and real S (dim 1), R (dim 3).
    [Reduction("Concat(ComplexMult(X,Y), Concat(ComplexMult(X,Z), ComplexMult(Z,Y)))", "X = Vi(6)", "Y = Vj(6)", "Z = Vj(2)")]
    private static partial void Products(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, Span<double> result);

    [Reduction("Concat(ComplexDivide(X,Y), Concat(ComplexAdd(X,Z), ComplexSubtract(Z,Y)))", "X = Vi(6)", "Y = Vj(6)", "Z = Vj(2)")]
    private static partial void Quotients(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, Span<double> result);

    [Reduction("Concat(ComplexExp(X-Y), Concat(Conj(X-Y), ComplexExp1j(R)))", "X = Vi(6)", "Y = Vj(6)", "R = Vj(3)")]
    private static partial void Exponentials(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> r, Span<double> result);

    [Reduction("Concat(ComplexAbs(X-Y), Concat(ComplexAngle(X-Y), Concat(ComplexSquareAbs(X-Y), Concat(ComplexReal(Y), ComplexImag(Y)))))", "X = Vi(6)", "Y = Vj(6)")]
    private static partial void Moduli(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);

    [Reduction("Concat(ComplexRealScal(S,Y), Concat(ComplexRealScal(Y,S), Concat(Real2Complex(R), Concat(Imag2Complex(R), ComplexSumT(ComplexSum(ComplexMult(X,Y)),4)))))",
        "X = Vi(6)", "Y = Vj(6)", "S = Vi(1)", "R = Vj(3)")]
    private static partial void Conversions(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, ReadOnlySpan<double> r, Span<double> result);

    private const int Nx = 5;
    private const int Ny = 13;

    // The generated code and the references differ by a few roundings per operation on values
    // of order 10 at most (Exp(2), 1/|y|² ≤ 1/0.18): 1e-12 relative to the sum of magnitudes.
    private const double KernelTolerance = 1e-12;

    public static IEnumerable<object[]> ReferenceCases() => new[]
    {
        new object[] { "ComplexMult(F,G)", 6, 6 }, new object[] { "ComplexMult(F,G)", 2, 6 }, new object[] { "ComplexMult(F,G)", 6, 2 },
        new object[] { "ComplexDivide(F,G)", 6, 6 }, new object[] { "ComplexDivide(F,G)", 2, 6 }, new object[] { "ComplexDivide(F,G)", 6, 2 },
        new object[] { "ComplexAdd(F,G)", 6, 6 }, new object[] { "ComplexAdd(F,G)", 2, 6 }, new object[] { "ComplexSubtract(F,G)", 6, 2 },
        new object[] { "Conj(F)", 6, 2 }, new object[] { "ComplexExp(F)", 6, 2 }, new object[] { "ComplexExp1j(S)", 6, 2 },
        new object[] { "ComplexAbs(F)", 6, 2 }, new object[] { "ComplexAngle(F)", 6, 2 }, new object[] { "ComplexSquareAbs(F)", 6, 2 },
        new object[] { "ComplexReal(F)", 6, 2 }, new object[] { "ComplexImag(F)", 6, 2 },
        new object[] { "Real2Complex(S)", 2, 2 }, new object[] { "Imag2Complex(S)", 2, 2 },
        new object[] { "ComplexRealScal(T,F)", 6, 2 }, new object[] { "ComplexRealScal(F,T)", 6, 2 },
        new object[] { "ComplexSum(F)", 6, 2 }, new object[] { "ComplexSumT(G,8)", 6, 2 },
    };

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public static void ReferenceMatchesSystemNumericsComplex(string formula, int df, int dg)
    {
        var random = new SeededRandom(nameof(ReferenceMatchesSystemNumericsComplex), formula, df, dg);
        // Moduli of G's numbers stay above 0.3 so the quotients are well conditioned.
        double[] f = random.Doubles(df, -2, 2), g = AwayFromZero(random.Doubles(dg, -2, 2)), s = random.Doubles(3, -4, 4), t = random.Doubles(1, -2, 2);
        double[] actual = Evaluate(formula, ("F", f), ("G", g), ("S", s), ("T", t));
        double[] expected = Expected(formula, f, g, s, t);
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            // Same operations in a different association (System.Numerics divides with Smith's
            // algorithm, Abs with hypot): a few ulps of values below 100.
            Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-13 * Math.Max(1, Math.Abs(expected[k])), $"{random} {formula} comp {k}: {actual[k]:R} vs {expected[k]:R}");
        }
    }

    [Fact]
    public static void GeneratedKernelsMatchSystemNumericsComplex()
    {
        var random = new SeededRandom(nameof(GeneratedKernelsMatchSystemNumericsComplex));
        double[] x = random.Doubles(Nx * 6, -1, 1), y = AwayFromZero(random.Doubles(Ny * 6, -1, 1)), z = random.Doubles(Ny * 2, -1, 1);
        double[] r = random.Doubles(Ny * 3, -4, 4), s = random.Doubles(Nx, -2, 2);

        var result = new double[Nx * 18];
        Products(x, y, z, result);
        Check("Products", result, 18, random, (i, j) =>
        {
            Complex[] xi = C(x, i, 3), yj = C(y, j, 3);
            Complex zj = C(z, j, 1)[0];
            return D(xi.Select((a, k) => a * yj[k]).Concat(xi.Select(a => a * zj)).Concat(yj.Select(b => zj * b)));
        });

        Quotients(x, y, z, result);
        Check("Quotients", result, 18, random, (i, j) =>
        {
            Complex[] xi = C(x, i, 3), yj = C(y, j, 3);
            Complex zj = C(z, j, 1)[0];
            return D(xi.Select((a, k) => a / yj[k]).Concat(xi.Select(a => a + zj)).Concat(yj.Select(b => zj - b)));
        });

        Exponentials(x, y, r, result);
        Check("Exponentials", result, 18, random, (i, j) =>
        {
            Complex[] w = C(x, i, 3).Zip(C(y, j, 3), (a, b) => a - b).ToArray();
            return D(w.Select(Complex.Exp).Concat(w.Select(Complex.Conjugate)).Concat(r.Skip(3 * j).Take(3).Select(v => Complex.Exp(Complex.ImaginaryOne * v))));
        });

        var moduli = new double[Nx * 15];
        Moduli(x, y, moduli);
        Check("Moduli", moduli, 15, random, (i, j) =>
        {
            Complex[] w = C(x, i, 3).Zip(C(y, j, 3), (a, b) => a - b).ToArray();
            Complex[] yj = C(y, j, 3);
            return w.Select(Complex.Abs).Concat(w.Select(v => v.Phase)).Concat(w.Select(v => v.Magnitude * v.Magnitude))
                .Concat(yj.Select(v => v.Real)).Concat(yj.Select(v => v.Imaginary)).ToArray();
        });

        var conversions = new double[Nx * 28];
        Conversions(x, y, s, r, conversions);
        Check("Conversions", conversions, 28, random, (i, j) =>
        {
            Complex[] xi = C(x, i, 3), yj = C(y, j, 3);
            double[] rj = r.Skip(3 * j).Take(3).ToArray();
            Complex total = xi.Select((a, k) => a * yj[k]).Aggregate(Complex.Zero, (acc, v) => acc + v);
            return D(yj.Select(v => s[i] * v).Concat(yj.Select(v => v * s[i])).Concat(rj.Select(v => new Complex(v, 0)))
                .Concat(rj.Select(v => new Complex(0, v))).Concat(new[] { total, total }));
        });
    }

    [Theory]
    [InlineData("ComplexMult(F,G)")]
    [InlineData("ComplexDivide(F,G)")]
    [InlineData("ComplexExp(ComplexMult(F,G))")]
    [InlineData("ComplexAngle(ComplexAdd(F,G))")]
    [InlineData("ComplexExp1j(ComplexAbs(ComplexAdd(F,G)))")]
    [InlineData("ComplexSumT(ComplexSum(ComplexRealScal(Sum(ComplexSquareAbs(F)),Conj(G))),6)")]
    public static void GradientsMatchFiniteDifferences(string formula)
    {
        // Grad(h, F, E)_k against the central difference of (E | h) in F_k, step 1e-5: the
        // truncation error h²·|h'''|/6 is below 1e-9 for these smooth maps of values in
        // [0.3, 2], rounding 1e-16/1e-5 = 1e-11; tolerance 1e-7.
        var random = new SeededRandom(nameof(GradientsMatchFiniteDifferences), formula);
        // Components in [0.3, 1.5]: every number and every sum lies in the first quadrant, away
        // from the origin where ComplexAbs and ComplexAngle are singular.
        double[] f = random.Doubles(6, 0.3, 1.5), g = random.Doubles(6, 0.3, 1.5);
        int dim = Evaluate(formula, ("F", f), ("G", g)).Length;
        double[] e = random.Doubles(dim, -1, 1);
        foreach (string wrt in new[] { "F", "G" })
        {
            double[] gradient = Evaluate($"Grad({formula}, {wrt}, E)", ("F", f), ("G", g), ("E", e));
            double[] v = wrt == "F" ? f : g;
            for (int k = 0; k < v.Length; k++)
            {
                double saved = v[k];
                v[k] = saved + 1e-5;
                double plus = Dot(e, Evaluate(formula, ("F", f), ("G", g)));
                v[k] = saved - 1e-5;
                double minus = Dot(e, Evaluate(formula, ("F", f), ("G", g)));
                v[k] = saved;
                double fd = (plus - minus) / 2e-5;
                Assert.True(Math.Abs(gradient[k] - fd) <= 1e-7 * Math.Max(1, Math.Abs(fd)), $"{random} {formula} d/d{wrt}[{k}]: {gradient[k]:R} vs {fd:R}");
            }
        }
    }

    [Theory]
    [InlineData("ComplexReal([|F|])", 3, "complex formulas have even dimension (re, im pairs)")]
    [InlineData("Conj([|F|])", 3, "complex formulas have even dimension (re, im pairs)")]
    [InlineData("ComplexMult(G,[|F|])", 3, "complex formulas have even dimension (re, im pairs)")]
    [InlineData("ComplexMult(G,[|H|])", 4, "cannot combine complex dimensions 6 and 4")]
    [InlineData("ComplexRealScal([|G|],H)", 4, "one real scalar (dimension 1) and one complex vector")]
    [InlineData("ComplexSumT([|G|],4)", 4, "needs a complex scalar (dimension 2)")]
    public static void DimensionErrorsExplainThemselves(string marked, int dimOfTheOther, string message)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        string text = marked.Replace("[|", string.Empty).Replace("|]", string.Empty);
        var declarations = new[] { ("F", dimOfTheOther), ("G", 6), ("H", dimOfTheOther) }
            .Select((v, i) => DeclarationParser.Parse($"{v.Item1} = Vi({v.Item2})", i, out _)!).ToArray();
        Formula? formula = new Binder(declarations).Bind(text, out FormulaDiagnostic? error);
        Assert.Null(formula);
        Assert.Equal("KEOPS0104", error!.Descriptor.Id);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new Span(start, end - start), error.Span);
    }

    private static double[] Expected(string formula, double[] f, double[] g, double[] s, double[] t)
    {
        Complex[] cf = C(f, 0, f.Length / 2), cg = C(g, 0, g.Length / 2);
        int n = Math.Max(cf.Length, cg.Length);
        Complex F(int k) => cf.Length == 1 ? cf[0] : cf[k];
        Complex G(int k) => cg.Length == 1 ? cg[0] : cg[k];
        IEnumerable<Complex> Pairwise(Func<Complex, Complex, Complex> op) => Enumerable.Range(0, n).Select(k => op(F(k), G(k)));
        return formula switch
        {
            "ComplexMult(F,G)" => D(Pairwise((a, b) => a * b)),
            "ComplexDivide(F,G)" => D(Pairwise((a, b) => a / b)),
            "ComplexAdd(F,G)" => D(Pairwise((a, b) => a + b)),
            "ComplexSubtract(F,G)" => D(Pairwise((a, b) => a - b)),
            "Conj(F)" => D(cf.Select(Complex.Conjugate)),
            "ComplexExp(F)" => D(cf.Select(Complex.Exp)),
            "ComplexExp1j(S)" => D(s.Select(v => Complex.Exp(new Complex(0, v)))),
            "ComplexAbs(F)" => cf.Select(Complex.Abs).ToArray(),
            "ComplexAngle(F)" => cf.Select(v => v.Phase).ToArray(),
            "ComplexSquareAbs(F)" => cf.Select(v => v.Magnitude * v.Magnitude).ToArray(),
            "ComplexReal(F)" => cf.Select(v => v.Real).ToArray(),
            "ComplexImag(F)" => cf.Select(v => v.Imaginary).ToArray(),
            "Real2Complex(S)" => D(s.Select(v => new Complex(v, 0))),
            "Imag2Complex(S)" => D(s.Select(v => new Complex(0, v))),
            "ComplexRealScal(T,F)" or "ComplexRealScal(F,T)" => D(cf.Select(v => t[0] * v)),
            "ComplexSum(F)" => D(new[] { cf.Aggregate(Complex.Zero, (a, b) => a + b) }),
            "ComplexSumT(G,8)" => D(Enumerable.Repeat(cg[0], 4)),
            _ => throw new ArgumentException(formula),
        };
    }

    private static void Check(string name, double[] result, int dim, SeededRandom random, Func<int, int, double[]> pair)
    {
        for (int i = 0; i < Nx; i++)
        {
            var expected = new double[dim];
            var magnitude = new double[dim];
            for (int j = 0; j < Ny; j++)
            {
                double[] value = pair(i, j);
                for (int k = 0; k < dim; k++)
                {
                    expected[k] += value[k];
                    magnitude[k] += Math.Abs(value[k]);
                }
            }

            for (int k = 0; k < dim; k++)
            {
                double actual = result[(i * dim) + k];
                Assert.True(Math.Abs(actual - expected[k]) <= KernelTolerance * Math.Max(1, magnitude[k]), $"{random} {name} i={i} comp {k}: {actual:R} vs {expected[k]:R}");
            }
        }
    }

    /// <summary>Moves each (re, im) pair out of the disc of radius 0.3 by scaling it.</summary>
    private static double[] AwayFromZero(double[] values)
    {
        for (int p = 0; p + 1 < values.Length; p += 2)
        {
            double modulus = Math.Sqrt((values[p] * values[p]) + (values[p + 1] * values[p + 1]));
            if (modulus < 0.3)
            {
                double scale = modulus == 0 ? 1 : 0.3 / modulus;
                values[p] = modulus == 0 ? 0.3 : values[p] * scale;
                values[p + 1] *= scale;
            }
        }

        return values;
    }

    private static Complex[] C(double[] values, int row, int count)
        => Enumerable.Range(0, count).Select(k => new Complex(values[(row * 2 * count) + (2 * k)], values[(row * 2 * count) + (2 * k) + 1])).ToArray();

    private static double[] D(IEnumerable<Complex> values) => values.SelectMany(v => new[] { v.Real, v.Imaginary }).ToArray();

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    private static double[] Evaluate(string text, params (string Name, double[] Value)[] variables)
    {
        VariableDeclaration[] declarations = variables.Select((v, i) => DeclarationParser.Parse($"{v.Name} = Vi({v.Value.Length})", i, out _)!).ToArray();
        Formula? formula = new Binder(declarations).Bind(text, out FormulaDiagnostic? error);
        Assert.True(formula is not null, $"{text}: {error?.Message}");
        return ReferenceEvaluator.Evaluate(formula!, position => variables[position].Value);
    }
}
