// Gaussian-process (kernel ridge) regression of a noisy 2-D function with a [KernelSolve] method:
// the weights a solve (alpha·I + K) a = y with K_ij = exp(-G|x_i - x_j|²), never forming K, by
// conjugate gradient with no preconditioner, Jacobi, and the rank-r pivoted-Cholesky (low-rank)
// preconditioner; the prediction at new points is the generated operator Σ_j k(x*, x_j) a_j.
// Prints iterations and residuals per preconditioner and the test error, and writes
// kernel-regression.png (truth next to the fit). Fails if the low-rank solve does not converge,
// if it needs more than a fifth of the plain CG iterations, or if the test error is too large.
//   dotnet run -c Release --project samples/KernelRegression [-- --n 100000 --rank 400 --limit 2000]
using KeOpsGen.Samples;
using System;
using System.Diagnostics;
using System.IO;
using KeOpsGen;

int n = Argument(args, "--n", 20_000);
int rank = Argument(args, "--rank", 400);
int limit = Argument(args, "--limit", 0);
const int TestPoints = 4_000, Grid = 120;
const double Alpha = 1e-3, Lengthscale = 0.2, Noise = 0.1, Tolerance = 1e-6;
double g = 1 / (2 * Lengthscale * Lengthscale);

var random = new Random(11);
double[] train = Uniform(random, n), test = Uniform(random, TestPoints);
var targets = new double[n];
double mean = 0;
for (int i = 0; i < n; i++)
{
    targets[i] = Truth(train[2 * i], train[(2 * i) + 1]) + (Noise * Gaussian(random));
    mean += targets[i] / n;
}

// A zero-mean GP on the centred targets; the mean is added back to predictions.
for (int i = 0; i < n; i++)
{
    targets[i] -= mean;
}

Console.WriteLine($"Kernel regression: N = {n:N0} noisy samples of a 2-D function, Gaussian kernel (lengthscale {Lengthscale}), alpha = {Alpha:g}, tolerance {Tolerance:g}, float64");
Console.WriteLine("preconditioner   iterations   relative residual   status            time");
var weights = new double[n];
var watch = Stopwatch.StartNew();
KernelSolveResult lowRank = Regression.Fit(train, train, targets, g, Alpha, weights,
    new KernelSolveOptions { Tolerance = Tolerance, Preconditioner = KernelPreconditioner.LowRank, Rank = rank });
Report($"low rank ({lowRank.PreconditionerRank})", lowRank, watch.Elapsed);

// The comparison runs long enough to decide the target: plain CG either converges (and its count
// is printed) or is still short of the tolerance after 5× the low-rank iterations.
int cap = limit > 0 ? limit : Math.Max(10, (5 * lowRank.Iterations) + 1);
var scratch = new double[n];
KernelSolveResult plain = default!;
foreach (KernelPreconditioner p in new[] { KernelPreconditioner.None, KernelPreconditioner.Jacobi })
{
    watch.Restart();
    KernelSolveResult result = Regression.Fit(train, train, targets, g, Alpha, scratch,
        new KernelSolveOptions { Tolerance = Tolerance, Preconditioner = p, MaxIterations = cap });
    Report(p == KernelPreconditioner.None ? "none (plain CG)" : "Jacobi", result, watch.Elapsed);
    plain = p == KernelPreconditioner.None ? result : plain;
}

// Predictions: the operator with the test points as the outer variable.
var predicted = new double[TestPoints];
Regression.FitOperator(test, train, weights, g, predicted);
double squared = 0;
for (int i = 0; i < TestPoints; i++)
{
    double error = predicted[i] + mean - Truth(test[2 * i], test[(2 * i) + 1]);
    squared += error * error;
}

double rmse = Math.Sqrt(squared / TestPoints);
Console.WriteLine($"test RMSE against the noise-free function: {rmse:F4} (noise level {Noise}) on {TestPoints:N0} new points");

string picture = Path.Combine(SamplePlot.OutputDirectory, "kernel-regression.png");
Picture.Save(picture, Grid, (x, y) => Truth(x, y), points =>
{
    var values = new double[points.Length / 2];
    Regression.FitOperator(points, train, weights, g, values);
    for (int i = 0; i < values.Length; i++)
    {
        values[i] += mean;
    }

    return values;
});
Console.WriteLine($"wrote {picture}");

bool targetMet = lowRank.Converged && (plain.Converged ? 5 * lowRank.Iterations <= plain.Iterations : plain.Iterations >= 5 * lowRank.Iterations);
Console.WriteLine(targetMet
    ? $"target met: low rank {lowRank.Iterations} iterations, plain CG {(plain.Converged ? plain.Iterations.ToString() : $"not converged after {plain.Iterations}")} (at least 5×)"
    : $"target NOT met: low rank {lowRank}, plain {plain}");
return targetMet && rmse < 0.05 ? 0 : 1;

static void Report(string name, KernelSolveResult result, TimeSpan time)
    => Console.WriteLine($"{name,-16} {result.Iterations,10}   {result.RelativeResidual,17:e2}   {result.Status,-16}  {time.TotalSeconds,5:F1} s");

static double Truth(double x, double y) => (Math.Sin(3 * x) * Math.Cos(2 * y)) + (0.8 * Math.Exp(-(((x - 0.3) * (x - 0.3)) + ((y + 0.4) * (y + 0.4))) / 0.08));

static double[] Uniform(Random random, int count)
{
    var points = new double[2 * count];
    for (int k = 0; k < points.Length; k++)
    {
        points[k] = (2 * random.NextDouble()) - 1;
    }

    return points;
}

static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

static int Argument(string[] args, string name, int fallback)
{
    int k = Array.IndexOf(args, name);
    return k >= 0 && k + 1 < args.Length ? int.Parse(args[k + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

internal static partial class Regression
{
    // K·a = Σ_j exp(-G|x_i - y_j|²) a_j; the solve is (alpha·I + K) a = targets with x = y the samples.
    [KernelSolve("Exp(-G*SqDist(X,Y)) * B", "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", "G = Pm(1)")]
    public static partial KernelSolveResult Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double g, double alpha, Span<double> result, KernelSolveOptions options);
}
