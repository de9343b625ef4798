using System;
using System.Threading;

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

    /// <summary>
    /// The settings of one call of a generated method: the per-call <paramref name="options"/> where
    /// they say something, else what the <see cref="ReductionAttribute"/> declared.
    /// </summary>
    /// <param name="options">The caller's options, or null.</param>
    /// <param name="declaredScheme">The attribute's <see cref="ReductionAttribute.SumScheme"/>.</param>
    /// <param name="declaredAccumulation">The attribute's <see cref="ReductionAttribute.Accumulation"/>.</param>
    /// <param name="sumType">Whether the method runs a Sum-type reduction (the only ones a scheme or precision applies to).</param>
    /// <exception cref="ArgumentException">An option that does not apply to this reduction, or an undefined enum value.</exception>
    public static ReductionSettings Resolve(ReductionOptions? options, SumScheme declaredScheme, Accumulation declaredAccumulation, bool sumType)
    {
        if (options is null)
        {
            return new ReductionSettings(declaredScheme, declaredAccumulation);
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

        return new ReductionSettings(scheme, accumulation, options.CancellationToken);
    }

    /// <summary>How sums are accumulated.</summary>
    public SumScheme SumScheme { get; }

    /// <summary>Accumulator precision.</summary>
    public Accumulation Accumulation { get; }

    /// <summary>Checked between chunks of output rows.</summary>
    public CancellationToken CancellationToken { get; }
}
