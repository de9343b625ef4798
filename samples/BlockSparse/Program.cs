// Block-sparse Gaussian convolution, the KeOps way:
//     a_i = Σ_j exp(−|x_i − y_j|² / (2σ²)) b_j        x_i, y_j ∈ R³, 10^6 points each
// Both clouds lie on a few spheres. They are clustered on a voxel grid (GridCluster), sorted so
// that clusters are contiguous, and only the pairs of clusters whose centroids are close enough
// for the Gaussian to matter are kept (Ranges.FromMatrix). The sample prints the fraction of
// pairs kept, the time against the dense KeOpsGen reduction and the relative error.
//
// A dense 10^6 × 10^6 reduction takes minutes on a small machine, so the dense reduction runs on
// a random subset of rows i (all 10^6 rows j): its time is extrapolated to every row, and the
// error is measured on those rows. Pass a point count to run another size: dotnet run -- 200000
using System;
using System.Diagnostics;
using System.Linq;
using KeOpsGen;

int count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
const float Sigma = 0.004f;
const float Voxel = 0.02f;
const int DenseRows = 500;
var random = new Random(2024);

float[] x = Spheres(count, random), y = Spheres(count, random);
float[] b = Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();
float[] g = { 1f / (2 * Sigma * Sigma) };

// 1. Cluster both clouds and sort them so that each cluster is one contiguous range.
var watch = Stopwatch.StartNew();
var (xs, xRanges, xCentroids, xPerm) = Prepare(x, Voxel);
var (ys, yRanges, yCentroids, yPerm) = Prepare(y, Voxel);
float[] bs = new float[count];
Clustering.Permute<float>(b, 1, yPerm, bs);

// 2. Keep a pair of clusters when their centroids are within 5σ plus a voxel diagonal (KeOps's
//    heuristic): pairs of points further apart than about 4σ weigh less than e^-8.
double diagonal = Voxel * Math.Sqrt(3);
double reach = (5 * Sigma) + diagonal;
int ci = xRanges.Length / 2, cj = yRanges.Length / 2;
var keep = new bool[ci * cj];
for (int a = 0; a < ci; a++)
{
    for (int c = 0; c < cj; c++)
    {
        double d2 = 0;
        for (int k = 0; k < 3; k++)
        {
            double d = xCentroids[(3 * a) + k] - yCentroids[(3 * c) + k];
            d2 += d * d;
        }

        keep[(a * cj) + c] = d2 <= reach * reach;
    }
}

Ranges ranges = Ranges.FromMatrix(xRanges, yRanges, keep);
double prepare = watch.Elapsed.TotalSeconds;
long kept = ranges.PairCountI();
double fraction = kept / ((double)count * count);
int[] sizes = Enumerable.Range(0, ci).Select(a => xRanges[(2 * a) + 1] - xRanges[2 * a]).OrderBy(s => s).ToArray();
Console.WriteLine($"{count:N0} × {count:N0} points on spheres, σ = {Sigma}, voxel {Voxel}, keep if centroids within {reach:F4}: {ci:N0} × {cj:N0} clusters (rows per cluster: median {sizes[sizes.Length / 2]}, mean {count / ci})");
Console.WriteLine($"clustering, sorting and keep mask: {prepare:F2} s");
Console.WriteLine($"pairs kept: {kept:N0} = {100 * fraction:F3} % of all pairs");

// 3. The block-sparse reduction over all rows, after one small call of each kind (JIT, and the
//    dense path's one-time GPU probe) so that neither timing includes start-up costs.
var sparse = new float[count];
Kernels.Gauss(xs.AsSpan(0, 3 * 64), ys, bs, g, sparse.AsSpan(0, 64));
Kernels.Gauss(xs.AsSpan(0, 3 * 64), ys.AsSpan(0, 3 * 64), bs.AsSpan(0, 64), g, sparse.AsSpan(0, 64), Ranges.FromMatrix(new[] { 0, 64 }, new[] { 0, 64 }, new[] { true }));

// 4. The dense reduction on DenseRows random rows (of the sorted cloud) against all of y, timed
//    before and after the block-sparse call so that a change of machine load shows. Wall time and
//    the process's CPU time are both reported: on a shared machine the CPU time is the fairer
//    measure of work.
int rows = Math.Min(DenseRows, count);
int[] sample = Enumerable.Range(0, rows).Select(_ => random.Next(count)).ToArray();
float[] xSample = sample.SelectMany(r => xs.AsSpan(3 * r, 3).ToArray()).ToArray();
var dense = new float[rows];
var (denseWall1, denseCpu1) = Time(() => Kernels.Gauss(xSample, ys, bs, g, dense));
var (sparseWall, sparseCpu) = Time(() => Kernels.Gauss(xs, ys, bs, g, sparse, ranges));
var (denseWall2, denseCpu2) = Time(() => Kernels.Gauss(xSample, ys, bs, g, dense));
double densePairs = 2.0 * rows * count;
double denseRateWall = densePairs / (denseWall1 + denseWall2), denseRateCpu = densePairs / (denseCpu1 + denseCpu2);
double denseAll = (double)count * count / denseRateWall;

