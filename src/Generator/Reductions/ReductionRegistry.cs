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
/// entry points the emitters call, each stated by name (the <c>required</c> members are what every
/// entry must state). Analysis and every emitter read these members instead of switching over the
/// reduction kind.
/// </summary>
internal sealed class ReductionInfo
{
    public required ReductionOp Op { get; init; }

    /// <summary>The KeOps-style name, as the attribute's enum spells it.</summary>
    public string Name => Op.ToString();

    public required ReductionMerge Merge { get; init; }

    /// <summary>Values and indices written per output row.</summary>
    public required OutputRule Outputs { get; init; }

    /// <summary>What is written from the merged state, in words (docs/operations.md).</summary>
    public required string Finalization { get; init; }

    public required GradientRule Gradient { get; init; }

    /// <summary>The KeOpsGen.Cpu.CpuReduction member that CpuEngine.Reduce runs for the forward reduction.</summary>
    public required string CpuEntry { get; init; }

    /// <summary>Takes K (the KMin family).</summary>
    public bool UsesK => Merge == ReductionMerge.KMin;

    /// <summary>Needs a scalar formula F (the shift-exp family).</summary>
    public bool ScalarFormula => Merge == ReductionMerge.ShiftExp;

    /// <summary>SumScheme and Accumulation apply (an additive accumulator).</summary>
    public bool SumType => Merge is ReductionMerge.Add or ReductionMerge.ShiftExp;

    public WeightUse Weight { get; init; }

    /// <summary>The attribute's error when a required Weight is missing.</summary>
    public string? WeightRequiredMessage { get; init; }

    /// <summary>SavedForward gradients: the CpuReduction member whose output row the gradient kernel reads.</summary>
    public string? SavedCpuEntry { get; init; }

    /// <summary>SavedForward gradients: the KeOpsGen.Gpu ShiftExpMode of that forward pass on ILGPU.</summary>
    public string? SavedGpuMode { get; init; }
}

/// <summary>The reductions, one entry each, indexed by the shared numbering.</summary>
internal static class ReductionRegistry
{
    private static readonly ReductionInfo[] s_entries =
    {
        new()
        {
            Op = ReductionOp.Sum, Merge = ReductionMerge.Add, Outputs = static (f, _, _) => new(f, 0),
            Finalization = "the sum",
            Gradient = GradientRule.Sum, CpuEntry = "Sum",
        },
        Selection(ReductionOp.Min, merge: ReductionMerge.Min, writes: Selected.Values, finalization: "the minimum"),
        Selection(ReductionOp.Max, merge: ReductionMerge.Max, writes: Selected.Values, finalization: "the maximum"),
        Selection(ReductionOp.ArgMin, merge: ReductionMerge.Min, writes: Selected.Indices, finalization: "the index of the minimum"),
        Selection(ReductionOp.ArgMax, merge: ReductionMerge.Max, writes: Selected.Indices, finalization: "the index of the maximum"),
        Selection(ReductionOp.MinArgMin, merge: ReductionMerge.Min, writes: Selected.Both, finalization: "the minimum and its index"),
        Selection(ReductionOp.MaxArgMax, merge: ReductionMerge.Max, writes: Selected.Both, finalization: "the maximum and its index"),
        Selection(ReductionOp.KMin, merge: ReductionMerge.KMin, writes: Selected.Values, finalization: "the K smallest values, ascending"),
        Selection(ReductionOp.ArgKMin, merge: ReductionMerge.KMin, writes: Selected.Indices, finalization: "the indices of the K smallest values"),
        Selection(ReductionOp.KMinArgKMin, merge: ReductionMerge.KMin, writes: Selected.Both, finalization: "the K smallest values and their indices"),
        ShiftExp(ReductionOp.LogSumExp, outputs: static (_, g, _) => new(g > 0 ? g : 1, 0),
            finalization: "m + log s (with a weight, per component of G)", cpuEntry: "LogSumExp",
            weight: WeightUse.Optional, savedBy: ("LogSumExp", "LogSumExp")),
        ShiftExp(ReductionOp.MaxSumShiftExp, outputs: static (_, _, _) => new(2, 0),
            finalization: "the raw pair (m, s)", cpuEntry: "MaxSumShiftExp"),
        ShiftExp(ReductionOp.SumSoftMaxWeight, outputs: static (_, g, _) => new(g, 0),
            finalization: "s / Σ exp(F − m): the softmax-weighted G", cpuEntry: "SumSoftMaxWeight",
            weight: WeightUse.Required, weightComputes: "Σ exp(F) G / Σ exp(F)",
            savedBy: ("SumSoftMaxWeightWithLogSumExp", "SoftMaxWithLogSumExp")),
        ShiftExp(ReductionOp.MaxSumShiftExpWeight, outputs: static (_, g, _) => new(1 + g, 0),
            finalization: "the raw pair (m, s) with the vector s = Σ exp(F − m) G", cpuEntry: "MaxSumShiftExp",
            weight: WeightUse.Required, weightComputes: "(m, Σ exp(F − m) G) with m = max F",
            savedBy: ("MaxSumShiftExp", "MaxSumShiftExpWeight")),
    };

