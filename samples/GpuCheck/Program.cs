// GPU check and benchmark for KeOpsGen's ILGPU kernels, in one self-contained program:
//   1. correctness: every reduction family (and the seed gradient) on the GPU against the CPU
//      engine, on fresh random inputs;
//   2. benchmark: Gaussian sum D=3 (E=1, 3; and E=1 in float64), LogSumExp, ArgKMin K=10 (D=3, 16,
//      128), the seed formula and its gradient, N = M = 1e4, 1e5, 1e6: pairs/s with transfers
//      (span overloads) and without (device views), first call (ILGPU compile included) and warm
//      call latency, and the fraction of an H100/H200's exp limit (4.2e12 ex2/s) for the Gaussian.
// Results: --out DIR (default $OUT, else ./gpu-check-results): gpu-check.txt and gpu-bench.csv.
// --backend IlgpuCpu runs everything on ILGPU's CPU accelerator (a smoke test without a GPU;
// use a small --max-n). Without a GPU (and no --backend) it prints "no GPU: skipped" and exits 0.
using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using GpuCheck;
using ILGPU;
using ILGPU.Runtime;
using KeOpsGen;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string outDir = Environment.GetEnvironmentVariable("OUT") is { Length: > 0 } env ? env : "gpu-check-results";
int maxN = 1_000_000;
Backend backend = Backend.Gpu;
for (int k = 0; k + 1 < args.Length; k++)
{
    switch (args[k])
    {
        case "--out": outDir = args[++k]; break;
        case "--max-n": maxN = int.Parse(args[++k], CultureInfo.InvariantCulture); break;
        case "--backend": backend = Enum.Parse<Backend>(args[++k], ignoreCase: true); break;
    }
}

Directory.CreateDirectory(outDir);
using var report = new StreamWriter(Path.Combine(outDir, "gpu-check.txt")) { AutoFlush = true };
void Say(string line)
{
    Console.WriteLine(line);
    report.WriteLine(line);
}

Say($"KeOpsGen GPU check, {DateTime.UtcNow:u}, {Environment.ProcessorCount} CPU threads, backend {backend}");
if (backend == Backend.Gpu && !ComputeBackend.IsGpuAvailable)
{
    Say($"no GPU: skipped ({ComputeBackend.GpuUnavailableReason})");
    return 0;
}

var random = new Random(Environment.TickCount);
float[] R(int count, double low, double high) => Enumerable.Range(0, count).Select(_ => (float)(low + ((high - low) * random.NextDouble()))).ToArray();
var gpu = new ReductionOptions { Backend = backend };
var cpu = new ReductionOptions { Backend = Backend.Cpu };
int failures = 0;

void Compare(string name, float[] a, float[] b, double tolerance)
{
    double worst = 0;
    for (int k = 0; k < a.Length; k++)
    {
        double d = Math.Abs(a[k] - b[k]) / Math.Max(1, Math.Abs(b[k]));
        worst = double.IsNaN(d) ? (float.IsNaN(a[k]) && float.IsNaN(b[k]) ? worst : double.PositiveInfinity) : Math.Max(worst, d);
    }

    bool ok = worst <= tolerance;
    failures += ok ? 0 : 1;
    Say($"{(ok ? "PASS" : "FAIL")} {name}: max relative difference to the CPU engine {worst:G3} (allowed {tolerance:G3})");
}

// Indices may differ on near-ties between float evaluation orders: compare the values they select.
void CompareSelected(string name, int[] a, int[] b, Func<int, int, double> value, int rows, int slots)
{
    int bad = 0;
    for (int r = 0; r < rows; r++)
    {
        for (int s = 0; s < slots; s++)
        {
            int i = a[(r * slots) + s], j = b[(r * slots) + s];
            if (i != j && (i < 0 || j < 0 || Math.Abs(value(r, i) - value(r, j)) > 1e-5 * Math.Max(1, Math.Abs(value(r, j)))))
            {
                bad++;
            }
        }
    }

    failures += bad == 0 ? 0 : 1;
    Say($"{(bad == 0 ? "PASS" : "FAIL")} {name}: {bad} selected indices differ from the CPU engine's beyond ties");
}

