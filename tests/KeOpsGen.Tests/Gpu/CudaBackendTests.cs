using System;
using KeOpsGen.Cuda;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gpu;

/// <summary>
/// Backend selection on every machine (no GPU in CI: Auto must stay on the CPU and Cuda must
/// fail clearly), and the CUDA kernels against float64 references and the CPU engine where a GPU exists.
/// </summary>
public static partial class CudaBackendTests
{
    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", Backend = Backend.Cuda)]
    private static partial void SeedCuda(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, Span<double> result);

    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)")]
    private static partial void SeedAuto(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, Span<double> result);

    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)", Backend = Backend.Cuda)]
    private static partial void GaussCuda(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Fact]
    public static void CudaBackendComputesOrFailsWithTheReason()
    {
        var random = new SeededRandom(nameof(CudaBackendComputesOrFailsWithTheReason));
        (double[] x, double[] y, double[] a, double[] p) = SeedInputs(random, 5, 9);
        var result = new double[5 * 3];
        if (!ComputeBackend.IsCudaAvailable)
        {
            // The situation of every CI run: no driver. The message names the backend and why.
            var error = Assert.Throws<InvalidOperationException>(() => SeedCuda(x, y, a, p, result));
            Assert.Contains("Backend.Cuda", error.Message);
            Assert.Contains(ComputeBackend.CudaUnavailableReason!, error.Message);
            if (OperatingSystem.IsLinux() && !System.IO.File.Exists("/usr/lib/x86_64-linux-gnu/libcuda.so.1"))
            {
                Assert.Contains("libcuda.so.1", error.Message);
            }
        }
        else
        {
            SeedCuda(x, y, a, p, result);
            AssertSeed(random, x, y, a, p, result, 5, 9);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 13)]
    [InlineData(300, 200)]
    public static void AutoBackendOnSmallProblemsMatchesTheReference(int m, int n)
    {
        var random = new SeededRandom(nameof(AutoBackendOnSmallProblemsMatchesTheReference), m, n);
        (double[] x, double[] y, double[] a, double[] p) = SeedInputs(random, m, n);
        var result = new double[m * 3];
        SeedAuto(x, y, a, p, result);
        AssertSeed(random, x, y, a, p, result, m, n);
        Assert.False(CudaEngine.ShouldRun(Backend.Auto, m, n), $"{m}×{n} pairs should stay on the CPU");
    }

    [Fact]
    public static void BackendChoiceFollowsDeclarationOverrideAndDriver()
    {
        Assert.False(CudaEngine.ShouldRun(Backend.Cpu, 100_000, 100_000));
        Assert.Equal(ComputeBackend.IsCudaAvailable, CudaEngine.ShouldRun(Backend.Auto, 10_000, 10_000));
        Assert.False(CudaEngine.ShouldRun(Backend.Auto, 0, 10_000_000));
        Assert.Null(ComputeBackend.Override);
        using (ComputeBackend.Use(Backend.Cpu))
        {
            Assert.Equal(Backend.Cpu, ComputeBackend.Override);
            Assert.False(CudaEngine.ShouldRun(Backend.Cuda, 100_000, 100_000));
            using (ComputeBackend.Use(Backend.Auto))
            {
                Assert.Equal(Backend.Auto, ComputeBackend.Override);
            }

            Assert.Equal(Backend.Cpu, ComputeBackend.Override);
        }

        Assert.Null(ComputeBackend.Override);
    }

    [Fact]
    public static void CpuOverrideRunsACudaDeclaredReductionOnAnyMachine()
    {
        var random = new SeededRandom(nameof(CpuOverrideRunsACudaDeclaredReductionOnAnyMachine));
        (double[] x, double[] y, double[] a, double[] p) = SeedInputs(random, 11, 17);
        var result = new double[11 * 3];
        using (ComputeBackend.Use(Backend.Cpu))
        {
            SeedCuda(x, y, a, p, result);
        }

        AssertSeed(random, x, y, a, p, result, 11, 17);
    }

    [GpuTheory]
    [InlineData(1, 1)]
    [InlineData(7, 13)]
    [InlineData(257, 255)]
    [InlineData(1000, 1203)]
    [InlineData(3000, 5000)]
    public static void SeedFormulaOnTheGpuMatchesTheReference(int m, int n)
    {
        var random = new SeededRandom(nameof(SeedFormulaOnTheGpuMatchesTheReference), m, n);
        (double[] x, double[] y, double[] a, double[] p) = SeedInputs(random, m, n);
        var result = new double[m * 3];
        SeedCuda(x, y, a, p, result);
        AssertSeed(random, x, y, a, p, result, m, n);
    }

    [GpuTheory]
    [InlineData(300, 517)]
    [InlineData(2000, 1500)]
    public static void SeedGradientsOnTheGpuMatchTheCpuEngine(int m, int n)
    {
        var random = new SeededRandom(nameof(SeedGradientsOnTheGpuMatchTheCpuEngine), m, n);
        (double[] x, double[] y, double[] a, double[] p) = SeedInputs(random, m, n);
        double[] e = random.Doubles(m * 3, -1, 1);
        foreach (string which in new[] { "x", "y", "a", "p" })
        {
            int length = which switch { "x" => m * 3, "y" => n * 3, "a" => n, _ => 1 };
            var gpu = new double[length];
            var cpu = new double[length];
            Gradient(which, x, y, a, p, e, gpu);
            using (ComputeBackend.Use(Backend.Cpu))
            {
                Gradient(which, x, y, a, p, e, cpu);
            }

            for (int k = 0; k < length; k++)
            {
                // Both in double: the GPU's exp polynomial is within a few ulp, and the summation
                // orders differ; the CPU engine itself is checked against references elsewhere.
                double scale = Math.Max(1, Math.Abs(cpu[k]));
                Assert.True(Math.Abs(gpu[k] - cpu[k]) <= 1e-11 * scale * Math.Sqrt(Math.Max(m, n)), $"{random} grad {which}[{k}]: GPU {gpu[k]} vs CPU {cpu[k]}");
            }
        }
    }

    [GpuTheory]
    [InlineData(100, 100)]
    [InlineData(4096, 3000)]
    public static void GaussianFloatOnTheGpuMatchesTheReference(int m, int n)
    {
        var random = new SeededRandom(nameof(GaussianFloatOnTheGpuMatchesTheReference), m, n);
        float[] x = random.Floats(m * 3, -1, 1), y = random.Floats(n * 3, -1, 1), b = random.Floats(n, -1, 1);
        float[] g = { (float)random.Double(0.5, 2) };
        var result = new float[m];
        GaussCuda(x, y, b, g, result);
        for (int i = 0; i < m; i++)
        {
            double expected = 0, magnitude = 0;
            for (int j = 0; j < n; j++)
            {
                double d2 = 0;
                for (int k = 0; k < 3; k++)
                {
                    double d = (double)x[(i * 3) + k] - y[(j * 3) + k];
                    d2 += d * d;
                }

                double term = Math.Exp(-g[0] * d2) * b[j];
                expected += term;
                magnitude += Math.Abs(term);
            }

            // float data: ex2.approx (about 2 ulp) plus float rounding of the distance and of the
            // block sums; 5e-6·√n of the sum of |terms| bounds these with margin.
            Assert.True(Math.Abs(result[i] - expected) <= 5e-6 * Math.Sqrt(n) * magnitude + 1e-30, $"{random} row {i}: {result[i]} vs {expected}");
        }
    }

    private static void Gradient(string which, double[] x, double[] y, double[] a, double[] p, double[] e, double[] output)
    {
        switch (which)
        {
            case "x": SeedCudaGradX(x, y, a, p, e, output); break;
            case "y": SeedCudaGradY(x, y, a, p, e, output); break;
            case "a": SeedCudaGradA(x, y, a, p, e, output); break;
            default: SeedCudaGradP(x, y, a, p, e, output); break;
        }
    }

    private static (double[] X, double[] Y, double[] A, double[] P) SeedInputs(SeededRandom random, int m, int n)
        => (random.Doubles(m * 3, -1, 1), random.Doubles(n * 3, -1, 1), random.Doubles(n, -1, 1), new[] { random.Double(-1, 1) });

    private static void AssertSeed(SeededRandom random, double[] x, double[] y, double[] a, double[] p, double[] result, int m, int n)
    {
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                double expected = 0;
                for (int j = 0; j < n; j++)
                {
                    expected += Math.Pow(p[0] - a[j], 2) * Math.Exp(x[(i * 3) + k] + y[(j * 3) + k]);
                }

                // Double data and accumulation: summation order (and, on the GPU, an exp within a
                // few ulp) is all that differs from the reference.
                Assert.True(Math.Abs(result[(i * 3) + k] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)) * Math.Sqrt(n),
                    $"{random} row {i} comp {k}: {result[(i * 3) + k]} vs {expected}");
            }
        }
    }
}
