using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using KeOpsGen.Distributed;
using KeOpsGen.Mpi;
using KeOpsGen.Mpi.Driver;

// Every rank builds the same data from the seed, makes each call once in one process (the whole
// data) and once distributed (its slice), and checks the two agree: bitwise for Min/Arg*/KMin,
// within the Block sum bound for sums, and against float64 dense loops for the Gaussian sum,
// its gradients and the log-sum-exp. Prints "CHECK <name>: ok|FAIL" per rank and exits non-zero
// on any failure; rank 0 prints "ALL OK" when every rank passed.
int seed = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : Environment.TickCount;
using MpiSession mpi = MpiSession.Initialize();
MpiCommunicator comm = mpi.World;
var checks = new Checks(comm.Rank);
const int N = 1003;
const int M = 1501;
const float G = 2.5f;
var rng = new Random(seed);
float[] x = Fill(rng, N * 3);
float[] y = Fill(rng, M * 3);
// Many exact duplicates of the first 97 points, spread over all slices: ties in Min/KMin across
// rank boundaries, where only the first-index rule decides.
for (int j = 97; j < M; j++)
{
    Array.Copy(y, (j % 97) * 3, y, j * 3, 3);
}

float[] bj = Fill(rng, M * 2);
float[] bi = Fill(rng, N * 2);
float[] gradI = Fill(rng, N * 2);
float[] gradI1 = Fill(rng, N);
float[] gradJ = Fill(rng, M * 2);
float[] g = { G };
double[] xd = x.Select(v => (double)v).ToArray();
double[] yd = y.Select(v => (double)v).ToArray();
double[] bjd = bj.Select(v => (double)v).ToArray();
double[] gd = { G };

(int js, int jc) = comm.Slice(M);
(int iS, int ic) = comm.Slice(N);
float[] yL = y[(js * 3)..((js + jc) * 3)];
float[] bjL = bj[(js * 2)..((js + jc) * 2)];
float[] xL = x[(iS * 3)..((iS + ic) * 3)];
float[] biL = bi[(iS * 2)..((iS + ic) * 2)];
float[] gradIL = gradI[(iS * 2)..((iS + ic) * 2)];
float[] gradI1L = gradI1[iS..(iS + ic)];
double[] ydL = yd[(js * 3)..((js + jc) * 3)];
double[] xdL = xd[(iS * 3)..((iS + ic) * 3)];
int P = comm.Size;

// float64 dense references, with Σ|term| per output for the sum bound.
var gauss = Reference.Gauss(x, y, bj, G);
var gradX = Reference.GaussGradX(x, y, bj, G, gradI);
var gradY = Reference.GaussGradY(x, y, bj, G, gradI);
var gradG = Reference.GaussGradG(x, y, bj, G, gradI);
double[] lse = Reference.Lse(x, y, G);

