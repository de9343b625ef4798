using System;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Numerics;

/// <summary>The KeOps tutorial formula through the generated method, against a float64 dense reference.</summary>
public static partial class SeedReductionTests
{
    [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", Axis = 1)]
    private static partial void SeedOverJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, Span<double> result);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 13)]
    [InlineData(1000, 1203)]
    public static void SeedFormulaMatchesDenseReference(int m, int n)
    {
        var random = new SeededRandom(nameof(SeedFormulaMatchesDenseReference), m, n);
        double[] x = random.Doubles(m * 3, -1, 1), y = random.Doubles(n * 3, -1, 1), a = random.Doubles(n, -1, 1);
        double[] p = { random.Double(-1, 1) };
        var result = new double[m * 3];
        SeedOverJ(x, y, a, p, result);
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                double expected = 0;
                for (int j = 0; j < n; j++)
                {
                    expected += Math.Pow(p[0] - a[j], 2) * Math.Exp(x[(i * 3) + k] + y[(j * 3) + k]);
                }

                // Double data and accumulation: only summation order differs from the reference.
                Assert.True(Math.Abs(result[(i * 3) + k] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)) * Math.Sqrt(n),
                    $"{random} row {i} comp {k}: {result[(i * 3) + k]} vs {expected}");
            }
        }
    }
}
