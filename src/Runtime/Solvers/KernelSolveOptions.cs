namespace KeOpsGen;

/// <summary>Which preconditioner the conjugate gradient of a <see cref="KernelSolveAttribute"/> method uses.</summary>
public enum KernelPreconditioner
{
    /// <summary>Plain conjugate gradient, as KeOps.</summary>
    None,

    /// <summary>Jacobi: divide by the diagonal alpha + K_ii. Cheap (N formula evaluations); helps when the diagonal varies.</summary>
    Jacobi,

    /// <summary>
    /// A rank-r pivoted partial Cholesky factor K ≈ L·Lᵀ (greedy on the largest remaining diagonal),
    /// applied as (alpha·I + L·Lᵀ)⁻¹ through the Woodbury identity. Costs r·N formula evaluations
    /// and O(N·r²) work to build, O(N·r) per iteration; removes the large eigenvalues that make
    /// smooth kernels with a small alpha badly conditioned.
    /// </summary>
    LowRank,
}

/// <summary>Options of one kernel solve. The defaults follow KeOps (plain CG, tolerance 1e-6).</summary>
public sealed record KernelSolveOptions
{
    /// <summary>Shared default options.</summary>
    public static KernelSolveOptions Default { get; } = new();

    /// <summary>
    /// Convergence when ‖b − (alpha·I + K)x‖ ≤ Tolerance·‖b‖ for every right-hand side column
    /// (relative residual, Euclidean norm). Default 1e-6.
    /// </summary>
    public double Tolerance { get; init; } = 1e-6;

    /// <summary>Iteration limit; 0 (default) means N·E, the exact-arithmetic bound of CG, capped at 100,000.</summary>
    public int MaxIterations { get; init; }

    /// <summary>The preconditioner. Default <see cref="KernelPreconditioner.None"/>.</summary>
    public KernelPreconditioner Preconditioner { get; init; } = KernelPreconditioner.None;

    /// <summary>Rank r of the <see cref="KernelPreconditioner.LowRank"/> factor (at most the system size). Default 100.</summary>
    public int Rank { get; init; } = 100;

    /// <summary>
    /// The low-rank factor stops early when the largest remaining diagonal of K − L·Lᵀ falls below
    /// this fraction of alpha (the rest would not change the preconditioned spectrum). Default 1e-2.
    /// </summary>
    public double RankTolerance { get; init; } = 1e-2;

    /// <summary>Start from the values already in the solution span instead of zero (warm start).</summary>
    public bool UseInitialGuess { get; init; }

    /// <summary>Checked before each operator application; cancellation throws <see cref="System.OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }
}