// ---- the reduced side (j) split: partial states merged ----
{
    float[] single = new float[N * 2], dist = new float[N * 2];
    Kernels.Gauss(x, y, bj, g, single);
    Distributed.Run(comm, Side.J, () => Kernels.Gauss(x, yL, bjL, g, dist));
    checks.Sum("J.Gauss vs float64", dist, gauss, M, P, 1.19e-7);
    checks.Sum("J.Gauss single vs float64", single, gauss, M, P, 1.19e-7);

    float[] s2 = new float[N * 3], d2 = new float[N * 3];
    Kernels.GaussGradX(x, y, bj, g, gradI, s2);
    Distributed.Run(comm, Side.J, () => Kernels.GaussGradX(x, yL, bjL, g, gradI, d2));
    checks.Sum("J.GaussGradX vs float64", d2, gradX, M, P, 1.19e-7);

    float[] s3 = new float[M * 3], d3 = new float[jc * 3];
    Kernels.GaussGradY(x, y, bj, g, gradI, s3);
    Distributed.Run(comm, Side.J, () => Kernels.GaussGradY(x, yL, bjL, g, gradI, d3));
    checks.Sum("J.GaussGradY (own rows) vs float64", d3, gradY.Slice(js * 3, jc * 3), N, P, 1.19e-7);

    float[] d4 = new float[1];
    Distributed.Run(comm, Side.J, () => Kernels.GaussGradG(x, yL, bjL, g, gradI, d4));
    checks.Sum("J.GaussGradG vs float64", d4, gradG, N * M, P, 1.19e-7);

    float[] s5 = new float[M * 2], d5 = new float[jc * 2];
    Kernels.GaussOverI(x, y, bi, g, s5);
    Distributed.Run(comm, Side.J, () => Kernels.GaussOverI(x, yL, bi, g, d5));
    checks.Close("J.GaussOverI (own rows) vs single", d5, s5.AsSpan(js * 2, jc * 2).ToArray(), 2e-6);

    float[] sv = new float[N], dv = new float[N];
    int[] si = new int[N], di = new int[N];
    Kernels.Nearest(x, y, sv, si);
    Distributed.Run(comm, Side.J, () => Kernels.Nearest(x, yL, dv, di));
    checks.Bitwise("J.MinArgMin vs single", dv, sv, di, si);

    int[] sf = new int[N], df = new int[N];
    Kernels.Farthest(xd, yd, sf);
    Distributed.Run(comm, Side.J, () => Kernels.Farthest(xd, ydL, df));
    checks.Bitwise("J.ArgMax vs single", Array.Empty<float>(), Array.Empty<float>(), df, sf);

    float[] skv = new float[N * 5], dkv = new float[N * 5];
    int[] ski = new int[N * 5], dki = new int[N * 5];
    Kernels.Knn(x, y, skv, ski);
    Distributed.Run(comm, Side.J, () => Kernels.Knn(x, yL, dkv, dki));
    checks.Bitwise("J.KMinArgKMin vs single", dkv, skv, dki, ski);

    float[] sgx = new float[N * 3], dgx = new float[N * 3];
    Kernels.NearestGradX(x, y, gradI1, sgx);
    Distributed.Run(comm, Side.J, () => Kernels.NearestGradX(x, yL, gradI1, dgx));
    checks.Bitwise("J.MinGradX vs single", dgx, sgx, Array.Empty<int>(), Array.Empty<int>());

    float[] sgy = new float[M * 3], dgy = new float[jc * 3];
    Kernels.NearestGradY(x, y, gradI1, sgy);
    Distributed.Run(comm, Side.J, () => Kernels.NearestGradY(x, yL, gradI1, dgy));
    checks.Bitwise("J.MinGradY (own rows) vs single", dgy, sgy.AsSpan(js * 3, jc * 3).ToArray(), Array.Empty<int>(), Array.Empty<int>());

    float[] sl = new float[N], dl = new float[N];
    Kernels.Lse(x, y, g, sl);
    Distributed.Run(comm, Side.J, () => Kernels.Lse(x, yL, g, dl));
    checks.Close("J.LogSumExp vs float64", dl, lse.Select(v => (float)v).ToArray(), 2e-6);
    checks.Close("J.LogSumExp vs single", dl, sl, 2e-6);

    float[] slx = new float[N * 3], dlx = new float[N * 3];
    Kernels.LseGradX(x, y, g, gradI1, slx);
    Distributed.Run(comm, Side.J, () => Kernels.LseGradX(x, yL, g, gradI1, dlx));
    checks.Close("J.LogSumExpGradX vs single", dlx, slx, 1e-5);

    float[] sly = new float[M * 3], dly = new float[jc * 3];
    Kernels.LseGradY(x, y, g, gradI1, sly);
    Distributed.Run(comm, Side.J, () => Kernels.LseGradY(x, yL, g, gradI1, dly));
    checks.Close("J.LogSumExpGradY (own rows) vs single", dly, sly.AsSpan(js * 3, jc * 3).ToArray(), 1e-5);

    double[] sw = new double[N * 2], dw = new double[N * 2];
    Kernels.LseWeighted(xd, yd, bjd, gd, sw);
    Distributed.Run(comm, Side.J, () => Kernels.LseWeighted(xd, ydL, bjd[(js * 2)..((js + jc) * 2)], gd, dw));
    checks.Close("J.LogSumExp weighted (double) vs single", dw.Select(v => (float)v).ToArray(), sw.Select(v => (float)v).ToArray(), 1e-12 + 1e-7);

    float[] ss = new float[N * 2], ds = new float[N * 2];
    Kernels.SoftMax(x, y, bj, g, ss);
    Distributed.Run(comm, Side.J, () => Kernels.SoftMax(x, yL, bjL, g, ds));
    checks.Close("J.SumSoftMaxWeight vs single", ds, ss, 1e-5);

    float[] sm = new float[N * 2], dm = new float[N * 2];
    Kernels.Shift(x, y, g, sm);
    Distributed.Run(comm, Side.J, () => Kernels.Shift(x, yL, g, dm));
    checks.Bitwise("J.MaxSumShiftExp max vs single", Every(dm, 0), Every(sm, 0), Array.Empty<int>(), Array.Empty<int>());
    checks.Close("J.MaxSumShiftExp sum vs single", Every(dm, 1), Every(sm, 1), 1e-5);

    // Uneven slices: the last rank holds every y row, the others none.
    bool last = comm.Rank == P - 1;
    float[] yAll = last ? y : Array.Empty<float>(), bAll = last ? bj : Array.Empty<float>();
    float[] du = new float[N * 2];
    Distributed.Run(comm, Side.J, () => Kernels.Gauss(x, yAll, bAll, g, du));
    checks.Sum("J.Gauss, empty slices on all ranks but the last, vs float64", du, gauss, M, P, 1.19e-7);
    float[] duv = new float[N * 5];
    int[] dui = new int[N * 5];
    Distributed.Run(comm, Side.J, () => Kernels.Knn(x, yAll, duv, dui));
    checks.Bitwise("J.KMinArgKMin, empty slices on all ranks but the last, vs single", duv, skv, dui, ski);
}

