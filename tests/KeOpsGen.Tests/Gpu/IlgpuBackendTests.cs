using System;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gpu;

/// <summary>
/// The generated ILGPU kernels through <see cref="Backend.IlgpuCpu"/> (ILGPU's CPU accelerator,
/// what CI can run) against a float64 reference written here and against the CPU engine.
/// </summary>
public static partial class IlgpuBackendTests
{
    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)")]
    private static partial void Gaussian(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 53)]
    [InlineData(5, 300)]
    public static void GaussianSumMatchesTheReferenceAndTheCpuEngine(int m, int n)
    {
        var random = new SeededRandom(nameof(GaussianSumMatchesTheReferenceAndTheCpuEngine), m, n);
        float[] x = random.Floats(m * 3, -1, 1), y = random.Floats(n * 3, -1, 1), b = random.Floats(n * 2, -1, 1);
        float[] g = { (float)random.Double(0.5, 2) };
        var gpu = new float[m * 2];
        var cpu = new float[m * 2];
        Gaussian(x, y, b, g, gpu, new ReductionOptions { Backend = Backend.IlgpuCpu });
        Gaussian(x, y, b, g, cpu, new ReductionOptions { Backend = Backend.Cpu });
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < 2; k++)
            {
                double sum = 0, scale = 0;
                for (int j = 0; j < n; j++)
                {
                    double d2 = Enumerable.Range(0, 3).Sum(c => Math.Pow((double)x[(i * 3) + c] - y[(j * 3) + c], 2));
                    double term = Math.Exp(-g[0] * d2) * b[(j * 2) + k];
                    sum += term;
                    scale += Math.Abs(term);
                }

                // Float terms (a few ulp each, exp included) summed in float tiles: 1e-5 of Σ|term|.
                double allowed = 1e-5 * Math.Max(scale, 1e-6);
                Assert.True(Math.Abs(gpu[(i * 2) + k] - sum) <= allowed, $"{random} row {i} comp {k}: IlgpuCpu {gpu[(i * 2) + k]}, reference {sum}");
                Assert.True(Math.Abs(gpu[(i * 2) + k] - cpu[(i * 2) + k]) <= 2 * allowed, $"{random} row {i} comp {k}: IlgpuCpu {gpu[(i * 2) + k]}, CPU engine {cpu[(i * 2) + k]}");
            }
        }
    }

    /// <summary>The accelerator overload: device views in and out, same numbers as the span overload.</summary>
    [Fact]
    public static void DeviceViewOverloadMatchesTheSpanOverload()
    {
        var random = new SeededRandom(nameof(DeviceViewOverloadMatchesTheSpanOverload));
        const int m = 21, n = 34;
        float[] x = random.Floats(m * 3, -1, 1), y = random.Floats(n * 3, -1, 1), b = random.Floats(n * 2, -1, 1);
        float[] g = { (float)random.Double(0.5, 2) };
        var expected = new float[m * 2];
        Gaussian(x, y, b, g, expected, new ReductionOptions { Backend = Backend.IlgpuCpu });
        using var context = Context.Create(builder => builder.CPU().EnableAlgorithms());
        using var accelerator = context.CreateCPUAccelerator(0);
        using var dx = accelerator.Allocate1D(x);
        using var dy = accelerator.Allocate1D(y);
        using var db = accelerator.Allocate1D(b);
        using var dg = accelerator.Allocate1D(g);
        using var result = accelerator.Allocate1D<float>(m * 2);
        Gaussian(accelerator, dx.View, dy.View, db.View, dg.View, result.View);
        accelerator.Synchronize();
        float[] actual = result.GetAsArray1D();
        for (int k = 0; k < actual.Length; k++)
        {
            Assert.True(actual[k] == expected[k], $"{random} entry {k}: device overload {actual[k]}, span overload {expected[k]}");
        }

        var error = Assert.Throws<ArgumentException>(() => { Gaussian(accelerator, dx.View, dy.View, db.View, dg.View, result.View.SubView(0, 5)); });
        Assert.Equal("result", error.ParamName);
    }

    [Fact]
    public static void BackendGpuWithoutAGpuThrowsNamingTheReason()
    {
        if (ComputeBackend.IsGpuAvailable)
        {
            return; // a real GPU is present: nothing to refuse (the GPU tests cover it)
        }

        var x = new float[3];
        var error = Assert.Throws<InvalidOperationException>(() => Gaussian(x, x, new float[2], new float[1], new float[2], new ReductionOptions { Backend = Backend.Gpu }));
        Assert.Contains("Backend.Gpu was requested", error.Message);
        Assert.Contains(ComputeBackend.GpuUnavailableReason!, error.Message);
    }

    [Theory]
    [InlineData("IlgpuCpu", Backend.IlgpuCpu)]
    [InlineData(" gpu ", Backend.Gpu)]
    [InlineData("cpu", Backend.Cpu)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public static void EnvironmentBackendNamesParse(string? value, Backend? expected)
        => Assert.Equal(expected, KeOpsGen.Gpu.GpuRuntime.ParseBackend(value));

    [Theory]
    [InlineData("Cuda")]
    [InlineData("2")]
    public static void UnknownEnvironmentBackendIsRejected(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => KeOpsGen.Gpu.GpuRuntime.ParseBackend(value));
        Assert.Contains("KEOPSGEN_BACKEND", error.Message);
    }

    [GpuFact]
    public static void GaussianSumOnTheRealGpuMatchesTheReference()
    {
        using (ComputeBackend.Use(Backend.Gpu))
        {
            GaussianSumMatchesTheReferenceAndTheCpuEngine(300, 500);
        }
    }
}
