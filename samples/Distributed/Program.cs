using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using KeOpsGen;
using KeOpsGen.Distributed;
using KeOpsGen.Mpi;

// A Gaussian kernel sum and a k-nearest-neighbour search spread over MPI ranks:
//   mpirun -np 4 dotnet run -c Release --project samples/Distributed
// (add --allow-run-as-root --oversubscribe as root or with more ranks than cores).
// Every rank builds the same points; the reduced side (y) is split across ranks and the partial
// states are merged; then the output side (x) is split and the rows gathered. Each result is
// checked against the same call in one process. `-- --bench` times 1 call of each layout instead.
using MpiSession mpi = MpiSession.Initialize();
MpiCommunicator comm = mpi.World;
bool bench = args.Contains("--bench");
int n = bench ? 30_000 : 20_000;
int m = 30_000;
var rng = new Random(2026);
float[] x = Points(rng, n), y = Points(rng, m);
float[] b = Enumerable.Range(0, m).Select(_ => (float)rng.NextDouble()).ToArray();
float[] g = { 8f };
(int js, int jc) = comm.Slice(m);
(int iS, int ic) = comm.Slice(n);
float[] yLocal = y[(js * 3)..((js + jc) * 3)], bLocal = b[js..(js + jc)];
float[] xLocal = x[(iS * 3)..((iS + ic) * 3)];
int failures = 0;

if (bench)
{
    // Wall times of one call (best of 3, max over ranks); CPU seconds summed over ranks; and the
    // merge alone: the same y-split call with one y row per rank, so the N-row state exchange is
    // nearly all that is left.
    var sum = new float[n];
    double local = Time(comm, () => Kernels.Gauss(x, yLocal, bLocal, g, sum)).Wall;
    (double split, double cpu) = Time(comm, () => Distributed.Run(comm, Side.J, () => Kernels.Gauss(x, yLocal, bLocal, g, sum)));
    double merge = Time(comm, () => Distributed.Run(comm, Side.J, () => Kernels.Gauss(x, yLocal[..3], bLocal[..1], g, sum))).Wall;
    var rows = new float[ic];
    double splitI = Time(comm, () =>
    {
        Distributed.Run(comm, Side.I, () => Kernels.Gauss(xLocal, y, b, g, rows));
        comm.AllGatherRows<float>(rows, 1);
    }).Wall;
    if (comm.Rank == 0)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH ranks={comm.Size} threads/rank={Environment.ProcessorCount} N=M={n}: local-only {local * 1e3:F0} ms | y split {split * 1e3:F0} ms ({cpu:F2} CPU-s over all ranks) | merge alone {merge * 1e3:F1} ms | x split + gather {splitI * 1e3:F0} ms"));
    }

    return 0;
}

// 1. y split: every rank holds all x and its slice of y; the sums are merged.
var single = new float[n];
Kernels.Gauss(x, y, b, g, single);
var merged = new float[n];
Distributed.Run(comm, Side.J, () => Kernels.Gauss(x, yLocal, bLocal, g, merged));
double worst = Enumerable.Range(0, n).Max(i => Math.Abs(merged[i] - single[i]) / Math.Max(1e-30, Math.Abs(single[i])));
failures += Report(comm, $"Gaussian sum, y split over {comm.Size} ranks: max relative difference to one process {worst:G2} (bound 1e-5)", worst <= 1e-5);

// 2. x split: each rank's rows of the 8 nearest neighbours are whole; gathered in rank order.
var knn = new int[ic * 8];
Distributed.Run(comm, Side.I, () => Kernels.Knn(xLocal, y, knn));
int[] all = comm.AllGatherRows<int>(knn, 8);
var expected = new int[n * 8];
Kernels.Knn(x, y, expected);
failures += Report(comm, $"8 nearest neighbours, x split over {comm.Size} ranks, gathered: identical to one process", all.AsSpan().SequenceEqual(expected));

// 3. y split for the k-NN: (value, index) lists merged, first index on ties.
var knnMerged = new int[n * 8];
Distributed.Run(comm, Side.J, () => Kernels.Knn(x, yLocal, knnMerged));
failures += Report(comm, $"8 nearest neighbours, y split over {comm.Size} ranks, lists merged: identical to one process", knnMerged.AsSpan().SequenceEqual(expected));

int failed = (int)comm.MaxOverRanks(failures);
return failed == 0 ? 0 : 1;

static int Report(MpiCommunicator comm, string what, bool ok)
{
    if (comm.Rank == 0)
    {
        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
    }

    return ok ? 0 : 1;
}

static (double Wall, double Cpu) Time(MpiCommunicator comm, Action call)
{
    call();
    double best = double.MaxValue, cpu = 0;
    for (int r = 0; r < 3; r++)
    {
        comm.Barrier();
        TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        call();
        double wall = comm.MaxOverRanks(clock.Elapsed.TotalSeconds);
        double used = comm.SumOverRanks((Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
        if (wall < best)
        {
            best = wall;
            cpu = used;
        }
    }

    return (best, cpu);
}

static float[] Points(Random rng, int rows) => Enumerable.Range(0, rows * 3).Select(_ => (float)rng.NextDouble()).ToArray();

public static partial class Kernels
{
    [Reduction("Exp(-G*SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)")]
    public static partial void Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgKMin, K = 8)]
    public static partial void Knn(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);
}
