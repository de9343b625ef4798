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

    /// <summary>How sums are accumulated.</summary>
    public SumScheme SumScheme { get; }

    /// <summary>Accumulator precision.</summary>
    public Accumulation Accumulation { get; }

    /// <summary>Checked between chunks of output rows.</summary>
    public CancellationToken CancellationToken { get; }
}
