namespace KeOpsGen;

/// <summary>How a kernel solve ended.</summary>
public enum KernelSolveStatus
{
    /// <summary>Every column reached the tolerance (checked on the true residual b − Ax).</summary>
    Converged,

    /// <summary>The iteration limit was reached first; the solution holds the last iterate.</summary>
    IterationLimit,

    /// <summary>
    /// A search direction p with pᵀ(alpha·I + K)p ≤ 0 appeared (or a diagonal entry alpha + K_ii ≤ 0):
    /// the operator is not positive definite (an indefinite kernel, or X and Y that are not the same
    /// points), so CG does not apply. The solution holds the last iterate.
    /// </summary>
    NotPositiveDefinite,

    /// <summary>
    /// The recursive residual reached the tolerance but the true residual did not, even after
    /// restarting from it: the tolerance is below what the data type can resolve for this system
    /// (typical for float with a small alpha). Use double or a larger tolerance.
    /// </summary>
    Stagnated,

    /// <summary>A NaN or infinity appeared (NaN inputs, or an overflowing formula).</summary>
    NotFinite,
}

/// <summary>What a kernel solve did.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Iterations">CG iterations (operator applications, not counting the final residual check); the maximum over columns.</param>
/// <param name="RelativeResidual">max over columns of ‖b − (alpha·I + K)x‖ / ‖b‖, from a final true-residual evaluation.</param>
/// <param name="ColumnResiduals">The same per right-hand side column (E values; 1 when the columns form one coupled system).</param>
/// <param name="PreconditionerRank">Rank of the low-rank preconditioner actually built (0 for the others).</param>
public sealed record KernelSolveResult(
    KernelSolveStatus Status,
    int Iterations,
    double RelativeResidual,
    double[] ColumnResiduals,
    int PreconditionerRank)
{
    /// <summary>True when <see cref="Status"/> is <see cref="KernelSolveStatus.Converged"/>.</summary>
    public bool Converged => Status == KernelSolveStatus.Converged;

    /// <summary>Throws <see cref="InvalidOperationException"/> with the status when the solve did not converge; returns this otherwise.</summary>
    public KernelSolveResult EnsureConverged()
        => Converged ? this : throw new InvalidOperationException(
            $"Kernel solve did not converge: {Status} after {Iterations} iterations, relative residual {RelativeResidual:g3}.");

    /// <inheritdoc/>
    public override string ToString() => $"{Status}: {Iterations} iterations, relative residual {RelativeResidual:e2}{(PreconditionerRank > 0 ? $", rank {PreconditionerRank}" : string.Empty)}";
}
