using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ILGPU;
using ILGPU.Runtime;
using KeOpsGen;

namespace GpuCheck;

/// <summary>The benchmark: one CSV row per (case, N), medians of three warm calls.</summary>
internal static class Bench
{
    /// <summary>exp evaluations per second of an H100/H200 (SFU ex2 throughput): one per Gaussian pair.</summary>
    private const double ExpLimit = 4.2e12;

    private sealed record Case(string Name, int Dim, int Width, int Out, bool Gaussian, Action<float[][], float[], ReductionOptions> Span, Action<Accelerator, ArrayView1D<float, Stride1D.Dense>[], ArrayView1D<float, Stride1D.Dense>> Device);

    public static void Run(Action<string> say, string csv, int maxN, ReductionOptions options, Func<int, double, double, float[]> random)
    {
        Accelerator accelerator = KeOpsGen.Gpu.GpuRuntime.Choose(options.Backend!.Value, options, 1 << 30, 1 << 30)!.Accelerator;
        say($"device: {accelerator.Name} ({accelerator.AcceleratorType}, {accelerator.MaxNumThreadsPerGroup} threads per group, {accelerator.MemorySize / (1 << 20)} MiB)");
        float[] g = { 2f }, p = { 0.5f };
        var cases = new List<Case>
        {
            new("Gaussian D=3 E=1", 3, 1, 1, true, (v, r, o) => Kernels.GaussE1(v[0], v[1], v[2], g, r, o), (a, v, r) => Kernels.GaussE1(a, v[0], v[1], v[2], v[3], r)),
            new("Gaussian D=3 E=3", 3, 3, 3, true, (v, r, o) => Kernels.GaussE3(v[0], v[1], v[2], g, r, o), (a, v, r) => Kernels.GaussE3(a, v[0], v[1], v[2], v[3], r)),
            new("LogSumExp D=3", 3, 1, 1, true, (v, r, o) => Kernels.Lse(v[0], v[1], g, r, o), (a, v, r) => Kernels.Lse(a, v[0], v[1], v[3], r)),
            new("seed", 3, 1, 3, false, (v, r, o) => Kernels.Seed(v[0], v[1], v[2], p, r, o), (a, v, r) => Kernels.Seed(a, v[0], v[1], v[2], v[3], r)),
            new("seed gradient wrt y", 3, 1, 3, false, (v, r, o) => Kernels.SeedGradY(v[0], v[1], v[2], p, v[4], r, o), (a, v, r) => Kernels.SeedGradY(a, v[0], v[1], v[2], v[3], v[4], r)),
        };
        using var writer = new StreamWriter(csv) { AutoFlush = true };
        writer.WriteLine("case,N,M,pairs_per_s_device,pairs_per_s_with_transfers,first_call_ms,warm_call_ms,warm_device_ms,fraction_of_exp_limit");
        foreach (Case c in cases)
        {
            bool first = true;
            for (int n = 10_000; n <= maxN; n *= 10)
            {
                float[] x = random(n * c.Dim, -1, 1), y = random(n * c.Dim, -1, 1), b = random(n * c.Width, -1, 1), e = random(n * 3, -1, 1);
                float[][] spans = { x, y, b, c.Gaussian ? g : p, e };
                var result = new float[n * c.Out];
                double firstMs = Time(() => c.Span(spans, result, options));
                double warmMs = Median(() => c.Span(spans, result, options));
                using var dx = accelerator.Allocate1D(x);
                using var dy = accelerator.Allocate1D(y);
                using var db = accelerator.Allocate1D(b);
                using var dp = accelerator.Allocate1D(c.Gaussian ? g : p);
                using var de = accelerator.Allocate1D(e);
                using var dr = accelerator.Allocate1D<float>(n * c.Out);
                ArrayView1D<float, Stride1D.Dense>[] views = { dx.View, dy.View, db.View, dp.View, de.View };
                double deviceMs = Median(() =>
                {
                    c.Device(accelerator, views, dr.View);
                    accelerator.Synchronize();
                });
                double pairs = (double)n * n;
                double device = pairs / (deviceMs / 1e3), withTransfers = pairs / (warmMs / 1e3);
                string fraction = c.Gaussian ? (device / ExpLimit).ToString("F3") : string.Empty;
                writer.WriteLine($"{c.Name},{n},{n},{device:E3},{withTransfers:E3},{(first ? firstMs.ToString("F1") : string.Empty)},{warmMs:F3},{deviceMs:F3},{fraction}");
                say($"{c.Name,-22} N=M={n,-8} {device:E2} pairs/s on the device, {withTransfers:E2} with transfers; warm {warmMs:F2} ms{(first ? $", first call {firstMs:F0} ms (compile included)" : string.Empty)}{(c.Gaussian ? $", {device / ExpLimit:P1} of the exp limit" : string.Empty)}");
                first = false;
            }
        }

        foreach ((string name, int dim, Action<float[], float[], int[]> knn) in new (string, int, Action<float[], float[], int[]>)[]
        {
            ("ArgKMin K=10 D=3", 3, (x, y, r) => Kernels.Knn3(x, y, r, options)),
            ("ArgKMin K=10 D=16", 16, (x, y, r) => Kernels.Knn16(x, y, r, options)),
            ("ArgKMin K=10 D=128", 128, (x, y, r) => Kernels.Knn128(x, y, r, options)),
        })
        {
            bool first = true;
            for (int n = 10_000; n <= maxN; n *= 10)
            {
                float[] x = random(n * dim, -1, 1), y = random(n * dim, -1, 1);
                var indices = new int[n * 10];
                double firstMs = Time(() => knn(x, y, indices));
                double warmMs = Median(() => knn(x, y, indices));
                double withTransfers = (double)n * n / (warmMs / 1e3);
                writer.WriteLine($"{name},{n},{n},,{withTransfers:E3},{(first ? firstMs.ToString("F1") : string.Empty)},{warmMs:F3},,");
                say($"{name,-22} N=M={n,-8} {withTransfers:E2} pairs/s with transfers; warm {warmMs:F2} ms{(first ? $", first call {firstMs:F0} ms" : string.Empty)}");
                first = false;
            }
        }
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(Action action)
    {
        double[] times = Enumerable.Range(0, 3).Select(_ => Time(action)).OrderBy(t => t).ToArray();
        return times[1];
    }
}
