using System;
using System.Linq;
using System.Threading;
using KeOpsGen.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace KeOpsGen.Tests.Solvers;

/// <summary>
/// Generated [KernelSolve] methods against a dense float64 Cholesky solve written in the test
/// (<see cref="DenseSystem"/>): solutions, residuals recomputed densely, iteration counts with and
/// without preconditioning on ill-conditioned systems, several right-hand sides, coupled columns,
/// axis 0, an indefinite operator, and argument checks.
/// </summary>
public sealed class KernelSolveTests(ITestOutputHelper output)
{
    private static double[] Points(SeededRandom random, int n, int dim, double scale) => random.Doubles(n * dim, 0, scale);

    [Theory]
    [InlineData(KernelPreconditioner.None)]
    [InlineData(KernelPreconditioner.Jacobi)]
    [InlineData(KernelPreconditioner.LowRank)]
    public void GaussianSolveMatchesDenseCholesky(KernelPreconditioner preconditioner)
    {
        var random = new SeededRandom(nameof(GaussianSolveMatchesDenseCholesky), preconditioner);
        const int n = 300;
        double g = random.Double(0.5, 2), alpha = random.Double(0.05, 0.2);
        double[] x = Points(random, n, 2, 3);
        double[] b = random.Doubles(n, -1, 1);
        var dense = new DenseSystem(n, (i, j) => DenseSystem.Gaussian(x, 2, i, j, g), alpha);
        double[] expected = dense.Solve(b);

        var solution = new double[n];
        KernelSolveResult result = SolveKernels.Gauss(x, x, b, new[] { g }, alpha, solution,
            new KernelSolveOptions { Tolerance = 1e-12, Preconditioner = preconditioner, Rank = 40 });

        // cond(A) ≤ (1 + n)/alpha ≈ 6e3 here, so a 1e-12 residual bounds the error by ~1e-8.
        Assert.True(result.Converged, $"{random}: {result}");
        Assert.True(result.RelativeResidual <= 1e-12, $"{random}: {result}");
        Assert.True(dense.RelativeResidual(b, solution) <= 1e-11, $"{random}: dense residual {dense.RelativeResidual(b, solution):e2}");
        Assert.True(DenseSystem.RelativeError(solution, expected) <= 1e-7, $"{random}: error {DenseSystem.RelativeError(solution, expected):e2}");
        // Pivoted Cholesky stops before the requested rank once the remaining diagonal is negligible.
        Assert.InRange(result.PreconditionerRank, preconditioner == KernelPreconditioner.LowRank ? 1 : 0, preconditioner == KernelPreconditioner.LowRank ? 40 : 0);
        output.WriteLine($"{preconditioner}: {result}");
    }

    [Fact]
    public void LowRankPreconditionerCutsIterationsOnAnIllConditionedGaussian()
    {
        // A wide Gaussian on the unit square with a tiny ridge: eigenvalues from ~n down to alpha.
        var random = new SeededRandom(nameof(LowRankPreconditionerCutsIterationsOnAnIllConditionedGaussian));
        const int n = 400;
        const double alpha = 1e-6, g = 2;
        double[] x = Points(random, n, 2, 1);
        double[] b = random.Doubles(n, -1, 1);
        var dense = new DenseSystem(n, (i, j) => DenseSystem.Gaussian(x, 2, i, j, g), alpha);
        var counts = new int[3];
        foreach (KernelPreconditioner p in new[] { KernelPreconditioner.None, KernelPreconditioner.Jacobi, KernelPreconditioner.LowRank })
        {
            var solution = new double[n];
            KernelSolveResult result = SolveKernels.Gauss(x, x, b, new[] { g }, alpha, solution,
                new KernelSolveOptions { Tolerance = 1e-8, Preconditioner = p, Rank = 60, MaxIterations = 20_000 });
            output.WriteLine($"{p}: {result}");
            Assert.True(result.Converged, $"{random}: {p}: {result}");

            // Recomputed densely the residual is as small. (Both evaluations carry rounding of
            // about n·ε·‖A‖‖x‖/‖b‖ ≈ 1e-8 here, x being ~1/alpha large, so they agree only to that.)
            double residual = dense.RelativeResidual(b, solution);
            Assert.True(residual <= 5e-8, $"{random}: {p}: dense residual {residual:e2}, reported {result.RelativeResidual:e2}");
            counts[(int)p] = result.Iterations;
        }

        Assert.True(counts[2] * 5 <= counts[0], $"{random}: low-rank {counts[2]} vs plain {counts[0]} iterations");
    }

