using System;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gradients;

/// <summary>
/// Gradient kernels carry only the variables their formula reads. Here some read no variable of
/// the reduced side (d/dX of Sin(X) over j, d/dG over all pairs) or none of the output side
/// (d/dB reduces over i): the row counts then come from the method's checks of every parameter,
/// which these central finite differences of the forward method would catch if they were lost.
/// (d/dX reads G, X and gradOutput only; d/dB reads C, gradOutput and A.)
/// </summary>
public static partial class PrunedGradientTests
{
    [Reduction("G*Sin(X) + Square(C)*B*Elem(A,2)", "X = Vi(2)", "C = Vi(1)", "B = Vj(2)", "A = Vj(3)", "G = Pm(1)", Axis = 1, GradientOrder = 1)]
    private static partial void Mixed(ReadOnlySpan<double> x, ReadOnlySpan<double> c, ReadOnlySpan<double> b, ReadOnlySpan<double> a, ReadOnlySpan<double> g, Span<double> result);

    private delegate void Gradient(double[][] v, double[] gradOutput, double[] result);

    [Theory]
    [InlineData(3, 5)]
    [InlineData(150, 230)]
    public static void PrunedGradientsMatchFiniteDifferences(int n, int m)
    {
        var random = new SeededRandom(nameof(PrunedGradientsMatchFiniteDifferences), n, m);
        int[] rows = { n, n, m, m, 1 };
        int[] dims = { 2, 1, 2, 3, 1 };
        var v = new double[5][];
        for (int k = 0; k < 5; k++)
        {
            v[k] = random.Doubles(rows[k] * dims[k], -1, 1);
        }

        double[] gradOutput = random.Doubles(n * 2, -1, 1);
        Gradient[] gradients =
        {
            (p, e, r) => MixedGradX(p[0], p[1], p[2], p[3], p[4], e, r),
            (p, e, r) => MixedGradC(p[0], p[1], p[2], p[3], p[4], e, r),
            (p, e, r) => MixedGradB(p[0], p[1], p[2], p[3], p[4], e, r),
            (p, e, r) => MixedGradA(p[0], p[1], p[2], p[3], p[4], e, r),
            (p, e, r) => MixedGradG(p[0], p[1], p[2], p[3], p[4], e, r),
        };

        // s = <gradOutput, Mixed(v)>, its derivative in every input by central differences.
        double S(double[][] p)
        {
            var output = new double[n * 2];
            Mixed(p[0], p[1], p[2], p[3], p[4], output);
            double s = 0;
            for (int i = 0; i < output.Length; i++)
            {
                s += gradOutput[i] * output[i];
            }

            return s;
        }

        const double h = 1e-6;
        for (int k = 0; k < 5; k++)
        {
            var analytic = new double[v[k].Length];
            gradients[k](v, gradOutput, analytic);
            for (int c = 0; c < v[k].Length; c++)
            {
                double saved = v[k][c];
                v[k][c] = saved + h;
                double plus = S(v);
                v[k][c] = saved - h;
                double minus = S(v);
                v[k][c] = saved;
                double fd = (plus - minus) / (2 * h);

                // Truncation h²|s'''| is ~1e-12·M; rounding eps·|s|/h is ~1e-10·(n + m): 1e-6·(1 + n + m) covers both with margin.
                Assert.True(Math.Abs(analytic[c] - fd) <= 1e-6 * (1 + n + m) + 1e-7 * Math.Abs(fd), $"{random} input {k} component {c}: gradient {analytic[c]:R}, finite difference {fd:R}");
            }
        }
    }
}
