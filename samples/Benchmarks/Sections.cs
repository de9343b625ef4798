using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace KeOpsGen.Benchmarks;

/// <summary>
/// The benchmark's newer parts, each bounded in time: the FMA peak, D = 3 against a hand-written
/// Vector512 Gaussian, and embedding-sized D against the naive loop and (k-NN) TensorPrimitives.
/// Rows are timed on a slice of the N output rows against all M reduced rows, the slice sized so
/// one timing lasts about a target time; pairs/s is rows × M / seconds.
/// </summary>
internal static class Sections
{
    public static (double Fp32, double Fp64) Peaks(bool quick)
    {
        double seconds = quick ? 0.2 : 0.5;
        double fp32 = Baselines.FmaPeak<float>(seconds);
        double fp64 = Baselines.FmaPeak<double>(seconds);
        Console.WriteLine($"FMA peak (register-resident FMA chains, {Environment.ProcessorCount} threads): fp32 {fp32 / 1e9:F1} GFLOP/s, fp64 {fp64 / 1e9:F1} GFLOP/s");
        return (fp32, fp64);
    }

    public static void SmallD(bool quick)
    {
        int[] sizes = quick ? new[] { 10_000 } : new[] { 30_000, 100_000 };
        double target = quick ? 0.15 : 0.4;
        int repeats = quick ? 2 : 5;
        Console.WriteLine();
        Console.WriteLine("Gaussian D=3 E=1 against a hand-written Vector512 loop (16 j lanes x 4 i rows, broadcasts hoisted, the lane's Exp), timed alternately, best of each:");
        Console.WriteLine($"{"case",-22} {"N=M",8} {"KeOpsGen pairs/s",17} {"hand-written pairs/s",21} {"KeOpsGen/hand",14} {"max rel diff",13}");
        const float g = 2f;
        foreach (int n in sizes)
        {
            var random = new Random(n);
            float[] x = Floats(random, n * 3), y = Floats(random, n * 3), b = Floats(random, n);
            float[] rk = new float[n], rh = new float[n];
            var (k, h) = Compare(
                rows => Kernels.GaussF(x.AsSpan(0, rows * 3), y, b, new[] { g }, rk.AsSpan(0, rows)),
                rows => Baselines.HandGaussF(x, y, b, g, rh, rows), n, n, target, repeats);
            Console.WriteLine($"{"Gaussian float",-22} {n,8:N0} {k,17:E2} {h,21:E2} {k / h,14:F2} {MaxRelative(rk, rh, 256),13:E1}");

            double[] xd = x.Select(v => (double)v).ToArray(), yd = y.Select(v => (double)v).ToArray(), bd = b.Select(v => (double)v).ToArray();
            double[] rkd = new double[n], rhd = new double[n];
            (k, h) = Compare(
                rows => Kernels.GaussD(xd.AsSpan(0, rows * 3), yd, bd, new[] { (double)g }, rkd.AsSpan(0, rows)),
                rows => Baselines.HandGaussD(xd, yd, bd, g, rhd, rows), n, n, target, repeats);
            Console.WriteLine($"{"Gaussian double",-22} {n,8:N0} {k,17:E2} {h,21:E2} {k / h,14:F2} {MaxRelative(rkd.Select(v => (float)v).ToArray(), rhd.Select(v => (float)v).ToArray(), 256),13:E1}");
        }
    }

