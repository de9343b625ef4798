using System.Diagnostics;

namespace KeOpsGen.Gpu;

/// <summary>
/// Where a generated method runs: the CPU engine or an ILGPU accelerator. Generated code asks
/// <see cref="Choose"/> once per call; nothing here touches ILGPU unless the answer is a GPU.
/// </summary>
public static class GpuRuntime
{
    /// <summary>
    /// Below this many (output row, reduced index) pairs, <see cref="Backend.Auto"/> stays on the CPU:
    /// uploads, launch latency and downloads cost more than the CPU engine needs for the whole call
    /// (about half a millisecond on two cores).
    /// </summary>
    public const long AutoThreshold = 1L << 22;

    private static readonly Lazy<Backend?> s_environment = new(ReadEnvironment);

    /// <summary>
    /// Raised when a <see cref="Backend.Auto"/> call fell back to the CPU engine after a GPU error,
    /// with the reason (also written to <see cref="Trace"/>).
    /// </summary>
    public static event Action<string>? FellBack;

    /// <summary>The process-wide override from <c>KEOPSGEN_BACKEND</c>, or null when it is unset.</summary>
    /// <exception cref="InvalidOperationException">The variable holds something other than Auto, Cpu, Gpu or IlgpuCpu.</exception>
    public static Backend? EnvironmentBackend => s_environment.Value;

    /// <summary>
    /// The accelerator a call runs on, or null for the CPU engine: <c>KEOPSGEN_BACKEND</c>, else the
    /// call's <see cref="ReductionOptions.Backend"/>, else <see cref="ComputeBackend.Override"/>, else
    /// the attribute's backend.
    /// </summary>
    /// <param name="declared">The attribute's <see cref="ReductionAttribute.Backend"/>.</param>
    /// <param name="options">The call's options, or null.</param>
    /// <param name="outerCount">Output rows of the call.</param>
    /// <param name="innerCount">Rows of the reduced axis.</param>
    /// <exception cref="InvalidOperationException">Backend.Gpu where ILGPU finds no usable GPU (the message says why).</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static GpuTarget? Choose(Backend declared, ReductionOptions? options, long outerCount, long innerCount)
    {
        Backend backend = EnvironmentBackend ?? options?.Backend ?? ComputeBackend.Override ?? declared;
        if (backend != Backend.Cpu && CpuOnlyCall(options) is { } why)
        {
            // These calls need what only the CPU engine does so far; Auto and IlgpuCpu (the CI
            // override) quietly use it, an explicit Gpu request is refused rather than ignored.
            return backend == Backend.Gpu
                ? throw new NotSupportedException($"Backend.Gpu for {why}. Use Backend.Auto or Backend.Cpu.")
                : null;
        }

        switch (backend)
        {
            case Backend.Cpu:
                return null;
            case Backend.IlgpuCpu:
                return GpuDevices.Cpu;
            case Backend.Gpu:
                return GpuDevices.Gpu ?? throw new InvalidOperationException(
                    $"Backend.Gpu was requested, but {GpuDevices.UnavailableReason}. Use Backend.Auto to fall back to the CPU, or Backend.IlgpuCpu to run the GPU kernels on ILGPU's CPU accelerator.");
            case Backend.Auto:
                if (PairCount(options, outerCount, innerCount) < AutoThreshold)
                {
                    return null;
                }

                return GpuDevices.Gpu?.ForAuto;
            default:
                throw new ArgumentException($"Backend = {(int)backend} is not a defined Backend (Auto, Cpu, Gpu or IlgpuCpu).", nameof(options));
        }
    }

    /// <summary>
    /// The pairs a call reduces, for <see cref="Backend.Auto"/>'s threshold: the kept pairs of a
    /// block-sparse call (its first half; both halves describe the same pairs when built by
    /// <see cref="Ranges.FromMatrix"/>), one batch element's share times the batch, else all.
    /// </summary>
    internal static long PairCount(ReductionOptions? options, long outerCount, long innerCount)
        => options?.Ranges is { } ranges ? ranges.PairCountI()
            : options?.BatchCount is int batch && batch > 1 ? outerCount * innerCount / batch
            : outerCount * innerCount;

    /// <summary>
    /// Why a call runs on the CPU engine whatever the backend, or null. Block-sparse and batched
    /// calls are not among them: the GPU kernels walk their ranges (<see cref="GpuEngine"/>).
    /// </summary>
    internal static string? CpuOnlyCall(ReductionOptions? options)
    {
        if (global::KeOpsGen.Distributed.ReductionExchange.Current is not null)
        {
            return "a distributed call: only the CPU engine hands its partial states to the merge so far";
        }

        return null;
    }

    internal static void ReportFallback(string reason)
    {
        Trace.TraceWarning("KeOpsGen: " + reason);
        FellBack?.Invoke(reason);
    }

    private static Backend? ReadEnvironment() => ParseBackend(Environment.GetEnvironmentVariable("KEOPSGEN_BACKEND"));

    /// <summary>The value of <c>KEOPSGEN_BACKEND</c>: a Backend name (any case), or null when unset or blank.</summary>
    internal static Backend? ParseBackend(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Enum.TryParse(value.Trim(), ignoreCase: true, out Backend backend) && Enum.IsDefined(backend) && !int.TryParse(value, out _))
        {
            return backend;
        }

        throw new InvalidOperationException($"KEOPSGEN_BACKEND = '{value}' is not a backend: use Cpu, Gpu, IlgpuCpu or Auto (or unset it).");
    }
}
