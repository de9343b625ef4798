namespace KeOpsGen.Cpu;

/// <summary>Per-call choices the engine needs beyond the kernel itself.</summary>
public readonly struct ReductionSettings
{
    /// <summary>Creates settings.</summary>
    public ReductionSettings(SumScheme sumScheme, Accumulation accumulation, CancellationToken cancellationToken = default)
    {
        SumScheme = sumScheme;
        Accumulation = accumulation;
        CancellationToken = cancellationToken;
    }

    private ReductionSettings(SumScheme sumScheme, Accumulation accumulation, CancellationToken cancellationToken, Ranges? ranges, bool outerIsI, int batchCount)
        : this(sumScheme, accumulation, cancellationToken)
    {
        Ranges = ranges;
        OuterIsI = outerIsI;
        BatchCount = batchCount;
    }

    /// <summary>
    /// The settings of one call of a generated method: the per-call <paramref name="options"/> where
    /// they say something, else what the <see cref="ReductionAttribute"/> declared.
    /// </summary>
    /// <param name="options">The caller's options, or null.</param>
    /// <param name="declaredScheme">The attribute's <see cref="ReductionAttribute.SumScheme"/>.</param>
    /// <param name="declaredAccumulation">The attribute's <see cref="ReductionAttribute.Accumulation"/>.</param>
    /// <param name="sumType">Whether the method runs a Sum-type reduction (the only ones a scheme or precision applies to).</param>
    /// <param name="axis">
    /// The axis the method's kernel reduces over: 1 (output rows are i) reads the first half of
    /// <see cref="ReductionOptions.Ranges"/>, 0 the transposed half.
    /// </param>
    /// <exception cref="ArgumentException">An option that does not apply to this reduction, or an undefined enum value.</exception>
    public static ReductionSettings Resolve(ReductionOptions? options, SumScheme declaredScheme, Accumulation declaredAccumulation, bool sumType, int axis = 1)
    {
        if (options is null)
        {
            return new ReductionSettings(declaredScheme, declaredAccumulation, default, null, axis == 1, 1);
        }

        SumScheme scheme = options.SumScheme ?? declaredScheme;
        Accumulation accumulation = options.Accumulation ?? declaredAccumulation;
        if (!Enum.IsDefined(scheme))
        {
            throw new ArgumentException($"options.SumScheme = {(int)scheme} is not a defined SumScheme (Auto, Direct, Block or Kahan).", nameof(options));
        }

        if (!Enum.IsDefined(accumulation))
        {
            throw new ArgumentException($"options.Accumulation = {(int)accumulation} is not a defined Accumulation (Auto, Data or Double).", nameof(options));
        }

        if (!sumType && options.SumScheme is { } s && s != SumScheme.Auto)
        {
            throw new ArgumentException($"options.SumScheme = {s} only applies to the Sum-type reductions (Sum, LogSumExp, MaxSumShiftExp, SumSoftMaxWeight), not to this one.", nameof(options));
        }

        if (!sumType && options.Accumulation is { } a && a != Accumulation.Auto)
        {
            throw new ArgumentException($"options.Accumulation = {a} only applies to the Sum-type reductions (Sum, LogSumExp, MaxSumShiftExp, SumSoftMaxWeight), not to this one.", nameof(options));
        }

        if (options.BatchCount is { } batch && batch < 1)
        {
            throw new ArgumentException($"options.BatchCount = {batch}: a batch holds at least 1 element.", nameof(options));
        }

        if (options.BatchCount > 1 && options.Ranges is not null)
        {
            throw new ArgumentException("options.BatchCount and options.Ranges cannot be combined: give the batch as block-diagonal ranges (Ranges.BlockDiagonal) and mask those instead.", nameof(options));
        }

        return new ReductionSettings(scheme, accumulation, options.CancellationToken, options.Ranges, axis == 1, options.BatchCount ?? 1);
    }

    /// <summary>
    /// The same settings for a kernel reducing over <paramref name="axis"/> (a gradient's forward
    /// pass on the other axis): only which half of the ranges applies changes.
    /// </summary>
    public ReductionSettings ForAxis(int axis) => new(SumScheme, Accumulation, CancellationToken, Ranges, axis == 1, BatchCount);

    /// <summary>How sums are accumulated.</summary>
    public SumScheme SumScheme { get; }

    /// <summary>Accumulator precision.</summary>
    public Accumulation Accumulation { get; }

    /// <summary>Checked between chunks of output rows.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The block-sparse pattern of the call, or null for every pair.</summary>
    public Ranges? Ranges { get; }

    /// <summary>Whether the call reduces every (i, j) pair: no ranges and no batch.</summary>
    public bool AllPairs => Ranges is null && BatchCount <= 1;

    /// <summary>Independent problems stacked along both sides (1: no batch); 0 in default settings means 1.</summary>
    public int BatchCount { get; }

    /// <summary>Whether the kernel's output rows are the i side (axis 1), which selects the half of <see cref="Ranges"/> used.</summary>
    public bool OuterIsI { get; }
}
