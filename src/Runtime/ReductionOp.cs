// This file is compiled into the runtime (KeOpsGen.ReductionOp, the attribute's enum) and linked
// into the generator (KeOpsGen.Generator.Reductions.ReductionOp, internal), so the numbering the
// attribute stores and the one the generator reads are one source and cannot drift.
#if KEOPSGEN_GENERATOR
namespace KeOpsGen.Generator.Reductions;
#else
namespace KeOpsGen;
#endif

/// <summary>The reductions KeOps offers.</summary>
#if KEOPSGEN_GENERATOR
internal
#else
public
#endif
enum ReductionOp
{
    /// <summary>Σ F, component-wise.</summary>
    Sum,
    /// <summary>Minimum of F, component-wise (+∞ for an empty reduction; NaN terms are skipped).</summary>
    Min,
    /// <summary>Maximum of F, component-wise.</summary>
    Max,
    /// <summary>Index of the minimum (first index on ties; −1 for an empty reduction), as int.</summary>
    ArgMin,
    /// <summary>Index of the maximum (first index on ties).</summary>
    ArgMax,
    /// <summary>Minimum and its index.</summary>
    MinArgMin,
    /// <summary>Maximum and its index.</summary>
    MaxArgMax,
    /// <summary>The K smallest values, ascending.</summary>
    KMin,
    /// <summary>Indices of the K smallest values.</summary>
    ArgKMin,
    /// <summary>The K smallest values and their indices.</summary>
    KMinArgKMin,
    /// <summary>log Σ exp F (scalar F; −∞ for an empty reduction), optionally weighted: m + log Σ exp(F − m) G.</summary>
    LogSumExp,
    /// <summary>The raw (m, s) pair: m = max F, s = Σ exp(F − m).</summary>
    MaxSumShiftExp,
    /// <summary>Σ exp(F) G / Σ exp(F) (softmax-weighted sum of the weight formula G; NaN for an empty reduction).</summary>
    SumSoftMaxWeight,
    /// <summary>
    /// KeOps's Max_SumShiftExpWeight: the raw weighted pair per row, m = max F and the vector
    /// s = Σ exp(F − m) G (1 + dim(G) values: m, then s); (−∞, 0...) for an empty reduction. Needs
    /// <see cref="ReductionAttribute.Weight"/>. Appended last: the enum's numbering is part of the contract.
    /// </summary>
    MaxSumShiftExpWeight,
}
