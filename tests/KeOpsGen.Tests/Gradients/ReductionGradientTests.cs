using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gradients;

/// <summary>
/// The generated <c>...Grad...</c> methods of real [Reduction] declarations against central
/// finite differences of the generated forward method, on both axes, in double.
/// </summary>
public static partial class ReductionGradientTests
{
    // Central differences of s = <gradOutput, M(inputs)> with h = 1e-6. Truncation h²·|s'''|/6 is
    // below 1e-10·|fd| for these smooth kernels on [-1, 1] (RelativeTolerance 1e-7 covers it with
    // margin); rounding is about eps·Σ|terms of s|/h = 2.2e-10·scale, and the summation order of
    // the engine grows that by a small factor (RoundingTolerance 1e-8·scale).
    private const double Step = 1e-6;
    private const double RelativeTolerance = 1e-7;
    private const double RoundingTolerance = 1e-8;

    private delegate void Forward(double[][] inputs, Span<double> result);

    private delegate void Backward(double[][] inputs, ReadOnlySpan<double> gradOutput, Span<double> result);

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Axis = 1, GradientOrder = 1)]
    private static partial void GaussianJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Axis = 0, GradientOrder = 1)]
    private static partial void GaussianI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("Inv(1+G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Axis = 1, GradientOrder = 1)]
    private static partial void CauchyJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("Inv(1+G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Axis = 0, GradientOrder = 1)]
    private static partial void CauchyI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", Axis = 1, GradientOrder = 1)]
    private static partial void SeedJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, Span<double> result);

    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", Axis = 0, GradientOrder = 1)]
    private static partial void SeedI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, Span<double> result);

    // First and second order of a scalar kernel: K(x) = Σ_j exp(-|x-y_j|²).
    [Reduction("Exp(-SqDist(X,Y))", "X = Vi(3)", "Y = Vj(3)", Axis = 1, GradientOrder = 1)]
    private static partial void Kernel(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);

    [Reduction("Grad(Grad(Exp(-SqDist(X,Y)),X,E),X,U)", "X = Vi(3)", "Y = Vj(3)", "E = Vi(1)", "U = Vi(3)", Axis = 1, GradientOrder = 1)]
    private static partial void KernelHessianTimesU(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> e, ReadOnlySpan<double> u, Span<double> result);

    // Forward mode: Σ_j [∂_X (Exp(-G|X-Y|²)·B)]·U.
    [Reduction("Diff(Exp(-G*SqDist(X,Y))*B,X,U)", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", "U = Vi(3)", Axis = 1, GradientOrder = 1)]
    private static partial void GaussianDiffX(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, ReadOnlySpan<double> u, Span<double> result);

    // X enters only through a piecewise-constant operation: its gradient method exists and writes zeros.
    [Reduction("Sign(Sum(X-Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", Axis = 1, GradientOrder = 1)]
    private static partial void SignWeighted(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, Span<double> result);

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string name in new[] { "GaussianJ", "GaussianI", "CauchyJ", "CauchyI", "SeedJ", "SeedI" })
        {
            data.Add(name, 1, 1);
            data.Add(name, 7, 13);
            data.Add(name, 150, 230);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public static void GradientMethodsMatchFiniteDifferences(string name, int m, int n)
    {
        var random = new SeededRandom(nameof(GradientMethodsMatchFiniteDifferences), name, m, n);
        (Forward forward, Backward[] backward, int[] dims, char[] categories, int outputDim, int axis) = Declaration(name);
        double[][] inputs = Inputs(random, dims, categories, m, n);
        int outputRows = axis == 1 ? m : n;
        double[] gradOutput = random.Doubles(outputRows * outputDim, -1, 1);
        for (int p = 0; p < inputs.Length; p++)
        {
            var symbolic = new double[inputs[p].Length];
            backward[p](inputs, gradOutput, symbolic);
            CheckAgainstFiniteDifferences($"{name} grad of input {p}", random, forward, inputs, p, outputRows * outputDim, gradOutput, symbolic);
        }
    }

    [Fact]
    public static void PiecewiseConstantDependenceGivesZeroGradientAndExactOthers()
    {
        const int m = 9, n = 14;
        var random = new SeededRandom(nameof(PiecewiseConstantDependenceGivesZeroGradientAndExactOthers), m, n);
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1), b = random.Doubles(n * 2, -1, 1);
        double[] gradOutput = random.Doubles(m * 2, -1, 1);
        var gradX = new double[m * 3];
        Array.Fill(gradX, double.NaN);
        SignWeightedGradX(x, y, b, gradOutput, gradX);
        Assert.All(gradX, v => Assert.Equal(0.0, v));

        // The output is linear in b: the gradient is exact, Σ_i Sign(Σ_k x_ik − y_jk)·gradOutput_i.
        var gradB = new double[n * 2];
        SignWeightedGradB(x, y, b, gradOutput, gradB);
        for (int j = 0; j < n; j++)
        {
            for (int c = 0; c < 2; c++)
            {
                double expected = 0;
                for (int i = 0; i < m; i++)
                {
                    double d = x[i * 3] - y[j * 3] + x[(i * 3) + 1] - y[(j * 3) + 1] + x[(i * 3) + 2] - y[(j * 3) + 2];
                    expected += Math.Sign(d) * gradOutput[(i * 2) + c];
                }

                // Sums of m terms of size ≤ 1 in double.
                Assert.True(Math.Abs(gradB[(j * 2) + c] - expected) <= 1e-13, $"{random} row {j} comp {c}: {gradB[(j * 2) + c]} vs {expected}");
            }
        }
    }

    [Theory]
    [InlineData(5, 9)]
    [InlineData(64, 100)]
    public static void ParameterGradientIsTheSumOfPerRowGradients(int m, int n)
    {
        var random = new SeededRandom(nameof(ParameterGradientIsTheSumOfPerRowGradients), m, n);
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1), b = random.Doubles(n * 2, -1, 1);
        double[] g = { random.Double(0.5, 2) };
        double[] gradOutput = random.Doubles(m * 2, -1, 1);
        var whole = new double[1];
        GaussianJGradG(x, y, b, g, gradOutput, whole);
        double sum = 0;
        var row = new double[1];
        for (int i = 0; i < m; i++)
        {
            // One output row at a time: the gradient of that row's terms alone.
            GaussianJGradG(x.AsSpan(i * 3, 3), y, b, g, gradOutput.AsSpan(i * 2, 2), row);
            sum += row[0];
        }

        // Same terms, different summation order: double rounding only.
        Assert.True(Math.Abs(whole[0] - sum) <= 1e-12 * Math.Max(1, Math.Abs(sum)) * m, $"{random}: {whole[0]} vs {sum}");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(6, 11)]
    [InlineData(100, 170)]
    public static void NestedGradMatchesFiniteDifferencesOfTheFirstOrderMethod(int m, int n)
    {
        var random = new SeededRandom(nameof(NestedGradMatchesFiniteDifferencesOfTheFirstOrderMethod), m, n);
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1);
        double[] e = random.Doubles(m, -1, 1), u = random.Doubles(m * 3, -1, 1);
        var second = new double[m * 3];
        KernelHessianTimesU(x, y, e, u, second);

        // Row i of the nested formula is ∂/∂x_i <u_i, Σ_j Grad(K, x, e)_ij>: the derivative of the
        // generated first-order method KernelGradX, contracted with u, with respect to x_i.
        var first = new double[m * 3];
        foreach (int i in Rows(random, m))
        {
            for (int c = 0; c < 3; c++)
            {
                double original = x[(i * 3) + c];
                double Contracted(double delta)
                {
                    x[(i * 3) + c] = original + delta;
                    KernelGradX(x, y, e, first);
                    x[(i * 3) + c] = original;
                    double s = 0;
                    for (int k = 0; k < 3; k++)
                    {
                        s += u[(i * 3) + k] * first[(i * 3) + k];
                    }

                    return s;
                }

                double fd = (Contracted(Step) - Contracted(-Step)) / (2 * Step);

                // Terms of size ≤ 2·|e|·|u|·√3 per j: rounding ~ eps·3.5n/h ≈ 1e-9·n.
                Assert.True(Math.Abs(second[(i * 3) + c] - fd) <= (RoundingTolerance * n) + (RelativeTolerance * Math.Max(1, Math.Abs(fd))),
                    $"{random} row {i} comp {c}: nested Grad {second[(i * 3) + c]} vs finite differences {fd}");
            }
        }
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(80, 120)]
    public static void DiffMatchesDirectionalFiniteDifferences(int m, int n)
    {
        var random = new SeededRandom(nameof(DiffMatchesDirectionalFiniteDifferences), m, n);
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1), b = random.Doubles(n * 2, -1, 1);
        double[] g = { random.Double(0.5, 2) }, u = random.Doubles(m * 3, -1, 1);
        var symbolic = new double[m * 2];
        GaussianDiffX(x, y, b, g, u, symbolic);
        double[] Shifted(double delta)
        {
            double[] shifted = x.Select((v, k) => v + (delta * u[k])).ToArray();
            var r = new double[m * 2];
            GaussianJ(shifted, y, b, g, r);
            return r;
        }

        double[] plus = Shifted(Step), minus = Shifted(-Step);
        for (int k = 0; k < m * 2; k++)
        {
            double fd = (plus[k] - minus[k]) / (2 * Step);

            // Each output is a sum of n terms of size ≤ |b|·e^(-G|x−y|²) ≤ 1: rounding ~ eps·n/h.
            Assert.True(Math.Abs(symbolic[k] - fd) <= (RoundingTolerance * n) + (RelativeTolerance * Math.Max(1, Math.Abs(fd))), $"{random} entry {k}: Diff {symbolic[k]} vs {fd}");
        }
    }

    private static (Forward, Backward[], int[], char[], int, int) Declaration(string name) => name switch
    {
        "GaussianJ" => (
            (ins, r) => GaussianJ(ins[0], ins[1], ins[2], ins[3], r),
            new Backward[]
            {
                (ins, go, r) => GaussianJGradX(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => GaussianJGradY(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => GaussianJGradB(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => GaussianJGradG(ins[0], ins[1], ins[2], ins[3], go, r),
            },
            new[] { 3, 3, 2, 1 }, "ijjp".ToCharArray(), 2, 1),
        "GaussianI" => (
            (ins, r) => GaussianI(ins[0], ins[1], ins[2], ins[3], r),
            new Backward[]
            {
                (ins, go, r) => GaussianIGradX(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => GaussianIGradY(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => GaussianIGradB(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => GaussianIGradG(ins[0], ins[1], ins[2], ins[3], go, r),
            },
            new[] { 3, 3, 2, 1 }, "ijjp".ToCharArray(), 2, 0),
        "CauchyJ" => (
            (ins, r) => CauchyJ(ins[0], ins[1], ins[2], ins[3], r),
            new Backward[]
            {
                (ins, go, r) => CauchyJGradX(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => CauchyJGradY(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => CauchyJGradB(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => CauchyJGradG(ins[0], ins[1], ins[2], ins[3], go, r),
            },
            new[] { 3, 3, 2, 1 }, "ijjp".ToCharArray(), 2, 1),
        "CauchyI" => (
            (ins, r) => CauchyI(ins[0], ins[1], ins[2], ins[3], r),
            new Backward[]
            {
                (ins, go, r) => CauchyIGradX(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => CauchyIGradY(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => CauchyIGradB(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => CauchyIGradG(ins[0], ins[1], ins[2], ins[3], go, r),
            },
            new[] { 3, 3, 2, 1 }, "ijjp".ToCharArray(), 2, 0),
        "SeedJ" => (
            (ins, r) => SeedJ(ins[0], ins[1], ins[2], ins[3], r),
            new Backward[]
            {
                (ins, go, r) => SeedJGradX(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => SeedJGradY(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => SeedJGradA(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => SeedJGradP(ins[0], ins[1], ins[2], ins[3], go, r),
            },
            new[] { 3, 3, 1, 1 }, "ijjp".ToCharArray(), 3, 1),
        "SeedI" => (
            (ins, r) => SeedI(ins[0], ins[1], ins[2], ins[3], r),
            new Backward[]
            {
                (ins, go, r) => SeedIGradX(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => SeedIGradY(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => SeedIGradA(ins[0], ins[1], ins[2], ins[3], go, r),
                (ins, go, r) => SeedIGradP(ins[0], ins[1], ins[2], ins[3], go, r),
            },
            new[] { 3, 3, 1, 1 }, "ijjp".ToCharArray(), 3, 0),
        _ => throw new ArgumentException(name),
    };

    private static double[][] Inputs(SeededRandom random, int[] dims, char[] categories, int m, int n)
    {
        var inputs = new double[dims.Length][];
        for (int p = 0; p < dims.Length; p++)
        {
            int rows = categories[p] switch { 'i' => m, 'j' => n, _ => 1 };

            // The parameter is the scale G (kept positive so the kernels stay bounded) or the seed's p.
            inputs[p] = categories[p] == 'p' ? random.Doubles(dims[p], 0.5, 2) : random.Doubles(rows * dims[p], -1, 1);
        }

        return inputs;
    }

    /// <summary>All rows of small inputs; a few random ones (plus the ends) of big ones.</summary>
    private static IEnumerable<int> Rows(SeededRandom random, int count)
        => count <= 16 ? Enumerable.Range(0, count) : new[] { 0, count - 1 }.Concat(Enumerable.Range(0, 4).Select(_ => random.Next(count))).Distinct();

    private static void CheckAgainstFiniteDifferences(string label, SeededRandom random, Forward forward, double[][] inputs, int p, int outputLength, double[] gradOutput, double[] symbolic)
    {
        double[] x = inputs[p];
        var output = new double[outputLength];
        double Contracted(out double magnitude)
        {
            forward(inputs, output);
            double s = 0;
            magnitude = 0;
            for (int k = 0; k < outputLength; k++)
            {
                s += gradOutput[k] * output[k];
                magnitude += Math.Abs(gradOutput[k] * output[k]);
            }

            return s;
        }

        IEnumerable<int> entries = x.Length <= 48 ? Enumerable.Range(0, x.Length)
            : new[] { 0, x.Length - 1 }.Concat(Enumerable.Range(0, 6).Select(_ => random.Next(x.Length))).Distinct();
        foreach (int k in entries)
        {
            double original = x[k];
            x[k] = original + Step;
            double plus = Contracted(out double scale);
            x[k] = original - Step;
            double minus = Contracted(out _);
            x[k] = original;
            double fd = (plus - minus) / (2 * Step);
            Assert.True(Math.Abs(symbolic[k] - fd) <= (RoundingTolerance * scale) + (RelativeTolerance * Math.Max(1, Math.Abs(fd))),
                $"{random} {label} entry {k}: generated gradient {symbolic[k]} vs finite differences {fd} (scale {scale})");
        }
    }
}