    /// <summary>What a selection reduction writes per row.</summary>
    private enum Selected
    {
        Values,
        Indices,
        Both,
    }

    /// <summary>
    /// The Min, Max and KMin families, which differ only in what they write: dim F selected values
    /// and/or indices per row (K times that for KMin), a gradient through the selected pairs
    /// whenever values are written (indices alone are piecewise constant), and the engine's loop
    /// for their merge as forward pass.
    /// </summary>
    private static ReductionInfo Selection(ReductionOp op, ReductionMerge merge, Selected writes, string finalization)
    {
        bool values = writes != Selected.Indices;
        bool indices = writes != Selected.Values;
        bool perK = merge == ReductionMerge.KMin;
        return new()
        {
            Op = op, Merge = merge,
            Outputs = (f, _, k) => new(values ? (perK ? k * f : f) : 0, indices ? (perK ? k * f : f) : 0),
            Finalization = finalization,
            Gradient = values ? GradientRule.SelectedPairs : GradientRule.None,
            CpuEntry = merge.ToString(),
        };
    }

    /// <summary>
    /// The shift-exp family (LogSumExp, MaxSumShiftExp, SumSoftMaxWeight, MaxSumShiftExpWeight),
    /// which shares the running (m, s) merge and differs in what it writes and in its weight. A
    /// <paramref name="weight"/> that is required is refused when missing with a message saying what
    /// the reduction <paramref name="weightComputes"/>. Its gradient is a Sum kernel reading the
    /// saved forward row, when there is one: <paramref name="savedBy"/> names the CpuReduction
    /// member and the GPU ShiftExpMode that save it (MaxSumShiftExp has no KeOps gradient).
    /// </summary>
    private static ReductionInfo ShiftExp(
        ReductionOp op, OutputRule outputs, string finalization, string cpuEntry,
        WeightUse weight = WeightUse.None, string? weightComputes = null, (string Cpu, string Gpu)? savedBy = null) => new()
    {
        Op = op, Merge = ReductionMerge.ShiftExp, Outputs = outputs,
        Finalization = finalization,
        Gradient = savedBy is null ? GradientRule.None : GradientRule.SavedForward, CpuEntry = cpuEntry,
        Weight = weight,
        WeightRequiredMessage = weight == WeightUse.Required ? $"{op} needs a Weight formula G: it computes {weightComputes}" : null,
        SavedCpuEntry = savedBy?.Cpu,
        SavedGpuMode = savedBy?.Gpu,
    };

    /// <summary>Every reduction, in numbering order.</summary>
    public static IReadOnlyList<ReductionInfo> All => s_entries;

    /// <summary>The entry of the attribute's Op value, or null when the value is not a reduction.</summary>
    public static ReductionInfo? Find(int op) => op >= 0 && op < s_entries.Length ? s_entries[op] : null;

    /// <summary>The entry of a valid Op value (analysis has rejected any other).</summary>
    public static ReductionInfo Get(int op) => s_entries[op];
}
