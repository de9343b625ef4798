// The gradient of the KeOps tutorial formula with respect to y, written in the formula itself:
//     g_j = Σ_i Grad((p − a_j)² · exp(x_i + y_j), y_j, e_i) = (p − a_j)² · exp(y_j) ⊙ Σ_i exp(x_i) ⊙ e_i
// (componentwise products; x_i, y_j, e_i ∈ R³, a_j, p ∈ R), summed over i (Axis = 0). It is
// checked against that hand-derived closed form in a dense double loop, and against the
// gradient method KeOpsGen generates for the seed reduction itself, SeedGradY, which computes
// the same vector-Jacobian product with e as its gradOutput.
using System;
using System.Diagnostics;
using KeOpsGen;
using KeOpsGen.Samples;

const int M = 3000, N = 4000, D = 3;
var random = new Random(2024);
double[] x = RandomArray(M * D, -1, 1), y = RandomArray(N * D, -1, 1), a = RandomArray(N, -1, 1), e = RandomArray(M * D, -1, 1);
double[] p = { 0.25 };

var fromFormula = new double[N * D];
var watch = Stopwatch.StartNew();
Kernels.SeedGradientOverI(x, y, a, p, e, fromFormula);
Console.WriteLine($"Grad in the formula:   {M} x {N} pairs in {watch.Elapsed.TotalMilliseconds:F1} ms");

var fromMethod = new double[N * D];
watch.Restart();
Kernels.SeedGradY(x, y, a, p, e, fromMethod);
Console.WriteLine($"generated SeedGradY:   {M} x {N} pairs in {watch.Elapsed.TotalMilliseconds:F1} ms");

// Hand-derived dense reference: the sum over i factors out of the j-dependent part.
var sumOverI = new double[D];
for (int i = 0; i < M; i++)
{
    for (int k = 0; k < D; k++)
    {
        sumOverI[k] += Math.Exp(x[(i * D) + k]) * e[(i * D) + k];
    }
}

var reference = new double[N * D];
for (int j = 0; j < N; j++)
{
    double weight = (p[0] - a[j]) * (p[0] - a[j]);
    for (int k = 0; k < D; k++)
    {
        reference[(j * D) + k] = weight * Math.Exp(y[(j * D) + k]) * sumOverI[k];
    }
}

Console.WriteLine("row   Grad in the formula                    SeedGradY                              hand-derived reference");
for (int j = 0; j < 4; j++)
{
    Console.WriteLine($"{j,3}   {Row(fromFormula, j),-38} {Row(fromMethod, j),-38} {Row(reference, j)}");
}

double scale = 0;
foreach (double v in reference)
{
    scale = Math.Max(scale, Math.Abs(v));
}

double formulaError = MaxError(fromFormula, reference), methodError = MaxError(fromMethod, reference), between = MaxError(fromFormula, fromMethod);

// Double data: only the summation order over M = 3000 terms differs (≈ 1e-13 relative); the
// reference's Σ_i can cancel, so errors are measured against the largest entry.
const double Tolerance = 1e-10;
SamplePlot.Comparison("seed-gradient", "Gradient wrt y: generated SeedGradY vs hand-derived reference", fromMethod, reference, D, 0, 40);
Console.WriteLine($"max error / max entry: formula vs reference {formulaError / scale:E2}, SeedGradY vs reference {methodError / scale:E2}, formula vs SeedGradY {between / scale:E2} (tolerance {Tolerance:E0})");
if (!(formulaError <= Tolerance * scale && methodError <= Tolerance * scale && between <= Tolerance * scale))
{
    Console.WriteLine("FAILED: the gradients disagree");
    return 1;
}

Console.WriteLine("OK: Grad in the formula, the generated SeedGradY and the hand-derived gradient agree");
return 0;

double[] RandomArray(int length, double low, double high)
{
    var values = new double[length];
    for (int n = 0; n < length; n++)
    {
        values[n] = low + ((high - low) * random.NextDouble());
    }

    return values;
}

static double MaxError(double[] actual, double[] expected)
{
    double max = 0;
    for (int n = 0; n < actual.Length; n++)
    {
        max = Math.Max(max, Math.Abs(actual[n] - expected[n]));
    }

    return double.IsNaN(max) ? double.PositiveInfinity : max;
}

static string Row(double[] values, int j) => $"[{values[j * 3]:F4}, {values[(j * 3) + 1]:F4}, {values[(j * 3) + 2]:F4}]";

/// <summary>The reductions of this sample, declared once and generated at build time.</summary>
public static partial class Kernels
{
    /// <summary>The seed reduction a_i = Σ_j (p − a_j)² exp(x_i + y_j); KeOpsGen also generates SeedGradX/Y/A/P.</summary>
    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", Axis = 1, GradientOrder = 1)]
    public static partial void Seed(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, Span<double> result);

    /// <summary>g_j = Σ_i Grad(Square(p−a)·Exp(x+y), y, e): the same gradient, written with Grad.</summary>
    [Reduction("Grad(Square(p-a)*Exp(x+y), y, e)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", "e = Vi(3)", Axis = 0, GradientOrder = 1)]
    public static partial void SeedGradientOverI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, ReadOnlySpan<double> e, Span<double> result);
}
