using System.Collections.Generic;

namespace KeOpsGen.Generator.Reductions;

/// <summary>How a reduction merges one term into its running state (and which engine loop runs it).</summary>
internal enum ReductionMerge
{
    /// <summary>Add (the Sum loop, with the sum schemes).</summary>
    Add,

    /// <summary>Keep the smallest, with its index.</summary>
    Min,

    /// <summary>Keep the largest, with its index.</summary>
    Max,

    /// <summary>Keep the K smallest, sorted, with their indices.</summary>
    KMin,

    /// <summary>The running (max m, Σ exp(F − m)·G) pair, rescaled when m grows.</summary>
    ShiftExp,
}

/// <summary>Whether a reduction takes a Weight formula G.</summary>
internal enum WeightUse
{
    None,
    Optional,
    Required,
}

/// <summary>Which gradient methods a reduction gets (Planning/ReductionAnalyzer*.cs builds them).</summary>
internal enum GradientRule
{
    /// <summary>None: piecewise constant (Arg*), or an intermediate with no KeOps gradient (MaxSumShiftExp).</summary>
    None,

    /// <summary>The vector-Jacobian product is itself a Sum reduction (orders 1 and 2).</summary>
    Sum,

    /// <summary>Grad(F, v, E) evaluated only at the pairs the forward pass selected (indices saved).</summary>
    SelectedPairs,

    /// <summary>A Sum kernel that reads the saved forward values (the LogSumExp family).</summary>
    SavedForward,
}

/// <summary>What a reduction writes per output row: values (T) and/or indices (int).</summary>
internal readonly record struct ReductionOutputs(int ValueWidth, int IndexWidth);

/// <summary>Computes a reduction's outputs per row from dim F, dim G (0 without weight) and K.</summary>
internal delegate ReductionOutputs OutputRule(int formulaDim, int weightDim, int k);

/// <summary>
/// One reduction's whole story in one place: numbering (the shared <see cref="ReductionOp"/>),
/// output width, merge, finalization, the options it accepts, its gradient rule and the runtime
/// entry points the emitters call. Analysis and every emitter read these members instead of
/// switching over the reduction kind.
/// </summary>
internal sealed class ReductionInfo
{
    public ReductionInfo(ReductionOp op, ReductionMerge merge, OutputRule outputs, string finalization, GradientRule gradient, string cpuEntry)
    {
        Op = op;
        Merge = merge;
        Outputs = outputs;
        Finalization = finalization;
        Gradient = gradient;
        CpuEntry = cpuEntry;
    }

    public ReductionOp Op { get; }

    /// <summary>The KeOps-style name, as the attribute's enum spells it.</summary>
    public string Name => Op.ToString();

    public ReductionMerge Merge { get; }

    /// <summary>Values and indices written per output row.</summary>
    public OutputRule Outputs { get; }

    /// <summary>What is written from the merged state, in words (docs/operations.md).</summary>
    public string Finalization { get; }

    public GradientRule Gradient { get; }

    /// <summary>The KeOpsGen.Cpu.CpuEngine method that runs the forward reduction.</summary>
    public string CpuEntry { get; }

    /// <summary>Takes K (the KMin family).</summary>
    public bool UsesK => Merge == ReductionMerge.KMin;

    /// <summary>Needs a scalar formula F (the shift-exp family).</summary>
    public bool ScalarFormula => Merge == ReductionMerge.ShiftExp;

    /// <summary>SumScheme and Accumulation apply (an additive accumulator).</summary>
    public bool SumType => Merge is ReductionMerge.Add or ReductionMerge.ShiftExp;

    public WeightUse Weight { get; init; }

    /// <summary>The attribute's error when a required Weight is missing.</summary>
    public string? WeightRequiredMessage { get; init; }

    /// <summary>SavedForward gradients: the CpuEngine method whose output row the gradient kernel reads.</summary>
    public string? SavedCpuEntry { get; init; }

    /// <summary>SavedForward gradients: the KeOpsGen.Gpu ShiftExpMode of that forward pass on ILGPU.</summary>
    public string? SavedGpuMode { get; init; }
}