    [Fact]
    public void IterationLimitIsReportedWithTheTrueResidual()
    {
        var random = new SeededRandom(nameof(IterationLimitIsReportedWithTheTrueResidual));
        const int n = 200;
        double[] x = Points(random, n, 2, 1);
        double[] b = random.Doubles(n, -1, 1);
        var dense = new DenseSystem(n, (i, j) => DenseSystem.Gaussian(x, 2, i, j, 2), 1e-6);
        var solution = new double[n];
        KernelSolveResult result = SolveKernels.Gauss(x, x, b, new[] { 2.0 }, 1e-6, solution, new KernelSolveOptions { MaxIterations = 5, Tolerance = 1e-10 });
        Assert.Equal(KernelSolveStatus.IterationLimit, result.Status);
        Assert.False(result.Converged);
        Assert.Equal(5, result.Iterations);
        double residual = dense.RelativeResidual(b, solution);
        Assert.True(Math.Abs(residual - result.RelativeResidual) <= 1e-6 * residual, $"{random}: dense {residual:e3} vs reported {result.RelativeResidual:e3}");
        Assert.Throws<InvalidOperationException>(() => result.EnsureConverged());
    }

    [Theory]
    [InlineData(KernelPreconditioner.None)]
    [InlineData(KernelPreconditioner.LowRank)]
    public void SeveralRightHandSidesAreSolvedTogetherInFloat(KernelPreconditioner preconditioner)
    {
        var random = new SeededRandom(nameof(SeveralRightHandSidesAreSolvedTogetherInFloat), preconditioner);
        const int n = 250, e = 3;
        double g = random.Double(0.5, 1.5), alpha = 0.5;
        float[] x = random.Floats(n * 3, 0, 2);
        float[] b = random.Floats(n * e, -1, 1);

        // The second column is zero: its solution must be exactly zero, whatever the others do.
        for (int i = 0; i < n; i++)
        {
            b[(i * e) + 1] = 0;
        }

        double[] xd = x.Select(v => (double)v).ToArray();
        var dense = new DenseSystem(n, (i, j) => DenseSystem.Gaussian(xd, 3, i, j, (float)g), alpha);
        var solution = new float[n * e];
        KernelSolveResult result = SolveKernels.GaussMulti(x, x, b, new[] { (float)g }, alpha, solution,
            new KernelSolveOptions { Tolerance = 1e-5, Preconditioner = preconditioner, Rank = 30 });
        Assert.True(result.Converged, $"{random}: {result}");
        Assert.Equal(e, result.ColumnResiduals.Length);
        double[] bd = b.Select(v => (double)v).ToArray();
        double[] sd = solution.Select(v => (double)v).ToArray();
        for (int c = 0; c < e; c++)
        {
            double[] column = DenseSystem.Column(sd, e, c);
            if (c == 1)
            {
                Assert.All(column, v => Assert.Equal(0, v));
                Assert.Equal(0, result.ColumnResiduals[c]);
                continue;
            }

            double[] expected = dense.Solve(DenseSystem.Column(bd, e, c));

            // float kernel values (~6e-8 relative) and a 1e-5 residual with cond(A) ≤ 2(1 + n): ~1e-3.
            double error = DenseSystem.RelativeError(column, expected);
            Assert.True(error <= 2e-3, $"{random}: column {c} error {error:e2}");
            Assert.True(result.ColumnResiduals[c] <= 1e-5, $"{random}: column {c}: {result.ColumnResiduals[c]:e2}");
        }

        // The overload without options is the declared form's sibling: defaults (plain CG, 1e-6).
        var again = new float[n * e];
        KernelSolveResult defaults = SolveKernels.GaussMulti(x, x, b, new[] { (float)g }, alpha, again);
        Assert.True(defaults.Status is KernelSolveStatus.Converged or KernelSolveStatus.Stagnated, $"{random}: {defaults}");
    }

