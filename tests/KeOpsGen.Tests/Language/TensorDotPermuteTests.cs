using System;
using System.Linq;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Language;

/// <summary>
/// TensorDot's permute argument as KeOps reads it (its test_TensorDot_with_permute): the result is
/// numpy.transpose(tensordot(x, y), inverse(permute)). The expected values are written here from
/// that definition, through generated reductions over j, and the generated gradients are checked
/// against central finite differences of the generated forward.
/// </summary>
public static partial class TensorDotPermuteTests
{
    private const string Formula = "TensorDot(X,Y,[2,3,2],[2,2,3],[],[],[0,2,4,1,3,5])";

    [Reduction(Formula, "X = Vi(12)", "Y = Vj(12)", Axis = 1, GradientOrder = 1)]
    private static partial void PermutedD(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);

    [Reduction(Formula, "X = Vi(12)", "Y = Vj(12)", Axis = 1, GradientOrder = 1)]
    private static partial void PermutedF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

    private static readonly int[] Permute = { 0, 2, 4, 1, 3, 5 };

    [Fact]
    public static void PermutedOuterProductMatchesKeOpsInversePermutation()
    {
        var random = new SeededRandom(nameof(PermutedOuterProductMatchesKeOpsInversePermutation));
        const int m = 7, n = 11;
        double[] x = random.Doubles(m * 12, -1, 1), y = random.Doubles(n * 12, -1, 1);
        var result = new double[m * 144];
        PermutedD(x, y, result);
        var resultF = new float[m * 144];
        PermutedF(x.Select(v => (float)v).ToArray(), y.Select(v => (float)v).ToArray(), resultF);

        double[] expected = Expected(x, y, m, n);
        for (int k = 0; k < expected.Length; k++)
        {
            // Sums of 11 products of O(1) numbers: 1e-13 (double) and 1e-5 (float) are far above
            // rounding and far below the O(1) error of a wrong permutation.
            Assert.True(Math.Abs(result[k] - expected[k]) < 1e-13, $"{random} component {k}: {result[k]} vs {expected[k]}");
            Assert.True(Math.Abs(resultF[k] - expected[k]) < 1e-5, $"{random} float component {k}: {resultF[k]} vs {expected[k]}");
        }

        // The same list read as numpy.transpose's axes would give different numbers: the test can tell.
        double[] numpyReading = Expected(x, y, m, n, Permute);
        Assert.True(numpyReading.Zip(expected, (a, b) => Math.Abs(a - b)).Max() > 0.1, random.ToString());
    }

    [Fact]
    public static void PermutedGradientsMatchFiniteDifferences()
    {
        var random = new SeededRandom(nameof(PermutedGradientsMatchFiniteDifferences));
        const int m = 3, n = 4;
        double[] x = random.Doubles(m * 12, -1, 1), y = random.Doubles(n * 12, -1, 1), g = random.Doubles(m * 144, -1, 1);
        var gradX = new double[x.Length];
        var gradY = new double[y.Length];
        PermutedDGradX(x, y, g, gradX);
        PermutedDGradY(x, y, g, gradY);
        foreach ((double[] input, double[] gradient, string name) in new[] { (x, gradX, "x"), (y, gradY, "y") })
        {
            for (int k = 0; k < input.Length; k++)
            {
                double saved = input[k];
                input[k] = saved + 1e-4;
                double plus = Energy(x, y, g);
                input[k] = saved - 1e-4;
                double minus = Energy(x, y, g);
                input[k] = saved;
                double fd = (plus - minus) / 2e-4;
                // Bilinear in (x, y): central differences are exact up to rounding of O(100) sums.
                Assert.True(Math.Abs(gradient[k] - fd) < 1e-8, $"{random} d/d{name}[{k}]: {gradient[k]} vs {fd}");
            }
        }
    }

    private static double Energy(double[] x, double[] y, double[] g)
    {
        var output = new double[g.Length];
        PermutedD(x, y, output);
        return output.Zip(g, (a, b) => a * b).Sum();
    }

    /// <summary>Σ_j numpy.transpose(T_ij, axes) with T_ij = outer(x_i, y_j) of shape [2,3,2,2,2,3] and axes = inverse(permute) unless given.</summary>
    private static double[] Expected(double[] x, double[] y, int m, int n, int[]? axes = null)
    {
        axes ??= Inverse(Permute);
        int[] shape = { 2, 3, 2, 2, 2, 3 };
        int[] outShape = axes.Select(a => shape[a]).ToArray();
        var expected = new double[m * 144];
        var o = new int[6];
        var t = new int[6];
        for (int i = 0; i < m; i++)
        {
            for (int flat = 0; flat < 144; flat++)
            {
                int rest = flat;
                for (int k = 5; k >= 0; k--)
                {
                    o[k] = rest % outShape[k];
                    rest /= outShape[k];
                }

                // numpy.transpose: output index k walks axis axes[k] of T.
                for (int k = 0; k < 6; k++)
                {
                    t[axes[k]] = o[k];
                }

                int fx = (((t[0] * 3) + t[1]) * 2) + t[2];
                int fy = (((t[3] * 2) + t[4]) * 3) + t[5];
                double sum = 0;
                for (int j = 0; j < n; j++)
                {
                    sum += x[(i * 12) + fx] * y[(j * 12) + fy];
                }

                expected[(i * 144) + flat] = sum;
            }
        }

        return expected;
    }

    /// <summary>numpy.argsort of a permutation, as KeOps's test inverts it.</summary>
    private static int[] Inverse(int[] permutation)
        => Enumerable.Range(0, permutation.Length).OrderBy(k => permutation[k]).ToArray();
}
