namespace KeOpsGen;

/// <summary>
/// Per-call choices for a generated reduction or gradient method (KeOps's call-time
/// <c>sum_scheme</c>, <c>dtype_acc</c>/<c>use_double_acc</c>). A member left null keeps the choice
/// written on the <see cref="ReductionAttribute"/>, so one kernel can be run several ways.
/// </summary>
/// <remarks>
/// Every generated method takes a trailing <see cref="ReductionOptions"/> (null: the attribute's
/// choices). A <see cref="System.Threading.CancellationToken"/> or a <see cref="KeOpsGen.Ranges"/>
/// converts to options implicitly, so <c>M(x, y, result, token)</c> and <c>M(x, y, result, ranges)</c>
/// call the same method; both at once are <c>new ReductionOptions { Ranges = ranges, CancellationToken = token }</c>.
/// </remarks>
public sealed class ReductionOptions
{
    /// <summary>The attribute's choices, no cancellation.</summary>
    public static ReductionOptions Default { get; } = new();

    /// <summary>
    /// Options that only observe <paramref name="cancellationToken"/>: <c>new ReductionOptions { CancellationToken = token }</c>,
    /// or the shared <see cref="Default"/> (no allocation) when the token can never be cancelled.
    /// </summary>
    public static implicit operator ReductionOptions(CancellationToken cancellationToken)
        => cancellationToken.CanBeCanceled ? new ReductionOptions { CancellationToken = cancellationToken } : Default;

    /// <summary>
    /// Options that only restrict the call to <paramref name="ranges"/>' block-sparse pattern:
    /// <c>new ReductionOptions { Ranges = ranges }</c>.
    /// </summary>
    /// <exception cref="System.ArgumentNullException"><paramref name="ranges"/> is null. A call that
    /// passes ranges means a block-sparse reduction, so a null one is a bug to report rather than
    /// silently reducing every pair (the null <see cref="Ranges"/> member, or null options, does that).</exception>
    public static implicit operator ReductionOptions(Ranges ranges)
        => new() { Ranges = ranges ?? throw new System.ArgumentNullException(nameof(ranges), "Ranges converted to ReductionOptions must not be null; pass null options to reduce every pair.") };

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