    [Theory]
    [InlineData(KernelPreconditioner.None)]
    [InlineData(KernelPreconditioner.Jacobi)]
    [InlineData(KernelPreconditioner.LowRank)]
    public void CoupledColumnsFormOneSystem(KernelPreconditioner preconditioner)
    {
        // K·B = Σ_j exp(-|x_i-x_j|²) A B_j with A a symmetric positive definite 2×2: the dense
        // matrix is the Kronecker product, entry ((i,a),(j,c)) = k_ij A_ac.
        var random = new SeededRandom(nameof(CoupledColumnsFormOneSystem), preconditioner);
        const int n = 120, e = 2;
        double[] x = Points(random, n, 1, 4);
        double s = random.Double(0.2, 0.8);
        double[] a = { 2, s, s, 1 };
        double alpha = 0.1;
        double[] b = random.Doubles(n * e, -1, 1);
        var dense = new DenseSystem(n * e, (p, q) => DenseSystem.Gaussian(x, 1, p / e, q / e, 1) * a[((p % e) * e) + (q % e)], alpha);
        double[] expected = dense.Solve(b);
        var solution = new double[n * e];
        KernelSolveResult result = SolveKernels.Coupled(x, x, b, a, alpha, solution,
            new KernelSolveOptions { Tolerance = 1e-11, Preconditioner = preconditioner, Rank = 20 });
        Assert.True(result.Converged, $"{random}: {result}");
        Assert.Single(result.ColumnResiduals);
        Assert.True(DenseSystem.RelativeError(solution, expected) <= 1e-7, $"{random}: error {DenseSystem.RelativeError(solution, expected):e2}");
    }

    [Fact]
    public void AxisZeroWithAScalarParameter()
    {
        var random = new SeededRandom(nameof(AxisZeroWithAScalarParameter));
        const int n = 200;
        double[] x = Points(random, n, 2, 2);
        double[] u = random.Doubles(n, -1, 1);
        double sc = random.Double(1, 3), alpha = 0.01;

        // Axis 0: out_j = Σ_i k(x_i, y_j) u_i; with x = y the matrix is symmetric anyway.
        var dense = new DenseSystem(n, (i, j) =>
        {
            double d0 = x[2 * i] - x[2 * j], d1 = x[(2 * i) + 1] - x[(2 * j) + 1];
            return Math.Exp(-sc * Math.Sqrt((d0 * d0) + (d1 * d1)));
        }, alpha);
        var solution = new double[n];
        KernelSolveResult result = SolveKernels.LaplaceOverI(x, x, u, sc, alpha, solution, new KernelSolveOptions { Tolerance = 1e-12, Preconditioner = KernelPreconditioner.Jacobi });
        Assert.True(result.Converged, $"{random}: {result}");
        Assert.True(DenseSystem.RelativeError(solution, dense.Solve(u)) <= 1e-8, $"{random}: {DenseSystem.RelativeError(solution, dense.Solve(u)):e2}");
    }

    [Theory]
    [InlineData(KernelPreconditioner.None)]
    [InlineData(KernelPreconditioner.Jacobi)]
    [InlineData(KernelPreconditioner.LowRank)]
    public void IndefiniteOperatorIsReportedNotPositiveDefinite(KernelPreconditioner preconditioner)
    {
        var random = new SeededRandom(nameof(IndefiniteOperatorIsReportedNotPositiveDefinite), preconditioner);
        const int n = 50;
        double[] x = Points(random, n, 1, 5);
        double[] b = random.Doubles(n, -1, 1);
        var solution = new double[n];
        KernelSolveResult result = SolveKernels.NegativeGauss(x, x, b, 0.01, solution, new KernelSolveOptions { Preconditioner = preconditioner });
        Assert.Equal(KernelSolveStatus.NotPositiveDefinite, result.Status);
        Assert.False(result.Converged);
        Assert.True(result.Iterations <= 1, $"{random}: {result}");
    }

    [Fact]
    public void WarmStartFromTheSolutionNeedsNoIteration()
    {
        var random = new SeededRandom(nameof(WarmStartFromTheSolutionNeedsNoIteration));
        const int n = 150;
        double[] x = Points(random, n, 2, 2);
        double[] b = random.Doubles(n, -1, 1);
        var solution = new double[n];
        SolveKernels.Gauss(x, x, b, new[] { 1.0 }, 0.1, solution, new KernelSolveOptions { Tolerance = 1e-12 }).EnsureConverged();
        KernelSolveResult again = SolveKernels.Gauss(x, x, b, new[] { 1.0 }, 0.1, solution, new KernelSolveOptions { Tolerance = 1e-10, UseInitialGuess = true });
        Assert.True(again.Converged && again.Iterations == 0, $"{random}: {again}");
    }