/// <summary>The reductions, one entry each, indexed by the shared numbering.</summary>
internal static class ReductionRegistry
{
    private static readonly ReductionInfo[] s_entries =
    {
        new(ReductionOp.Sum, ReductionMerge.Add, static (f, _, _) => new(f, 0), "the sum", GradientRule.Sum, "Sum"),
        new(ReductionOp.Min, ReductionMerge.Min, static (f, _, _) => new(f, 0), "the minimum", GradientRule.SelectedPairs, "Min"),
        new(ReductionOp.Max, ReductionMerge.Max, static (f, _, _) => new(f, 0), "the maximum", GradientRule.SelectedPairs, "Max"),
        new(ReductionOp.ArgMin, ReductionMerge.Min, static (f, _, _) => new(0, f), "the index of the minimum", GradientRule.None, "Min"),
        new(ReductionOp.ArgMax, ReductionMerge.Max, static (f, _, _) => new(0, f), "the index of the maximum", GradientRule.None, "Max"),
        new(ReductionOp.MinArgMin, ReductionMerge.Min, static (f, _, _) => new(f, f), "the minimum and its index", GradientRule.SelectedPairs, "Min"),
        new(ReductionOp.MaxArgMax, ReductionMerge.Max, static (f, _, _) => new(f, f), "the maximum and its index", GradientRule.SelectedPairs, "Max"),
        new(ReductionOp.KMin, ReductionMerge.KMin, static (f, _, k) => new(k * f, 0), "the K smallest values, ascending", GradientRule.SelectedPairs, "KMin"),
        new(ReductionOp.ArgKMin, ReductionMerge.KMin, static (f, _, k) => new(0, k * f), "the indices of the K smallest values", GradientRule.None, "KMin"),
        new(ReductionOp.KMinArgKMin, ReductionMerge.KMin, static (f, _, k) => new(k * f, k * f), "the K smallest values and their indices", GradientRule.SelectedPairs, "KMin"),
        new(ReductionOp.LogSumExp, ReductionMerge.ShiftExp, static (_, g, _) => new(g > 0 ? g : 1, 0), "m + log s (with a weight, per component of G)", GradientRule.SavedForward, "LogSumExp")
        {
            Weight = WeightUse.Optional,
            SavedCpuEntry = "LogSumExp",
            SavedGpuMode = "LogSumExp",
        },
        new(ReductionOp.MaxSumShiftExp, ReductionMerge.ShiftExp, static (_, _, _) => new(2, 0), "the raw pair (m, s)", GradientRule.None, "MaxSumShiftExp"),
        new(ReductionOp.SumSoftMaxWeight, ReductionMerge.ShiftExp, static (_, g, _) => new(g, 0), "s / Σ exp(F − m): the softmax-weighted G", GradientRule.SavedForward, "SumSoftMaxWeight")
        {
            Weight = WeightUse.Required,
            WeightRequiredMessage = "SumSoftMaxWeight needs a Weight formula G: it computes Σ exp(F) G / Σ exp(F)",
            SavedCpuEntry = "SumSoftMaxWeightWithLogSumExp",
            SavedGpuMode = "SoftMaxWithLogSumExp",
        },
        new(ReductionOp.MaxSumShiftExpWeight, ReductionMerge.ShiftExp, static (_, g, _) => new(1 + g, 0), "the raw pair (m, s) with the vector s = Σ exp(F − m) G", GradientRule.SavedForward, "MaxSumShiftExp")
        {
            Weight = WeightUse.Required,
            WeightRequiredMessage = "MaxSumShiftExpWeight needs a Weight formula G: it computes (m, Σ exp(F − m) G) with m = max F",
            SavedCpuEntry = "MaxSumShiftExp",
            SavedGpuMode = "MaxSumShiftExpWeight",
        },
    };

    /// <summary>Every reduction, in numbering order.</summary>
    public static IReadOnlyList<ReductionInfo> All => s_entries;

    /// <summary>The entry of the attribute's Op value, or null when the value is not a reduction.</summary>
    public static ReductionInfo? Find(int op) => op >= 0 && op < s_entries.Length ? s_entries[op] : null;

    /// <summary>The entry of a valid Op value (analysis has rejected any other).</summary>
    public static ReductionInfo Get(int op) => s_entries[op];
}
