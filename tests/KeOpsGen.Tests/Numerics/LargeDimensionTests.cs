using System;
using System.Linq;
using KeOpsGen.Tests.Generator;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Numerics;

/// <summary>
/// Kernels over wide vectors (D = 37 … 1024, above Planning/LoopPlan's threshold of 16 components),
/// which the generator lowers as loops over the components, against float64 references written
/// here, on fresh seeded inputs. Odd dimensions (37, 1000) leave remainders after the loops'
/// blocks of four partial sums.
/// </summary>
/// <remarks>
/// Float tolerance: 1e-4 × Σ_j |term| (or absolute 1e-4 on a log-sum-exp). The worst case of a
/// D-component dot product with four partial sums is about (D/4 + 2) ulps relative
/// (≈ 1.6e-5 at D = 1024), times g·d² ≲ 1.5 through the exponential, plus the engine's float
/// block sums (≈ 1e-6) and a few ulps of exp: below 4e-5. A dropped, repeated or misplaced
/// component moves d² by about 1/D of itself (≥ 1e-3 at D = 1024 after the exponential's
/// factor), ten times the tolerance. Double: 1e-11, the same chain at 1.1e-16 per operation.
/// </remarks>
public static partial class LargeDimensionTests
{
    private const double FloatTolerance = 1e-4;

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(64)", "Y = Vj(64)", "B = Vj(1)", "G = Pm(1)")]
    internal static partial void Gaussian64(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(256)", "Y = Vj(256)", "B = Vj(1)", "G = Pm(1)")]
    internal static partial void Gaussian256(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(1024)", "Y = Vj(1024)", "B = Vj(1)", "G = Pm(1)", GradientOrder = 1)]
    internal static partial void Gaussian1024(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(1000)", "Y = Vj(1000)", "B = Vj(1)", "G = Pm(1)", Axis = 0)]
    internal static partial void Gaussian1000Axis0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(1000)", "Y = Vj(1000)", "B = Vj(1)", "G = Pm(1)", GradientOrder = 1)]
    internal static partial void GaussianDouble1000(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("SqDist(X,Y)", "X = Vi(64)", "Y = Vj(64)", Op = ReductionOp.ArgKMin, K = 10)]
    internal static partial void Knn64(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("SqDist(X,Y)", "X = Vi(1000)", "Y = Vj(1000)", Op = ReductionOp.ArgKMin, K = 10)]
    internal static partial void Knn1000(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("G*(X|Y)", "X = Vi(37)", "Y = Vj(37)", "G = Pm(1)", Op = ReductionOp.LogSumExp)]
    internal static partial void LogSumExp37(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("G*(X|Y)", "X = Vi(256)", "Y = Vj(256)", "G = Pm(1)", Op = ReductionOp.LogSumExp)]
    internal static partial void LogSumExp256(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("WeightedSqDist(W,X,Y)", "W = Pm(1000)", "X = Vi(1000)", "Y = Vj(1000)")]
    internal static partial void WeightedSqDist1000(ReadOnlySpan<float> w, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

    // Three output rows, the shared dimension (64) in the loop.
    [Reduction("MatVecMult(A,X)", "A = Vj(192)", "X = Vi(64)")]
    internal static partial void MatVec3x64(ReadOnlySpan<float> a, ReadOnlySpan<float> x, Span<float> result);

    // A wide output (37 rows of 29): the output loop holds the loop over the shared dimension.
    [Reduction("MatVecMult(A,X)", "A = Vj(1073)", "X = Vi(29)")]
    internal static partial void MatVec37x29(ReadOnlySpan<float> a, ReadOnlySpan<float> x, Span<float> result);

    // A wide elementwise map, written component by component in a loop.
    [Reduction("Exp(-Square(X-Y))*B", "X = Vi(257)", "Y = Vj(257)", "B = Vj(1)")]
    internal static partial void WideMap257(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, Span<float> result);

    // Sums, maxima and minima over components of elementwise maps.
    [Reduction("Sum(Abs(X-Y)) + Max(X*Y) - Min(X+Y)", "X = Vi(1000)", "Y = Vj(1000)")]
    internal static partial void Folds1000(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

    // Sin(X) and SqNorm2(Cos(Y)) depend on one side only: computed once per row at gather time, in loops.
    [Reduction("Sum(Sin(X)*Y) * Exp(-SqNorm2(Cos(Y)) * G)", "X = Vi(100)", "Y = Vj(100)", "G = Pm(1)")]
    internal static partial void Hoisted100(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> result);

    [Theory]
    [InlineData(Backend.Cpu)]
    [InlineData(Backend.IlgpuCpu)]
    public static void WideSubFormulasComputedAtGatherTimeMatchTheReference(Backend backend)
    {
        const int d = 100, m = 7, n = 33;
        var random = new SeededRandom(nameof(WideSubFormulasComputedAtGatherTimeMatchTheReference), backend);
        float[] x = random.Floats(m * d, -1, 1), y = random.Floats(n * d, -1, 1);
        float[] g = { (float)random.Double(0.01, 0.03) };
        var result = new float[m];
        Hoisted100(x, y, g, result, new ReductionOptions { Backend = backend });
        for (int i = 0; i < m; i++)
        {
            double expected = 0, scale = 0;
            for (int j = 0; j < n; j++)
            {
                double dot = 0, norm = 0, dotScale = 0;
                for (int c = 0; c < d; c++)
                {
                    double s = Math.Sin(x[(i * d) + c]) * y[(j * d) + c];
                    dot += s;
                    dotScale += Math.Abs(s);
                    norm += Math.Cos(y[(j * d) + c]) * Math.Cos(y[(j * d) + c]);
                }

                double factor = Math.Exp(-norm * g[0]);
                expected += dot * factor;
                scale += dotScale * factor;
            }

            // D = 100: (D/4 + 2) ulps of the dot product plus a few of sin, cos and exp, ≈ 2e-6 of Σ|term|.
            Assert.True(Math.Abs(result[i] - expected) <= 1e-5 * scale, $"{random} {backend} row {i}: {result[i]}, reference {expected}");
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(256)]
    [InlineData(1024)]
    public static void GaussianSumMatchesTheReference(int d)
    {
        var random = new SeededRandom(nameof(GaussianSumMatchesTheReference), d);
        const int m = 37, n = 150;
        float[] x = random.Floats(m * d, -1, 1), y = random.Floats(n * d, -1, 1), b = random.Floats(n, -1, 1);
        float[] g = { (float)(random.Double(0.5, 1.5) / d) };
        var result = new float[m];
        switch (d)
        {
            case 64: Gaussian64(x, y, b, g, result); break;
            case 256: Gaussian256(x, y, b, g, result); break;
            default: Gaussian1024(x, y, b, g, result); break;
        }

        for (int i = 0; i < m; i++)
        {
            (double sum, double scale) = GaussianRow(x, y, b, g[0], d, i, n);
            Assert.True(Math.Abs(result[i] - sum) <= FloatTolerance * scale, $"{random} row {i}: {result[i]}, reference {sum}");
        }
    }

    [Fact]
    public static void GaussianOverAxis0AtAnOddDimensionMatchesTheReference()
    {
        const int d = 1000, m = 20, n = 45;
        var random = new SeededRandom(nameof(GaussianOverAxis0AtAnOddDimensionMatchesTheReference));
        float[] x = random.Floats(m * d, -1, 1), y = random.Floats(n * d, -1, 1), b = random.Floats(n, -1, 1);
        float[] g = { (float)(random.Double(0.5, 1.5) / d) };
        var result = new float[n];
        Gaussian1000Axis0(x, y, b, g, result);
        for (int j = 0; j < n; j++)
        {
            double sum = 0, scale = 0;
            for (int i = 0; i < m; i++)
            {
                double term = Math.Exp(-g[0] * SqDist(x, i, y, j, d)) * b[j];
                sum += term;
                scale += Math.Abs(term);
            }

            Assert.True(Math.Abs(result[j] - sum) <= FloatTolerance * scale, $"{random} column {j}: {result[j]}, reference {sum}");
        }
    }

    /// <summary>The gradient kernel (wide output, Grad w.r.t. X) against central finite differences of the forward method, in double.</summary>
    [Fact]
    public static void GaussianGradientMatchesFiniteDifferences()
    {
        const int d = 1000, m = 5, n = 40;
        var random = new SeededRandom(nameof(GaussianGradientMatchesFiniteDifferences));
        double[] x = random.Doubles(m * d, -1, 1), y = random.Doubles(n * d, -1, 1), b = random.Doubles(n, -1, 1);
        double[] g = { random.Double(0.5, 1.5) / d };
        double[] e = random.Doubles(m, -1, 1), u = random.Doubles(m * d, -1, 1);
        var gradX = new double[m * d];
        var gradY = new double[n * d];
        GaussianDouble1000GradX(x, y, b, g, e, gradX);
        GaussianDouble1000GradY(x, y, b, g, e, gradY);

        // L(x) = Σ_i e_i F_i(x); dL/dx · u by central differences (h = 1e-4: truncation ~1e-10, rounding ~1e-12).
        const double h = 1e-4;
        double Loss(double[] xs, double[] ys)
        {
            var f = new double[m];
            GaussianDouble1000(xs, ys, b, g, f);
            return f.Select((v, i) => v * e[i]).Sum();
        }

        double[] Shift(double[] values, double[] direction, double step) => values.Select((v, k) => v + (step * direction[k])).ToArray();
        double fdX = (Loss(Shift(x, u, h), y) - Loss(Shift(x, u, -h), y)) / (2 * h);
        double gradDotU = gradX.Select((v, k) => v * u[k]).Sum();
        Assert.True(Math.Abs(gradDotU - fdX) <= 1e-6 * Math.Max(1, Math.Abs(fdX)), $"{random} GradX·u = {gradDotU}, finite differences {fdX}");

        double[] w = random.Doubles(n * d, -1, 1);
        double fdY = (Loss(x, Shift(y, w, h)) - Loss(x, Shift(y, w, -h))) / (2 * h);
        double gradYDotW = gradY.Select((v, k) => v * w[k]).Sum();
        Assert.True(Math.Abs(gradYDotW - fdY) <= 1e-6 * Math.Max(1, Math.Abs(fdY)), $"{random} GradY·w = {gradYDotW}, finite differences {fdY}");

        // Componentwise too, against the analytic gradient -2g Σ_j e_i b_j exp(-g d²) (x_i - y_j): catches errors that cancel in one direction.
        for (int i = 0; i < m; i++)
        {
            for (int c = 0; c < d; c += 37)
            {
                double expected = 0;
                for (int j = 0; j < n; j++)
                {
                    expected += -2 * g[0] * e[i] * b[j] * Math.Exp(-g[0] * SqDist(x, i, y, j, d)) * (x[(i * d) + c] - y[(j * d) + c]);
                }

                Assert.True(Math.Abs(gradX[(i * d) + c] - expected) <= 1e-11 * Math.Max(1e-3, Math.Abs(expected)) + 1e-14, $"{random} GradX[{i},{c}] = {gradX[(i * d) + c]}, analytic {expected}");
            }
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(1000)]
    public static void ArgKMinOnSqDistFindsTheReferenceNeighbours(int d)
    {
        const int m = 23, n = 300, k = 10;
        var random = new SeededRandom(nameof(ArgKMinOnSqDistFindsTheReferenceNeighbours), d);
        float[] x = random.Floats(m * d, -1, 1), y = random.Floats(n * d, -1, 1);
        var indices = new int[m * k];
        if (d == 64)
        {
            Knn64(x, y, indices);
        }
        else
        {
            Knn1000(x, y, indices);
        }

        for (int i = 0; i < m; i++)
        {
            double[] distances = Enumerable.Range(0, n).Select(j => SqDist(x, i, y, j, d)).ToArray();
            double[] sorted = distances.OrderBy(v => v).ToArray();
            int[] found = indices.Skip(i * k).Take(k).ToArray();
            Assert.True(found.Distinct().Count() == k && found.All(j => j >= 0 && j < n), $"{random} row {i}: indices {string.Join(",", found)}");
            for (int q = 0; q < k; q++)
            {
                // Float distances carry ≲ (D/4 + 2) ulps: a neighbour may swap only with one as close.
                Assert.True(Math.Abs(distances[found[q]] - sorted[q]) <= 2e-5 * sorted[q], $"{random} row {i} rank {q}: index {found[q]} at {distances[found[q]]}, reference {sorted[q]}");
            }
        }
    }

    [Theory]
    [InlineData(37)]
    [InlineData(256)]
    public static void LogSumExpOfAScaledScalarProductMatchesTheReference(int d)
    {
        const int m = 29, n = 200;
        var random = new SeededRandom(nameof(LogSumExpOfAScaledScalarProductMatchesTheReference), d);
        float[] x = random.Floats(m * d, -1, 1), y = random.Floats(n * d, -1, 1);
        float[] g = { (float)(random.Double(1, 3) / Math.Sqrt(d)) };
        var result = new float[m];
        if (d == 37)
        {
            LogSumExp37(x, y, g, result);
        }
        else
        {
            LogSumExp256(x, y, g, result);
        }

        for (int i = 0; i < m; i++)
        {
            double[] f = Enumerable.Range(0, n).Select(j => g[0] * Enumerable.Range(0, d).Sum(c => (double)x[(i * d) + c] * y[(j * d) + c])).ToArray();
            double max = f.Max();
            double expected = max + Math.Log(f.Sum(v => Math.Exp(v - max)));
            Assert.True(Math.Abs(result[i] - expected) <= FloatTolerance * Math.Max(1, Math.Abs(expected)), $"{random} row {i}: {result[i]}, reference {expected}");
        }
    }

    [Fact]
    public static void WeightedSqDistMatchesTheReference()
    {
        const int d = 1000, m = 17, n = 60;
        var random = new SeededRandom(nameof(WeightedSqDistMatchesTheReference));
        float[] w = random.Floats(d, 0.5, 1.5), x = random.Floats(m * d, -1, 1), y = random.Floats(n * d, -1, 1);
        var result = new float[m];
        WeightedSqDist1000(w, x, y, result);
        for (int i = 0; i < m; i++)
        {
            double expected = 0;
            for (int j = 0; j < n; j++)
            {
                for (int c = 0; c < d; c++)
                {
                    double t = (double)x[(i * d) + c] - y[(j * d) + c];
                    expected += w[c] * t * t;
                }
            }

            Assert.True(Math.Abs(result[i] - expected) <= FloatTolerance * expected, $"{random} row {i}: {result[i]}, reference {expected}");
        }
    }

    [Theory]
    [InlineData(3, 64)]
    [InlineData(37, 29)]
    public static void MatVecMultMatchesTheReference(int rows, int p)
    {
        const int m = 19, n = 70;
        var random = new SeededRandom(nameof(MatVecMultMatchesTheReference), rows, p);
        float[] a = random.Floats(n * rows * p, -1, 1), x = random.Floats(m * p, -1, 1);
        var result = new float[m * rows];
        if (rows == 3)
        {
            MatVec3x64(a, x, result);
        }
        else
        {
            MatVec37x29(a, x, result);
        }

        for (int i = 0; i < m; i++)
        {
            for (int r = 0; r < rows; r++)
            {
                double expected = 0, scale = 0;
                for (int j = 0; j < n; j++)
                {
                    for (int c = 0; c < p; c++)
                    {
                        double term = (double)a[(j * rows * p) + (r * p) + c] * x[(i * p) + c];
                        expected += term;
                        scale += Math.Abs(term);
                    }
                }

                Assert.True(Math.Abs(result[(i * rows) + r] - expected) <= 1e-5 * scale, $"{random} row {i} output {r}: {result[(i * rows) + r]}, reference {expected}");
            }
        }
    }

    [Fact]
    public static void WideElementwiseMapMatchesTheReference()
    {
        const int d = 257, m = 13, n = 50;
        var random = new SeededRandom(nameof(WideElementwiseMapMatchesTheReference));
        float[] x = random.Floats(m * d, -1, 1), y = random.Floats(n * d, -1, 1), b = random.Floats(n, -1, 1);
        var result = new float[m * d];
        WideMap257(x, y, b, result);
        CheckWideMap(random, x, y, b, result, d, m, n);
    }

    [Fact]
    public static void SumMaxAndMinOverComponentsMatchTheReference()
    {
        const int d = 1000, m = 11, n = 40;
        var random = new SeededRandom(nameof(SumMaxAndMinOverComponentsMatchTheReference));
        float[] x = random.Floats(m * d, -1, 1), y = random.Floats(n * d, -1, 1);
        var result = new float[m];
        Folds1000(x, y, result);
        for (int i = 0; i < m; i++)
        {
            double expected = 0, scale = 0;
            for (int j = 0; j < n; j++)
            {
                double sum = 0, max = double.NegativeInfinity, min = double.PositiveInfinity;
                for (int c = 0; c < d; c++)
                {
                    double xc = x[(i * d) + c], yc = y[(j * d) + c];
                    sum += Math.Abs(xc - yc);
                    max = Math.Max(max, (float)(xc * yc));
                    min = Math.Min(min, (float)(xc + yc));
                }

                expected += sum + max - min;
                scale += sum + Math.Abs(max) + Math.Abs(min);
            }

            Assert.True(Math.Abs(result[i] - expected) <= 1e-5 * scale, $"{random} row {i}: {result[i]}, reference {expected}");
        }
    }

    /// <summary>The ILGPU kernels (ILGPU's CPU accelerator) of the same wide formulas: their loops are the GPU emitter's.</summary>
    [Fact]
    public static void IlgpuCpuKernelsOfWideFormulasMatchTheReference()
    {
        var random = new SeededRandom(nameof(IlgpuCpuKernelsOfWideFormulasMatchTheReference));
        var options = new ReductionOptions { Backend = Backend.IlgpuCpu };
        {
            const int d = 1024, m = 9, n = 40;
            float[] x = random.Floats(m * d, -1, 1), y = random.Floats(n * d, -1, 1), b = random.Floats(n, -1, 1);
            float[] g = { (float)(random.Double(0.5, 1.5) / d) };
            var result = new float[m];
            Gaussian1024(x, y, b, g, result, options);
            for (int i = 0; i < m; i++)
            {
                (double sum, double scale) = GaussianRow(x, y, b, g[0], d, i, n);
                Assert.True(Math.Abs(result[i] - sum) <= FloatTolerance * scale, $"{random} IlgpuCpu Gaussian row {i}: {result[i]}, reference {sum}");
            }

            // The gradient w.r.t. X: a wide output per row.
            float[] e = random.Floats(m, -1, 1);
            var gradX = new float[m * d];
            Gaussian1024GradX(x, y, b, g, e, gradX, options);
            for (int i = 0; i < m; i++)
            {
                for (int c = 0; c < d; c += 31)
                {
                    double expected = 0, scale = 0;
                    for (int j = 0; j < n; j++)
                    {
                        double term = -2 * g[0] * e[i] * b[j] * Math.Exp(-g[0] * SqDist(x, i, y, j, d)) * (x[(i * d) + c] - y[(j * d) + c]);
                        expected += term;
                        scale += Math.Abs(term);
                    }

                    Assert.True(Math.Abs(gradX[(i * d) + c] - expected) <= FloatTolerance * scale, $"{random} IlgpuCpu GradX[{i},{c}] = {gradX[(i * d) + c]}, reference {expected}");
                }
            }
        }

        {
            const int d = 257, m = 7, n = 30;
            float[] x = random.Floats(m * d, -1, 1), y = random.Floats(n * d, -1, 1), b = random.Floats(n, -1, 1);
            var result = new float[m * d];
            WideMap257(x, y, b, result, options);
            CheckWideMap(random, x, y, b, result, d, m, n);
        }
    }

    /// <summary>The generated source of a D = 1024 Gaussian (forward, four gradients, CPU and ILGPU kernels) is O(formula), not O(D).</summary>
    [Fact]
    public static void GeneratedSourceDoesNotGrowWithTheDimension()
    {
        static int Length(int d)
        {
            GeneratorOutput output = GeneratorDriverHelper.Run(
                "using System; using KeOpsGen; public static partial class K { "
                + $"[Reduction(\"Exp(-G*SqDist(X,Y))*B\", \"X = Vi({d})\", \"Y = Vj({d})\", \"B = Vj(1)\", \"G = Pm(1)\")] "
                + "public static partial void Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result); }");
            Assert.Empty(output.Errors);
            return output.Source("K.Gauss.g.cs").Length;
        }

        int at64 = Length(64), at1024 = Length(1024), at4096 = Length(4096);
        Assert.True(at1024 <= 1.2 * at64, $"D = 64: {at64} characters, D = 1024: {at1024}");
        Assert.True(at4096 <= 1.2 * at64, $"D = 64: {at64} characters, D = 4096: {at4096}");
    }

    private static void CheckWideMap(SeededRandom random, float[] x, float[] y, float[] b, float[] result, int d, int m, int n)
    {
        for (int i = 0; i < m; i++)
        {
            for (int c = 0; c < d; c++)
            {
                double expected = 0, scale = 0;
                for (int j = 0; j < n; j++)
                {
                    double t = (double)x[(i * d) + c] - y[(j * d) + c];
                    double term = Math.Exp(-t * t) * b[j];
                    expected += term;
                    scale += Math.Abs(term);
                }

                Assert.True(Math.Abs(result[(i * d) + c] - expected) <= 1e-5 * scale, $"{random} row {i} component {c}: {result[(i * d) + c]}, reference {expected}");
            }
        }
    }

    private static (double Sum, double Scale) GaussianRow(float[] x, float[] y, float[] b, double g, int d, int i, int n)
    {
        double sum = 0, scale = 0;
        for (int j = 0; j < n; j++)
        {
            double term = Math.Exp(-g * SqDist(x, i, y, j, d)) * b[j];
            sum += term;
            scale += Math.Abs(term);
        }

        return (sum, scale);
    }

    private static double SqDist(float[] x, int i, float[] y, int j, int d)
    {
        double s = 0;
        for (int c = 0; c < d; c++)
        {
            double t = (double)x[(i * d) + c] - y[(j * d) + c];
            s += t * t;
        }

        return s;
    }

    private static double SqDist(double[] x, int i, double[] y, int j, int d)
    {
        double s = 0;
        for (int c = 0; c < d; c++)
        {
            double t = x[(i * d) + c] - y[(j * d) + c];
            s += t * t;
        }

        return s;
    }
}