    [Fact]
    public void CancellationThrows()
    {
        double[] x = new SeededRandom(nameof(CancellationThrows)).Doubles(100, 0, 1);
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            SolveKernels.Gauss(x, x, new double[50], new[] { 1.0 }, 0.1, new double[50], new KernelSolveOptions { CancellationToken = source.Token }));
    }

    [Fact]
    public void BadArgumentsAreRejectedByName()
    {
        double[] x = new double[20], b = new double[10], g = { 1 }, solution = new double[10];
        void Expect<TException>(string parameter, Action call)
            where TException : ArgumentException
        {
            TException error = Assert.ThrowsAny<TException>(call);
            Assert.Equal(parameter, error.ParamName);
            output.WriteLine(error.Message);
        }

        Expect<ArgumentOutOfRangeException>("alpha", () => SolveKernels.Gauss(x, x, b, g, -1, solution));
        Expect<ArgumentOutOfRangeException>("alpha", () => SolveKernels.Gauss(x, x, b, g, double.NaN, solution));
        Expect<ArgumentOutOfRangeException>("alpha", () => SolveKernels.Gauss(x, x, b, g, 0, solution, new KernelSolveOptions { Preconditioner = KernelPreconditioner.LowRank }));
        Expect<ArgumentException>("b", () => SolveKernels.Gauss(x, x, new double[9], g, 1, solution));
        Expect<ArgumentException>("result", () => SolveKernels.Gauss(x, x, b, g, 1, new double[11]));
        Expect<ArgumentException>("x", () => SolveKernels.Gauss(new double[22], x, b, g, 1, solution));
        Expect<ArgumentException>("x", () => SolveKernels.Gauss(new double[21], x, b, g, 1, solution));
        Expect<ArgumentException>("g", () => SolveKernels.Gauss(x, x, b, new double[2], 1, solution));
        Expect<ArgumentException>("options", () => SolveKernels.Gauss(x, x, b, g, 1, solution, new KernelSolveOptions { Tolerance = 0 }));
        Expect<ArgumentException>("options", () => SolveKernels.Gauss(x, x, b, g, 1, solution, new KernelSolveOptions { MaxIterations = -1 }));
        Expect<ArgumentException>("options", () => SolveKernels.Gauss(x, x, b, g, 1, solution, new KernelSolveOptions { Preconditioner = KernelPreconditioner.LowRank, Rank = 0 }));
        Expect<ArgumentException>("options", () => SolveKernels.Gauss(x, x, b, g, 1, solution, new KernelSolveOptions { Preconditioner = (KernelPreconditioner)7 }));
    }

    [Fact]
    public void ZeroRightHandSideGivesZeroWithoutIterating()
    {
        double[] x = new SeededRandom(nameof(ZeroRightHandSideGivesZeroWithoutIterating)).Doubles(40, 0, 1);
        double[] solution = Enumerable.Repeat(3.0, 20).ToArray();
        KernelSolveResult result = SolveKernels.Gauss(x, x, new double[20], new[] { 1.0 }, 0.1, solution, new KernelSolveOptions { UseInitialGuess = true });
        Assert.True(result.Converged && result.Iterations == 0, result.ToString());
        Assert.All(solution, v => Assert.Equal(0, v));
    }

    [Fact]
    public void OperatorPredictsAtNewPoints()
    {
        // The generated operator is the plain Sum reduction: at new points it is the regression's prediction.
        var random = new SeededRandom(nameof(OperatorPredictsAtNewPoints));
        double[] train = Points(random, 30, 2, 1), test = Points(random, 7, 2, 1), weights = random.Doubles(30, -1, 1);
        var predicted = new double[7];
        SolveKernels.GaussOperator(test, train, weights, new[] { 1.5 }, predicted);
        for (int i = 0; i < 7; i++)
        {
            double expected = 0;
            for (int j = 0; j < 30; j++)
            {
                double d0 = test[2 * i] - train[2 * j], d1 = test[(2 * i) + 1] - train[(2 * j) + 1];
                expected += Math.Exp(-1.5 * ((d0 * d0) + (d1 * d1))) * weights[j];
            }

            Assert.True(Math.Abs(predicted[i] - expected) <= 1e-12 * (1 + Math.Abs(expected)), $"{random}: row {i}");
        }
    }
}
