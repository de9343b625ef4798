// GPU check and benchmark for KeOpsGen's CUDA backend, in one self-contained program:
//   1. correctness: the CUDA kernels against float64 references (and, for gradients, against the
//      CPU engine) on fresh random inputs;
//   2. benchmark: Gaussian sum (D = 3, E = 1 and 3), the seed formula and its gradient, float32,
//      N = M = 1e4, 1e5, 1e6, with and without host<->device transfers, in pairs per second.
// Results go to --out DIR (default $OUT, else ./gpu-check-results): gpu-check.txt and gpu-bench.csv.
// Without a CUDA driver or device it prints "no GPU: skipped" and exits 0.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using GpuCheck;
using KeOpsGen;
using KeOpsGen.Cuda;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string outDir = Environment.GetEnvironmentVariable("OUT") is { Length: > 0 } env ? env : "gpu-check-results";
int maxN = 1_000_000;
for (int k = 0; k < args.Length; k++)
{
    if (args[k] == "--out" && k + 1 < args.Length)
    {
        outDir = args[++k];
    }
    else if (args[k] == "--max-n" && k + 1 < args.Length)
    {
        maxN = int.Parse(args[++k], CultureInfo.InvariantCulture);
    }
}

Directory.CreateDirectory(outDir);
var report = new Report(Path.Combine(outDir, "gpu-check.txt"));
report.Line($"KeOpsGen GPU check, {DateTime.UtcNow:u}, {Environment.ProcessorCount} CPU threads");
if (!ComputeBackend.IsCudaAvailable)
{
    report.Line($"no GPU: skipped ({ComputeBackend.CudaUnavailableReason})");
    report.Flush();
    return 0;
}

int failures = 0;
try
{
    failures += Checks.Run(report);
}
catch (Exception e)
{
    // A PTX the driver rejects lands here with the JIT log in the message.
    report.Line($"FAILED with {e.GetType().Name}: {e.Message}");
    report.Flush();
    return 1;
}

report.Line($"device: {CudaEngine.DeviceName}");
report.Line(failures == 0 ? "checks: all passed" : $"checks: {failures} FAILED");
report.Flush();
try
{
    Bench.Run(report, Path.Combine(outDir, "gpu-bench.csv"), maxN);
}
catch (Exception e)
{
    report.Line($"benchmark FAILED with {e.GetType().Name}: {e.Message}");
    failures++;
}

report.Flush();
return failures == 0 ? 0 : 1;

internal sealed class Report
{
    private readonly string _path;
    private readonly List<string> _lines = new();

    public Report(string path) => _path = path;

    public void Line(string text)
    {
        Console.WriteLine(text);
        _lines.Add(text);
    }

    public void Flush() => File.WriteAllLines(_path, _lines);
}

internal static class Data
{
    public static float[] Floats(Random random, int count, double low, double high)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(low + ((high - low) * random.NextDouble()));
        }

        return values;
    }

    public static double[] Doubles(Random random, int count, double low, double high)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + ((high - low) * random.NextDouble());
        }

        return values;
    }
}