try
{
    const int n = 2000, m = 3000;
    float[] x = R(n * 3, -1, 1), y = R(m * 3, -1, 1), b1 = R(m, -1, 1), b3 = R(m * 3, -1, 1), g = { 2f };
    float[] Run(Action<float[], ReductionOptions> f, int length, ReductionOptions o)
    {
        var result = new float[length];
        f(result, o);
        return result;
    }

    Compare("Sum Gaussian E=1", Run((r, o) => Kernels.GaussE1(x, y, b1, g, r, o), n, gpu), Run((r, o) => Kernels.GaussE1(x, y, b1, g, r, o), n, cpu), 1e-4);
    Compare("Sum Gaussian E=3", Run((r, o) => Kernels.GaussE3(x, y, b3, g, r, o), n * 3, gpu), Run((r, o) => Kernels.GaussE3(x, y, b3, g, r, o), n * 3, cpu), 1e-4);
    Compare("LogSumExp", Run((r, o) => Kernels.Lse(x, y, g, r, o), n, gpu), Run((r, o) => Kernels.Lse(x, y, g, r, o), n, cpu), 1e-5);
    Compare("SumSoftMaxWeight", Run((r, o) => Kernels.SoftMax(x, y, b3.Take(m * 2).ToArray(), r, o), n * 2, gpu), Run((r, o) => Kernels.SoftMax(x, y, b3.Take(m * 2).ToArray(), r, o), n * 2, cpu), 1e-4);
    Compare("MaxSumShiftExp axis 0", Run((r, o) => Kernels.MaxSumShift(x, y, r, o), m * 2, gpu), Run((r, o) => Kernels.MaxSumShift(x, y, r, o), m * 2, cpu), 1e-4);
    float[] a1 = R(m, -1, 1), p = { 0.5f };
    Compare("Sum seed", Run((r, o) => Kernels.Seed(x, y, a1, p, r, o), n * 3, gpu), Run((r, o) => Kernels.Seed(x, y, a1, p, r, o), n * 3, cpu), 1e-4);
    float[] e = R(n * 3, -1, 1);
    Compare("seed gradient wrt y", Run((r, o) => Kernels.SeedGradY(x, y, a1, p, e, r, o), m * 3, gpu), Run((r, o) => Kernels.SeedGradY(x, y, a1, p, e, r, o), m * 3, cpu), 1e-4);
    float[] x2 = R(n * 2, -1, 1), y2 = R(m * 2, -1, 1), w = R(m, 0.5, 1.5);
    foreach ((string name, int rows, int slots, Action<float[], int[], ReductionOptions> f) in new (string, int, int, Action<float[], int[], ReductionOptions>)[]
    {
        ("MinArgMin", n, 2, (v, i, o) => Kernels.MinArgMin(x2, y2, w, v, i, o)),
        ("MaxArgMax axis 0", m, 2, (v, i, o) => Kernels.MaxArgMax(x2, y2, w, v, i, o)),
        ("KMinArgKMin K=4", n, 8, (v, i, o) => Kernels.KMinArgKMin(x2, y2, w, v, i, o)),
    })
    {
        var (vg, ig, vc, ic) = (new float[rows * slots], new int[rows * slots], new float[rows * slots], new int[rows * slots]);
        f(vg, ig, gpu);
        f(vc, ic, cpu);
        Compare(name + " values", vg, vc, 1e-5);
        failures += ig.Zip(ic).Count(t => t.First != t.Second) > rows * slots / 100 ? 1 : 0;
        Say($"     {name} indices: {ig.Zip(ic).Count(t => t.First != t.Second)} of {ig.Length} differ from the CPU engine's (ties between float orders)");
    }

    float[] xk = R(n * 16, -1, 1), yk = R(m * 16, -1, 1);
    int[] kg = new int[n * 10], kc = new int[n * 10];
    Kernels.Knn16(xk, yk, kg, gpu);
    Kernels.Knn16(xk, yk, kc, cpu);
    CompareSelected("ArgKMin K=10 D=16", kg, kc, (r, j) => Enumerable.Range(0, 16).Sum(c => Math.Pow(xk[(r * 16) + c] - yk[(j * 16) + c], 2)), n, 10);
}
catch (Exception ex)
{
    Say($"FAILED with {ex.GetType().Name}: {ex.Message}");
    return 1;
}

Say(failures == 0 ? "checks: all passed" : $"checks: {failures} FAILED");
Bench.Run(Say, Path.Combine(outDir, "gpu-bench.csv"), maxN, gpu, R);
return failures == 0 ? 0 : 1;