// ---- the output side (i) split: each rank's rows are whole; j-indexed gradients merged ----
{
    float[] d = new float[ic * 2];
    Distributed.Run(comm, Side.I, () => Kernels.Gauss(xL, y, bj, g, d));
    checks.Sum("I.Gauss (own rows) vs float64", d, gauss.Slice(iS * 2, ic * 2), M, P, 1.19e-7);
    float[] whole = comm.AllGatherRows<float>(d, 2);
    checks.Sum("I.Gauss gathered vs float64", whole, gauss, M, P, 1.19e-7);

    float[] dgy = new float[M * 3];
    Distributed.Run(comm, Side.I, () => Kernels.GaussGradY(xL, y, bj, g, gradIL, dgy));
    checks.Sum("I.GaussGradY (merged over i) vs float64", dgy, gradY, N, P, 1.19e-7);

    float[] dgg = new float[1];
    Distributed.Run(comm, Side.I, () => Kernels.GaussGradG(xL, y, bj, g, gradIL, dgg));
    checks.Sum("I.GaussGradG vs float64", dgg, gradG, N * M, P, 1.19e-7);

    float[] sv = new float[N], dv = new float[ic];
    int[] si = new int[N], di = new int[ic];
    Kernels.Nearest(x, y, sv, si);
    Distributed.Run(comm, Side.I, () => Kernels.Nearest(xL, y, dv, di));
    checks.Bitwise("I.MinArgMin (own rows) vs single", dv, sv[iS..(iS + ic)], di, si[iS..(iS + ic)]);

    float[] skv = new float[N * 5], dkv = new float[ic * 5];
    int[] ski = new int[N * 5], dki = new int[ic * 5];
    Kernels.Knn(x, y, skv, ski);
    Distributed.Run(comm, Side.I, () => Kernels.Knn(xL, y, dkv, dki));
    checks.Bitwise("I.KMinArgKMin (own rows) vs single", dkv, skv[(iS * 5)..((iS + ic) * 5)], dki, ski[(iS * 5)..((iS + ic) * 5)]);

    float[] sgy = new float[M * 3], dgy2 = new float[M * 3];
    Kernels.NearestGradY(x, y, gradI1, sgy);
    Distributed.Run(comm, Side.I, () => Kernels.NearestGradY(xL, y, gradI1L, dgy2));
    checks.Close("I.MinGradY (merged over i) vs single", dgy2, sgy, 1e-5);

    float[] sly = new float[M * 3], dly = new float[M * 3];
    Kernels.LseGradY(x, y, g, gradI1, sly);
    Distributed.Run(comm, Side.I, () => Kernels.LseGradY(xL, y, g, gradI1L, dly));
    checks.Close("I.LogSumExpGradY (merged over i) vs single", dly, sly, 1e-5);

    int[] sf = new int[N], df = new int[ic];
    Kernels.Farthest(xd, yd, sf);
    Distributed.Run(comm, Side.I, () => Kernels.Farthest(xdL, yd, df));
    checks.Bitwise("I.ArgMax (own rows) vs single", Array.Empty<float>(), Array.Empty<float>(), df, sf[iS..(iS + ic)]);
}

// ---- failures: every rank throws the same clear error, none hangs, the next call works ----
{
    float[] dist = new float[N * 2];
    float[] wrong = new float[comm.Rank == 2 % P ? N * 2 - 1 : N * 2];
    checks.Throws("FAIL.rank throws", comm, () => Distributed.Run(comm, Side.J, () => Kernels.Gauss(x, yL, bjL, g, wrong)), failedRank: 2 % P, "ArgumentException");

    float[] shortX = comm.Rank == 1 % P && P > 1 ? x[..((N - 1) * 3)] : x;
    float[] rows = new float[(shortX.Length / 3) * 2];
    checks.Throws("FAIL.mismatched slices", comm, () => Distributed.Run(comm, Side.J, () => Kernels.Gauss(shortX, yL, bjL, g, rows)), failedRank: -1, P > 1 ? "mismatched slices" : "");

    using var cancelled = new CancellationTokenSource();
    if (comm.Rank == P - 1)
    {
        cancelled.Cancel();
    }

    checks.Throws("FAIL.cancelled inside the engine", comm, () => Distributed.Run(comm, Side.J, () => Kernels.Lse(x, yL, g, dist.AsSpan(0, N), cancelled.Token)), failedRank: P - 1, "OperationCanceledException");

    float[] again = new float[N * 2];
    Distributed.Run(comm, Side.J, () => Kernels.Gauss(x, yL, bjL, g, again));
    checks.Sum("FAIL.next call after failures vs float64", again, gauss, M, P, 1.19e-7);
}

int failures = (int)comm.MaxOverRanks(checks.Failures);
if (comm.Rank == 0)
{
    Console.WriteLine(failures == 0 ? $"ALL OK ({P} ranks, seed {seed})" : $"FAILED (seed {seed})");
}

return failures == 0 ? 0 : 1;

static float[] Fill(Random rng, int n)
{
    var a = new float[n];
    for (int i = 0; i < n; i++)
    {
        a[i] = (float)rng.NextDouble();
    }

    return a;
}

static float[] Every(float[] pairs, int offset)
{
    var a = new float[pairs.Length / 2];
    for (int i = 0; i < a.Length; i++)
    {
        a[i] = pairs[(2 * i) + offset];
    }

    return a;
}
