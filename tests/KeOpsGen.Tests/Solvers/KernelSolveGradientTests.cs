using System;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Solvers;

/// <summary>
/// Gradients of a generated solve against central finite differences of the solve itself, for
/// the loss L = cᵀx with x = (alpha·I + K(X, G))⁻¹ b: with respect to b (another solve), to the
/// parameter G, and to the points (X passed for both the i- and the j-variable, so the gradient is
/// GradX + GradY).
/// </summary>
public sealed class KernelSolveGradientTests
{
    private const int N = 60;
    private const double Alpha = 0.5;

    // cond(A) ≤ (1 + N)/alpha ≈ 120: a 1e-13 residual leaves ~1e-11 relative error in L, i.e. ~1e-7
    // in a difference quotient with h = 1e-4, against a truncation error of order h² ≈ 1e-8.
    private const double H = 1e-4;
    private const double Tolerance = 1e-5;
    private static readonly KernelSolveOptions Tight = new() { Tolerance = 1e-13 };

    private static double Loss(double[] x, double[] b, double g, double[] c)
    {
        var solution = new double[N];
        SolveKernels.Gauss(x, x, b, new[] { g }, Alpha, solution, Tight).EnsureConverged();
        double loss = 0;
        for (int i = 0; i < N; i++)
        {
            loss += c[i] * solution[i];
        }

        return loss;
    }

    private static void Close(double expected, double actual, double scale, string what, SeededRandom random)
        => Assert.True(Math.Abs(expected - actual) <= Tolerance * scale, $"{random}: {what}: finite difference {expected:e6}, gradient {actual:e6}");

    [Fact]
    public void GradientsMatchFiniteDifferencesOfTheSolve()
    {
        var random = new SeededRandom(nameof(GradientsMatchFiniteDifferencesOfTheSolve));
        double[] x = random.Doubles(N * 2, 0, 2), b = random.Doubles(N, -1, 1), c = random.Doubles(N, -1, 1);
        double g = random.Double(0.5, 2);
        var solution = new double[N];
        SolveKernels.Gauss(x, x, b, new[] { g }, Alpha, solution, Tight).EnsureConverged();

        // ∂L/∂b = (alpha·I + K)⁻¹ c: the adjoint.
        var adjoint = new double[N];
        SolveKernels.GaussGradB(x, x, c, new[] { g }, Alpha, adjoint, Tight).EnsureConverged();
        double scale = 0;
        foreach (double v in adjoint)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        for (int t = 0; t < 5; t++)
        {
            int k = random.Next(N);
            double[] plus = (double[])b.Clone(), minus = (double[])b.Clone();
            plus[k] += H;
            minus[k] -= H;
            Close((Loss(x, plus, g, c) - Loss(x, minus, g, c)) / (2 * H), adjoint[k], scale, $"dL/db[{k}]", random);
        }

        var gradG = new double[1];
        SolveKernels.GaussGradG(x, x, solution, new[] { g }, adjoint, gradG);
        double fdG = (Loss(x, b, g + H, c) - Loss(x, b, g - H, c)) / (2 * H);
        Close(fdG, gradG[0], Math.Max(1, Math.Abs(fdG)), "dL/dG", random);

        var gradX = new double[N * 2];
        var gradY = new double[N * 2];
        SolveKernels.GaussGradX(x, x, solution, new[] { g }, adjoint, gradX);
        SolveKernels.GaussGradY(x, x, solution, new[] { g }, adjoint, gradY);
        double pointScale = 0;
        for (int k = 0; k < N * 2; k++)
        {
            pointScale = Math.Max(pointScale, Math.Abs(gradX[k] + gradY[k]));
        }

        for (int t = 0; t < 6; t++)
        {
            int k = random.Next(N * 2);
            double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
            plus[k] += H;
            minus[k] -= H;
            double fd = (Loss(plus, b, g, c) - Loss(minus, b, g, c)) / (2 * H);
            Close(fd, gradX[k] + gradY[k], pointScale, $"dL/dx[{k}]", random);
        }
    }
}
