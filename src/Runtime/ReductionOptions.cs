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
    /// Where this call runs; null keeps <see cref="ReductionAttribute.Backend"/> (or the scope set by
    /// <see cref="ComputeBackend.Use"/>). The environment variable <c>KEOPSGEN_BACKEND</c> overrides both.
    /// </summary>
    public Backend? Backend { get; init; }

    /// <summary>Observed by the engine while the call runs; a cancelled call throws <see cref="System.OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }
}