    public static void LargeD(bool quick, double fp32Peak)
    {
        int m = quick ? 4000 : 20_000;
        int[] dims = quick ? new[] { 64, 256 } : new[] { 64, 128, 256, 1024 };
        double target = quick ? 0.1 : 0.3;
        int repeats = quick ? 1 : 3;
        const float g = 0.05f, s = 0.05f;
        Console.WriteLine();
        Console.WriteLine($"Embedding dimensions, float, N = M = {m:N0}; GFLOP/s counts 2·D FLOPs per pair; %peak of the fp32 FMA peak above:");
        Console.WriteLine($"{"case",-20} {"D",5} {"KeOpsGen pairs/s",17} {"GFLOP/s",8} {"%peak",6} {"naive pairs/s",14} {"x naive",8} {"TensorPrim. pairs/s",20} {"x TP",6} {"first call ms",14}");
        foreach (int d in dims)
        {
            var random = new Random(d);
            float[] x = Floats(random, m * d), y = Floats(random, m * d), b = Floats(random, m);
            float[] result = new float[m];
            int[] indices = new int[m * 10];

            double first = FirstCall(() => LargeKernels.Gauss(d, x.AsSpan(0, 16 * d), y.AsSpan(0, 64 * d), b.AsSpan(0, 64), new[] { g }, result.AsSpan(0, 16)));
            double keops = Rate(rows => LargeKernels.Gauss(d, x.AsSpan(0, rows * d), y, b, new[] { g }, result.AsSpan(0, rows)), m, m, target, repeats);
            float[] keopsRows = result.AsSpan(0, 64).ToArray();
            double naive = Rate(rows => Baselines.NaiveGauss(x, y, b, g, result, rows, m, d), m, m, target, 1, minRows: 1);
            double tensorGauss = Rate(rows => Baselines.TensorGauss(x, y, b, g, result, rows, m, d), m, m, target, repeats);
            Baselines.TensorGauss(x, y, b, g, result, 64, m, d);
            double gaussDiff = keopsRows.Zip(result.Take(64)).Max(p => Math.Abs(p.First - p.Second) / Math.Max(Math.Abs(p.Second), 1e-30f));
            Row("Gaussian sum", d, keops, naive, tensorGauss, first, fp32Peak, $" (max rel diff to TensorPrimitives {gaussDiff:E1})");

            first = FirstCall(() => LargeKernels.Knn(d, x.AsSpan(0, 16 * d), y.AsSpan(0, 64 * d), indices.AsSpan(0, 160)));
            keops = Rate(rows => LargeKernels.Knn(d, x.AsSpan(0, rows * d), y, indices.AsSpan(0, rows * 10)), m, m, target, repeats);
            int[] check = indices.AsSpan(0, 640).ToArray();
            naive = Rate(rows => Baselines.NaiveKnn(x, y, rows, m, d, 10, indices), m, m, target, 1, minRows: 1);
            double tensor = Rate(rows => Baselines.TensorKnn(x, y, rows, m, d, 10, indices), m, m, target, repeats);
            Baselines.TensorKnn(x, y, 64, m, d, 10, indices);
            int agree = check.Zip(indices.Take(640)).Count(p => p.First == p.Second);
            Row($"ArgKMin K=10", d, keops, naive, tensor, first, fp32Peak, $" (indices agree with TensorPrimitives on {agree}/640 slots)");

            first = FirstCall(() => LargeKernels.Lse(d, x.AsSpan(0, 16 * d), y.AsSpan(0, 64 * d), new[] { s }, result.AsSpan(0, 16)));
            keops = Rate(rows => LargeKernels.Lse(d, x.AsSpan(0, rows * d), y, new[] { s }, result.AsSpan(0, rows)), m, m, target, repeats);
            naive = Rate(rows => Baselines.NaiveLse(x, y, s, result, rows, m, d), m, m, target, 1, minRows: 1);
            Row("LogSumExp s*(x|y)", d, keops, naive, double.NaN, first, fp32Peak);
        }
    }

    private static void Row(string name, int d, double keops, double naive, double tensor, double first, double peak, string note = "")
    {
        double gflops = keops * 2 * d / 1e9;
        string tp = double.IsNaN(tensor) ? "-" : tensor.ToString("E2");
        string xtp = double.IsNaN(tensor) ? "-" : (keops / tensor).ToString("F2");
        Console.WriteLine($"{name,-20} {d,5} {keops,17:E2} {gflops,8:F1} {100 * gflops * 1e9 / peak,5:F0}% {naive,14:E2} {keops / naive,8:F1} {tp,20} {xtp,6} {first,14:F1}{note}");
    }

    /// <summary>Time of the first call (JIT of the kernel included).</summary>
    private static double FirstCall(Action call)
    {
        var watch = Stopwatch.StartNew();
        call();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// Pairs/s: a slice of output rows sized so one timing lasts about <paramref name="target"/>
    /// seconds; the best of <paramref name="repeats"/> (on a shared machine the fastest run is the
    /// one least disturbed by other work).
    /// </summary>
    private static double Rate(Action<int> run, int maxRows, int inner, double target, int repeats, int minRows = 64)
    {
        int rows = Calibrate(run, maxRows, target, minRows);
        var rates = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            rates.Add(Time(run, rows, inner));
        }

        return rates.Max();
    }

    /// <summary>Both sides calibrated, then timed alternately so that load changes hit both; best of each.</summary>
    private static (double A, double B) Compare(Action<int> a, Action<int> b, int maxRows, int inner, double target, int repeats)
    {
        int rowsA = Calibrate(a, maxRows, target, 64);
        int rowsB = Calibrate(b, maxRows, target, 64);
        var ra = new List<double>();
        var rb = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            ra.Add(Time(a, rowsA, inner));
            rb.Add(Time(b, rowsB, inner));
        }

        return (ra.Max(), rb.Max());
    }

    private static int Calibrate(Action<int> run, int maxRows, double target, int minRows)
    {
        int rows = Math.Min(maxRows, minRows);
        run(rows);
        while (true)
        {
            var watch = Stopwatch.StartNew();
            run(rows);
            double seconds = watch.Elapsed.TotalSeconds;
            if (seconds >= target / 2 || rows >= maxRows)
            {
                return rows;
            }

            long next = Math.Max(2L * rows, (long)(rows * target / Math.Max(seconds, 1e-6)));
            // Rows rounded to the engine's row block of 4 once there are several blocks.
            rows = (int)Math.Min(maxRows, next >= 8 ? next / 4 * 4 : next);
        }
    }

    private static double Time(Action<int> run, int rows, int inner)
    {
        var watch = Stopwatch.StartNew();
        run(rows);
        return (double)rows * inner / watch.Elapsed.TotalSeconds;
    }

    private static float[] Floats(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return values;
    }

    private static double MaxRelative(float[] a, float[] b, int rows)
    {
        double worst = 0;
        for (int i = 0; i < rows; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / Math.Max(1e-30, Math.Abs(b[i])));
        }

        return worst;
    }
}