double num = 0, den = 0, worst = 0;
for (int r = 0; r < rows; r++)
{
    double e = sparse[sample[r]] - dense[r];
    num += e * e;
    den += (double)dense[r] * dense[r];
    worst = Math.Max(worst, Math.Abs(e) / Math.Max(1e-30, Math.Abs(dense[r])));
}

Console.WriteLine($"dense KeOpsGen: {rows} rows × {count:N0}, twice: {denseWall1:F2} s and {denseWall2:F2} s wall = {denseRateWall / 1e9:F2} G pairs/s ({denseRateCpu / 1e9:F2} G pairs per CPU-second); all rows ≈ {denseAll:F0} s (extrapolated)");
Console.WriteLine($"block-sparse:   all {count:N0} rows in {sparseWall:F2} s wall ({sparseCpu:F2} CPU-s) = {kept / sparseWall / 1e9:F2} G kept pairs/s: {denseAll / sparseWall:F0}× faster than dense");
Console.WriteLine($"overhead: block-sparse time / (kept pairs ÷ dense pairs/s) = {sparseWall / (kept / denseRateWall):F2} wall, {sparseCpu / (kept / denseRateCpu):F2} CPU (target ≤ 1.5)");
Console.WriteLine($"relative error vs dense on the {rows} rows: L2 {Math.Sqrt(num / den):E2}, worst row {worst:E2}");

// Results come back in the original order with the permutation.
var original = new float[count];
Clustering.Unpermute<float>(sparse, 1, xPerm, original);
Console.WriteLine($"first rows in the original order: {string.Join(", ", original.Take(3).Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}");

// The dropped pairs are further apart than about 4σ: their weight is below e^-8 of a close pair.
bool ok = Math.Sqrt(num / den) < 1e-4;
Console.WriteLine(ok ? "check passed: block-sparse matches dense within 1e-4 (relative L2)" : "CHECK FAILED: block-sparse differs from dense by more than 1e-4");
return ok ? 0 : 1;

static (double Wall, double Cpu) Time(Action action)
{
    var process = Process.GetCurrentProcess();
    TimeSpan cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    action();
    double wall = clock.Elapsed.TotalSeconds;
    process.Refresh();
    return (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
}

static (float[] Sorted, int[] Ranges, float[] Centroids, int[] Permutation) Prepare(float[] points, float voxel)
{
    int n = points.Length / 3;
    var labels = new int[n];
    Clustering.GridCluster<float>(points, 3, voxel, labels);
    var sorted = new float[points.Length];
    var sortedLabels = new int[n];
    var permutation = new int[n];
    Clustering.SortClusters<float>(points, 3, labels, sorted, sortedLabels, permutation);
    var (ranges, centroids, _) = Clustering.ClusterRangesCentroids<float>(sorted, 3, sortedLabels);
    return (sorted, ranges, centroids, permutation);
}

// Points on four spheres of radius 0.15-0.3 in the unit cube, jittered by σ/2.
static float[] Spheres(int n, Random random)
{
    float[][] centres = { new[] { 0.3f, 0.3f, 0.3f }, new[] { 0.7f, 0.35f, 0.5f }, new[] { 0.4f, 0.7f, 0.6f }, new[] { 0.7f, 0.7f, 0.25f } };
    float[] radii = { 0.25f, 0.2f, 0.3f, 0.15f };
    var points = new float[3 * n];
    for (int p = 0; p < n; p++)
    {
        int s = random.Next(4);
        double u = (2 * random.NextDouble()) - 1, phi = 2 * Math.PI * random.NextDouble(), r = Math.Sqrt(1 - (u * u));
        double[] direction = { r * Math.Cos(phi), r * Math.Sin(phi), u };
        for (int k = 0; k < 3; k++)
        {
            points[(3 * p) + k] = (float)(centres[s][k] + (radii[s] * direction[k]) + (0.005 * ((2 * random.NextDouble()) - 1)));
        }
    }

    return points;
}

public static partial class Kernels
{
    /// <summary>The Gaussian convolution; G = 1 / (2σ²).</summary>
    [Reduction("Exp(-G * SqDist(X, Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)", Axis = 1)]
    public static partial void Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);
}
