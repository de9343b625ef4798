using System.Threading;

namespace KeOpsGen;

/// <summary>
/// Per-call choices for a generated reduction or gradient method (KeOps's call-time
/// <c>sum_scheme</c>, <c>dtype_acc</c>/<c>use_double_acc</c>). A member left null keeps the choice
/// written on the <see cref="ReductionAttribute"/>, so one kernel can be run several ways.
/// </summary>
/// <remarks>
/// Every generated method has an overload taking a trailing <see cref="ReductionOptions"/>
/// (null: the attribute's choices); the <see cref="System.Threading.CancellationToken"/> overload
/// is a shorthand for <c>new ReductionOptions { CancellationToken = token }</c>.
/// </remarks>
public sealed class ReductionOptions
{
    /// <summary>The attribute's choices, no cancellation.</summary>
    public static ReductionOptions Default { get; } = new();

    /// <summary>
    /// The options of a generated <see cref="System.Threading.CancellationToken"/> overload: null
    /// (the attribute's choices) when the token can never be cancelled.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static ReductionOptions? Of(CancellationToken cancellationToken)
        => cancellationToken.CanBeCanceled ? new ReductionOptions { CancellationToken = cancellationToken } : null;

    /// <summary>The options of a generated <see cref="KeOpsGen.Ranges"/> overload.</summary>
    /// <exception cref="System.ArgumentNullException"><paramref name="ranges"/> is null.</exception>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static ReductionOptions Of(Ranges ranges, CancellationToken cancellationToken)
        => new() { Ranges = ranges ?? throw new System.ArgumentNullException(nameof(ranges)), CancellationToken = cancellationToken };

    /// <summary>
    /// How sums are accumulated for this call; null keeps the attribute's <see cref="ReductionAttribute.SumScheme"/>.
    /// Only the Sum-type reductions (Sum, LogSumExp, MaxSumShiftExp, SumSoftMaxWeight and the
    /// gradients that are sums) accept a scheme other than <see cref="KeOpsGen.SumScheme.Auto"/>.
    /// </summary>
    public SumScheme? SumScheme { get; init; }

    /// <summary>
    /// Accumulator precision for this call; null keeps the attribute's <see cref="ReductionAttribute.Accumulation"/>.
    /// Only the Sum-type reductions accept a value other than <see cref="KeOpsGen.Accumulation.Auto"/>.
    /// </summary>
    public Accumulation? Accumulation { get; init; }

    /// <summary>
    /// Block-sparse pattern: only the (i, j) pairs these <see cref="KeOpsGen.Ranges"/> keep are
    /// reduced; null reduces every pair. A method reducing over j (axis 1, gradients with respect
    /// to Vi variables) reads the first half (<see cref="KeOpsGen.Ranges.RangesI"/>, ...), one
    /// reducing over i the transposed half; gradients with respect to Pm variables sum over the
    /// pairs of the forward reduction's half. Runs on the CPU engine and on the GPU kernels alike (see <see cref="Backend"/>).
    /// </summary>
    public Ranges? Ranges { get; init; }

    /// <summary>
    /// Batch mode (KeOps's leading batch dimensions, flattened): the call holds
    /// <c>BatchCount</c> independent problems stacked along both sides, every Vi/Vj span holding
    /// BatchCount × rows × dim values (batch-major), and each output row is reduced only over the
    /// rows of its own batch element. Parameters (Pm) are shared by the batch, so their gradients
    /// are summed over it. A variable with fewer batch elements (size-1 batch dimensions) is
    /// expanded with <see cref="Batch.Broadcast{T}"/>, its gradient summed back with
    /// <see cref="Batch.SumBack{T}"/>. Null or 1: no batch. Cannot be combined with <see cref="Ranges"/>.
    /// </summary>
    public int? BatchCount { get; init; }

    /// <summary>
    /// Where this call runs; null keeps <see cref="ReductionAttribute.Backend"/> (or the scope set by
    /// <see cref="ComputeBackend.Use"/>). The environment variable <c>KEOPSGEN_BACKEND</c> overrides both.
    /// </summary>
    public Backend? Backend { get; init; }

    /// <summary>Observed by the engine while the call runs; a cancelled call throws <see cref="System.OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }
}
