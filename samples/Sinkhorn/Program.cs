// Entropic optimal transport between two point clouds with log-domain Sinkhorn iterations, every
// step a LogSumExp reduction (no N×M matrix is ever built):
//     f_i = −ε LSE_j((h_j − C_ij)/ε),  h_j = g_j + ε log b_j        C_ij = |x_i − y_j|² / 2
//     g_j = −ε LSE_i((k_i − C_ij)/ε),  k_i = f_i + ε log a_i
// Prints the dual cost Σ a_i f_i + Σ b_j g_j and the L1 error of the column marginal per iteration;
// at the end the primal cost Σ π_ij C_ij from a weighted LogSumExp (Weight = C). Fails if the
// marginal error does not fall below the threshold.
using System;
using System.Diagnostics;
using KeOpsGen;
using KeOpsGen.Samples;

const int N = 10_000, M = 12_000, MaxIterations = 100;
const double Epsilon = 0.05, Threshold = 1e-4;
var random = new Random(7);
float[] x = Cloud(N, 0.0, 0.0, 0.25), y = Cloud(M, 1.0, 0.5, 0.35);
double logA = -Math.Log(N), logB = -Math.Log(M);
float[] inverseEpsilon = { (float)(1 / Epsilon) };
var f = new float[N];
var g = new float[M];
var h = new float[M];
var k = new float[N];
var lse = new float[Math.Max(N, M)];

var watch = Stopwatch.StartNew();
double error = double.PositiveInfinity;
int iteration = 0;
var errors = new System.Collections.Generic.List<double>();
Console.WriteLine($"Sinkhorn, ε = {Epsilon}: {N} source and {M} target points in R^2 (uniform weights)");
SampleProgress.Run("Sinkhorn iterations", MaxIterations, progress =>
{
    progress.Log("iter   dual cost      marginal error (L1)");
    while (iteration < MaxIterations)
    {
        iteration++;
        progress.Advance();

        // g update (reduce over i), then the column-marginal error of the previous plan:
        // Σ_i π_ij = b_j exp((g_j − g_j')/ε) with g' the updated potential.
        for (int i = 0; i < N; i++)
        {
            k[i] = (float)(f[i] + (Epsilon * logA));
        }

        Sinkhorn.OverI(x, y, k, inverseEpsilon, lse.AsSpan(0, M));
        error = 0;
        for (int j = 0; j < M; j++)
        {
            double updated = -Epsilon * lse[j];
            error += Math.Abs(Math.Exp(logB) * (1 - Math.Exp((g[j] - updated) / Epsilon)));
            g[j] = (float)updated;
        }

        // f update (reduce over j).
        for (int j = 0; j < M; j++)
        {
            h[j] = (float)(g[j] + (Epsilon * logB));
        }

        Sinkhorn.OverJ(x, y, h, inverseEpsilon, lse.AsSpan(0, N));
        for (int i = 0; i < N; i++)
        {
            f[i] = (float)(-Epsilon * lse[i]);
        }

        double dual = 0;
        for (int i = 0; i < N; i++)
        {
            dual += f[i] / (double)N;
        }

        for (int j = 0; j < M; j++)
        {
            dual += g[j] / (double)M;
        }

        if (iteration <= 10 || iteration % 10 == 0 || error < Threshold)
        {
            progress.Log($"{iteration,4}   {dual,12:F6}   {error:E3}");
        }

        errors.Add(error);
        if (error < Threshold)
        {
            break;
        }
    }
});

// Primal cost: Σ_ij π_ij C_ij = Σ_i exp(f_i/ε + log a_i + log Σ_j exp((h_j − C_ij)/ε) C_ij).
var weighted = new float[N];
Sinkhorn.CostOverJ(x, y, h, inverseEpsilon, weighted);
double primal = 0;
for (int i = 0; i < N; i++)
{
    primal += Math.Exp((f[i] / Epsilon) + logA + weighted[i]);
}

watch.Stop();
Console.WriteLine($"primal transport cost <π, C> = {primal:F6} after {iteration} iterations, {watch.Elapsed.TotalSeconds:F1} s");
Figures.MarginalError(errors, Threshold);
Figures.TransportPlan(x, y, h, inverseEpsilon, shown: 300);
if (!(error < Threshold) || !double.IsFinite(primal))
{
    Console.WriteLine($"FAILED: marginal error {error:E3} did not fall below {Threshold:E0}");
    return 1;
}

Console.WriteLine($"OK: marginal error {error:E3} < {Threshold:E0}");
return 0;

float[] Cloud(int count, double cx, double cy, double spread)
{
    var points = new float[count * 2];
    for (int n = 0; n < count; n++)
    {
        double radius = spread * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
        double angle = 2 * Math.PI * random.NextDouble();
        points[2 * n] = (float)(cx + (radius * Math.Cos(angle)));
        points[(2 * n) + 1] = (float)(cy + (radius * Math.Sin(angle)));
    }

    return points;
}

/// <summary>The reductions of this sample, generated at build time.</summary>
public static partial class Sinkhorn
{
    /// <summary>LSE_j (h_j − |x_i − y_j|²/2) / ε, one value per i.</summary>
    [Reduction("(H - SqDist(X, Y) / 2) * E", "X = Vi(2)", "Y = Vj(2)", "H = Vj(1)", "E = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 1)]
    public static partial void OverJ(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> h, ReadOnlySpan<float> e, Span<float> result);

    /// <summary>LSE_i (k_i − |x_i − y_j|²/2) / ε, one value per j.</summary>
    [Reduction("(K - SqDist(X, Y) / 2) * E", "X = Vi(2)", "Y = Vj(2)", "K = Vi(1)", "E = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 0)]
    public static partial void OverI(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> k, ReadOnlySpan<float> e, Span<float> result);

    /// <summary>log Σ_j exp((h_j − C_ij)/ε) C_ij: the weighted LogSumExp with weight C.</summary>
    [Reduction("(H - SqDist(X, Y) / 2) * E", "X = Vi(2)", "Y = Vj(2)", "H = Vj(1)", "E = Pm(1)", Op = ReductionOp.LogSumExp, Weight = "SqDist(X, Y) / 2", Axis = 1)]
    public static partial void CostOverJ(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> h, ReadOnlySpan<float> e, Span<float> result);
}