internal static class Checks
{
    public static int Run(Report report)
    {
        int seed = Environment.TickCount;
        report.Line($"checks (random seed {seed}):");
        var random = new Random(seed);
        int failures = 0;
        const int m = 1500, n = 1700;

        // Seed formula, double: only summation order and a few-ulp exp separate GPU from the reference.
        double[] x = Data.Doubles(random, m * 3, -1, 1), y = Data.Doubles(random, n * 3, -1, 1), a = Data.Doubles(random, n, -1, 1);
        double[] p = { random.NextDouble() };
        var gpu = new double[m * 3];
        using (ComputeBackend.Use(Backend.Cuda))
        {
            Kernels.SeedDouble(x, y, a, p, gpu);
        }

        double worst = 0;
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                double expected = 0;
                for (int j = 0; j < n; j++)
                {
                    expected += (p[0] - a[j]) * (p[0] - a[j]) * Math.Exp(x[(i * 3) + k] + y[(j * 3) + k]);
                }

                worst = Math.Max(worst, Math.Abs(gpu[(i * 3) + k] - expected) / Math.Abs(expected));
            }
        }

        failures += Verdict(report, "seed f64 vs float64 reference (relative)", worst, 1e-12 * Math.Sqrt(n));

        // Seed formula, float (all terms positive: relative error of the sum).
        float[] xf = Data.Floats(random, m * 3, -1, 1), yf = Data.Floats(random, n * 3, -1, 1), af = Data.Floats(random, n, -1, 1);
        float[] pf = { (float)random.NextDouble() };
        var gpuF = new float[m * 3];
        using (ComputeBackend.Use(Backend.Cuda))
        {
            Kernels.Seed(xf, yf, af, pf, gpuF);
        }

        worst = 0;
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                double expected = 0;
                for (int j = 0; j < n; j++)
                {
                    expected += ((double)pf[0] - af[j]) * ((double)pf[0] - af[j]) * Math.Exp((double)xf[(i * 3) + k] + yf[(j * 3) + k]);
                }

                worst = Math.Max(worst, Math.Abs(gpuF[(i * 3) + k] - expected) / Math.Abs(expected));
            }
        }

        failures += Verdict(report, "seed f32 vs float64 reference (relative)", worst, 5e-6 * Math.Sqrt(n));

        foreach (int e in new[] { 1, 3 })
        {
            float[] b = Data.Floats(random, n * e, -1, 1);
            float[] g = { (float)(0.5 + random.NextDouble()) };
            var result = new float[m * e];
            using (ComputeBackend.Use(Backend.Cuda))
            {
                if (e == 1)
                {
                    Kernels.GaussE1(xf, yf, b, g, result);
                }
                else
                {
                    Kernels.GaussE3(xf, yf, b, g, result);
                }
            }

            worst = 0;
            for (int i = 0; i < m; i++)
            {
                for (int c = 0; c < e; c++)
                {
                    double expected = 0, magnitude = 0;
                    for (int j = 0; j < n; j++)
                    {
                        double d2 = 0;
                        for (int k = 0; k < 3; k++)
                        {
                            double d = (double)xf[(i * 3) + k] - yf[(j * 3) + k];
                            d2 += d * d;
                        }

                        double term = Math.Exp(-g[0] * d2) * b[(j * e) + c];
                        expected += term;
                        magnitude += Math.Abs(term);
                    }

                    worst = Math.Max(worst, Math.Abs(result[(i * e) + c] - expected) / magnitude);
                }
            }

            failures += Verdict(report, $"gaussian D=3 E={e} f32 vs float64 reference (error / sum of |terms|)", worst, 5e-6 * Math.Sqrt(n));
        }

        // Gradients: CUDA against the CPU engine, in double (both tested against references elsewhere).
        double[] go = Data.Doubles(random, m * 3, -1, 1);
        foreach (string which in new[] { "x", "y", "a", "p" })
        {
            int length = which switch { "x" => m * 3, "y" => n * 3, "a" => n, _ => 1 };
            var onGpu = new double[length];
            var onCpu = new double[length];
            using (ComputeBackend.Use(Backend.Cuda))
            {
                SeedGradient(which, x, y, a, p, go, onGpu);
            }

            using (ComputeBackend.Use(Backend.Cpu))
            {
                SeedGradient(which, x, y, a, p, go, onCpu);
            }

            double scale = 0, difference = 0;
            for (int k = 0; k < length; k++)
            {
                scale = Math.Max(scale, Math.Abs(onCpu[k]));
                difference = Math.Max(difference, Math.Abs(onGpu[k] - onCpu[k]));
            }

            failures += Verdict(report, $"seed f64 gradient wrt {which}: CUDA vs CPU (max difference / max |value|)", difference / scale, 1e-11 * Math.Sqrt(Math.Max(m, n)));
        }

        return failures;
    }

    private static void SeedGradient(string which, double[] x, double[] y, double[] a, double[] p, double[] e, double[] output)
    {
        switch (which)
        {
            case "x": Kernels.SeedDoubleGradX(x, y, a, p, e, output); break;
            case "y": Kernels.SeedDoubleGradY(x, y, a, p, e, output); break;
            case "a": Kernels.SeedDoubleGradA(x, y, a, p, e, output); break;
            default: Kernels.SeedDoubleGradP(x, y, a, p, e, output); break;
        }
    }

    private static int Verdict(Report report, string name, double error, double tolerance)
    {
        bool ok = error <= tolerance && !double.IsNaN(error);
        report.Line($"  {(ok ? "ok  " : "FAIL")} {name}: {error:E2} (tolerance {tolerance:E2})");
        return ok ? 0 : 1;
    }
}

internal static class Bench
{
    public static void Run(Report report, string csvPath, int maxN)
    {
        var csv = new List<string> { "case,n,m,transfers,ms,pairs_per_s" };
        report.Line("benchmark (float32, CUDA; 'with' includes host<->device copies):");
        var random = new Random(42);
        for (int n = 10_000; n <= maxN; n *= 10)
        {
            float[] x = Data.Floats(random, n * 3, -1, 1), y = Data.Floats(random, n * 3, -1, 1);
            float[] b1 = Data.Floats(random, n, -1, 1), b3 = Data.Floats(random, n * 3, -1, 1);
            float[] e3 = Data.Floats(random, n * 3, -1, 1);
            float[] g = { 1f }, p = { 0.25f };
            var out1 = new float[n];
            var out3 = new float[n * 3];
            var cases = new (string Name, Action Call)[]
            {
                ("gaussian_E1", () => Kernels.GaussE1(x, y, b1, g, out1)),
                ("gaussian_E3", () => Kernels.GaussE3(x, y, b3, g, out3)),
                ("seed", () => Kernels.Seed(x, y, b1, p, out3)),
                ("seed_grad_y", () => Kernels.SeedGradY(x, y, b1, p, e3, out3)),
            };
            foreach ((string name, Action call) in cases)
            {
                double with = Time(call, n, measureKernel: false);
                double without = Time(call, n, measureKernel: true);
                double pairs = (double)n * n;
                report.Line($"  {name,-12} N=M={n,-8} with: {with,10:F2} ms {pairs / with * 1e3,10:E2} pairs/s   without: {without,10:F2} ms {pairs / without * 1e3,10:E2} pairs/s");
                csv.Add($"{name},{n},{n},included,{with:F3},{pairs / with * 1e3:E3}");
                csv.Add($"{name},{n},{n},excluded,{without:F3},{pairs / without * 1e3:E3}");
                File.WriteAllLines(csvPath, csv);
            }
        }
    }

    /// <summary>Best of a few calls after a warm-up (module load, buffer allocation).</summary>
    private static double Time(Action call, int n, bool measureKernel)
    {
        int repetitions = n <= 10_000 ? 10 : n <= 100_000 ? 3 : 1;
        double best = double.MaxValue;
        using (ComputeBackend.Use(Backend.Cuda))
        {
            CudaEngine.MeasureTimings = measureKernel;
            call();
            for (int r = 0; r < repetitions; r++)
            {
                long start = Stopwatch.GetTimestamp();
                call();
                double ms = measureKernel ? CudaEngine.LastTimings.KernelMilliseconds : Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                best = Math.Min(best, ms);
            }

            CudaEngine.MeasureTimings = false;
        }

        return best;
    }
}
