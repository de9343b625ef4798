// The classic KeOps tutorial reduction, compiled at build time by KeOpsGen:
//     a_i = Σ_j (p − a_j)² · exp(x_i + y_j)      x_i, y_j ∈ R³, a_j ∈ R, p ∈ R
// computed for M = 3000 rows i and N = 5000 rows j without building the M×N matrix, then
// checked against a plain dense C# loop in double precision.
using System;
using System.Diagnostics;
using KeOpsGen;
using KeOpsGen.Samples;

const int M = 3000, N = 5000, D = 3;
var random = new Random(1234);
float[] x = RandomArray(M * D), y = RandomArray(N * D), a = RandomArray(N);
float[] p = { 0.25f };
var result = new float[M * D];

var watch = Stopwatch.StartNew();
Kernels.SeedReduction(x, y, a, p, result);
watch.Stop();
Console.WriteLine($"KeOpsGen: {M} x {N} pairs reduced in {watch.Elapsed.TotalMilliseconds:F1} ms (first call)");

// Dense reference in double, one pair at a time.
var reference = new double[M * D];
SampleProgress.Run("dense reference", M, progress =>
{
    for (int i = 0; i < M; i++)
    {
        for (int j = 0; j < N; j++)
        {
            double weight = Math.Pow(p[0] - a[j], 2);
            for (int k = 0; k < D; k++)
            {
                reference[(i * D) + k] += weight * Math.Exp(x[(i * D) + k] + y[(j * D) + k]);
            }
        }

        progress.Advance();
    }
});

double maxRelative = 0;
for (int n = 0; n < result.Length; n++)
{
    maxRelative = Math.Max(maxRelative, Math.Abs(result[n] - reference[n]) / Math.Abs(reference[n]));
}

Console.WriteLine("row   KeOpsGen (float)                       dense reference (double)");
for (int i = 0; i < 5; i++)
{
    Console.WriteLine($"{i,3}   {Row(result, i),-38} {Row(reference, i)}");
}

// Float inputs summed over 5000 terms with block summation: a few float ulps are expected.
const double Tolerance = 1e-5;
Console.WriteLine($"max relative error: {maxRelative:E2} (tolerance {Tolerance:E0})");
SamplePlot.Comparison("sum-reduction", "Σ_j (p − a_j)² exp(x_i + y_j): KeOpsGen vs dense reference", SamplePlot.ToDouble(result), reference, D, 0, 40);
if (!(maxRelative < Tolerance))
{
    Console.WriteLine("FAILED: KeOpsGen and the dense reference disagree");
    return 1;
}

Console.WriteLine("OK: KeOpsGen matches the dense reference");
return 0;

float[] RandomArray(int length)
{
    var values = new float[length];
    for (int n = 0; n < length; n++)
    {
        values[n] = (float)random.NextDouble();
    }

    return values;
}

static string Row<T>(T[] values, int i) => $"[{values[i * 3]:F4}, {values[(i * 3) + 1]:F4}, {values[(i * 3) + 2]:F4}]";

/// <summary>The reductions of this sample, declared once and generated at build time.</summary>
public static partial class Kernels
{
    /// <summary>a_i = Σ_j (p − a_j)² exp(x_i + y_j).</summary>
    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", Op = ReductionOp.Sum, Axis = 1)]
    public static partial void SeedReduction(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> p, Span<float> result);
}
