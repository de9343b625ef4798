// KeOpsGen CPU benchmark: pairs per second of generated kernels, against two baselines measured
// in the same run (a plain scalar single-threaded C# loop, and a dense N×M materialization where
// it fits), plus the first-call time of a never-called kernel and the peak working set.
// Usage: dotnet run -c Release --project samples/Benchmarks [-- --quick] [--sizes 10000,100000]
//        [--parts classic,small,large]: classic = the cases below; small = D = 3 Gaussian against a
//        hand-written Vector512 loop; large = D = 64…1024 against the naive loop and TensorPrimitives.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using KeOpsGen.Benchmarks;
using KeOpsGen.Samples;

bool quick = args.Contains("--quick");
if (args.Contains("--memory"))
{
    Console.WriteLine(MemoryCheck());
    return 0;
}

int[] sizes = args.SkipWhile(a => a != "--sizes").Skip(1).FirstOrDefault()?.Split(',').Select(int.Parse).ToArray()
    ?? (quick ? new[] { 10_000 } : new[] { 10_000, 100_000 });
string? only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();

Console.WriteLine($"KeOpsGen CPU benchmark: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, " +
    $"Vector512 {(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "yes" : "no")}, .NET {Environment.Version}");
string[] parts = args.SkipWhile(a => a != "--parts").Skip(1).FirstOrDefault()?.Split(',') ?? new[] { "classic", "small", "large" };
Console.WriteLine(FirstCall());
var peaks = Sections.Peaks(quick);
if (parts.Contains("small"))
{
    Sections.SmallD(quick);
}

if (parts.Contains("large"))
{
    Sections.LargeD(quick, peaks.Fp32);
}

if (!parts.Contains("classic"))
{
    Console.WriteLine();
    Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
    return 0;
}

Console.WriteLine();
Console.WriteLine($"{"case",-34} {"N=M",8} {"KeOpsGen pairs/s",17} {"scalar C# pairs/s",18} {"x scalar",9} {"dense pairs/s",14} {"x dense",8} {"median ms",10}");

var cases = Cases.All.Where(c => only is null || c.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
var results = new List<BenchmarkResult>();
SampleProgress.Run("benchmark cases", sizes.Length * Math.Max(1, cases.Count), progress =>
{
    foreach (int n in sizes)
    {
        foreach (Case c in cases)
        {
            c.Prepare(n);
            double keops = Measure(c.Run, n, quick);
            // The scalar baseline is single-threaded and slow: time a slice of rows and scale.
            int baselineRows = Math.Max(1, Math.Min(n, (int)(2e7 / n)));
            double scalar = MeasureRows(c.Scalar, baselineRows, n);
            double dense = double.NaN;
            if ((long)n * n * 8 <= 1L << 30 && c.Dense is not null)
            {
                dense = Measure(() => c.Dense(), n, quick: true);
            }

            progress.Log($"{c.Name,-34} {n,8:N0} {keops,17:E2} {scalar,18:E2} {keops / scalar,9:F1} {(double.IsNaN(dense) ? "-" : dense.ToString("E2")),14} {(double.IsNaN(dense) ? "-" : (keops / dense).ToString("F1")),8} {(double)n * n / keops * 1e3,10:F2}");
            results.Add(new BenchmarkResult(c.Name, n, keops, scalar, dense));
            progress.Advance();
        }
    }
});

BenchmarkChart.Write(results);
Console.WriteLine();
Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
return 0;

static double Measure(Action run, int n, bool quick)
{
    run();
    var times = new List<double>();
    var total = Stopwatch.StartNew();
    int repetitions = quick ? 3 : 7;
    while (times.Count < repetitions && (times.Count < 3 || total.Elapsed.TotalSeconds < 20))
    {
        var watch = Stopwatch.StartNew();
        run();
        times.Add(watch.Elapsed.TotalSeconds);
    }

    times.Sort();
    return (double)n * n / times[times.Count / 2];
}

static double MeasureRows(Action<int> run, int rows, int n)
{
    run(rows);
    var watch = Stopwatch.StartNew();
    run(rows);
    return (double)rows * n / watch.Elapsed.TotalSeconds;
}

static string MemoryCheck()
{
    // N = M = 2,000,000 float Gaussian sum: about 4e12 pairs, far too long to finish here, so the
    // call is cancelled after a few seconds; every buffer the engine needs is taken up front, so
    // the peak working set is reached by then.
    const int n = 2_000_000;
    long before = Process.GetCurrentProcess().WorkingSet64;
    var x = new float[n * 3];
    var y = new float[n * 3];
    var b = new float[n];
    var result = new float[n];
    var random = new Random(3);
    for (int i = 0; i < x.Length; i++)
    {
        x[i] = (float)random.NextDouble();
        y[i] = (float)random.NextDouble();
    }

    Array.Fill(b, 1f);
    Array.Fill(result, 1f);
    long data = (long)(x.Length + y.Length + b.Length + result.Length) * sizeof(float);
    using var cancel = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(4));
    try
    {
        Kernels.GaussF(x, y, b, new[] { 2f }, result, cancel.Token);
    }
    catch (OperationCanceledException)
    {
    }

    long peak = Process.GetCurrentProcess().PeakWorkingSet64;
    double extra = (peak - before - data) / (double)(1 << 20);
    return $"memory, N = M = {n:N0} float Gaussian sum: inputs + outputs {data / (1 << 20)} MiB, process baseline {before / (1 << 20)} MiB, peak {peak / (1 << 20)} MiB: {extra:F0} MiB beyond baseline + data (bound: 64 MiB)";
}

static string FirstCall()
{
    // Two figures: the very first KeOpsGen call of the process (pays the runtime's one-time
    // costs too), and the first call of another never-called kernel once any kernel has run.
    const int n = 1000;
    var random = new Random(7);
    float[] x = Enumerable.Range(0, n * 3).Select(_ => (float)random.NextDouble()).ToArray();
    float[] y = Enumerable.Range(0, n * 3).Select(_ => (float)random.NextDouble()).ToArray();
    float[] b = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
    var result = new float[n];
    var watch = Stopwatch.StartNew();
    Kernels.GaussFirstCall(x, y, b, new[] { 2f }, result);
    double first = watch.Elapsed.TotalMilliseconds;
    watch.Restart();
    Kernels.GaussFirstCall(x, y, b, new[] { 2f }, result);
    double second = watch.Elapsed.TotalMilliseconds;
    watch.Restart();
    Kernels.GaussSecondKernel(x, y, b, new[] { 2f }, result);
    double another = watch.Elapsed.TotalMilliseconds;
    return $"first call, N = M = {n}: first kernel of the process {first:F2} ms, another never-called kernel {another:F2} ms (a repeated call {second:F3} ms)";
}
