namespace KeOpsGen;

/// <summary>
/// Overrides the <see cref="ReductionAttribute.Backend"/> of reductions called in a scope
/// (on this thread and the async flow it starts): <c>using (ComputeBackend.Use(Backend.Cpu)) { ... }</c>.
/// A call's <see cref="ReductionOptions.Backend"/> wins over the scope, and the environment
/// variable <c>KEOPSGEN_BACKEND</c> (<c>Cpu</c>, <c>Gpu</c>, <c>IlgpuCpu</c>) over both.
/// </summary>
public static class ComputeBackend
{
    private static readonly AsyncLocal<Backend?> s_override = new();

    /// <summary>The backend in force in this scope, or null when each reduction's own setting applies.</summary>
    public static Backend? Override => s_override.Value;

    /// <summary>Forces <paramref name="backend"/> until the returned scope is disposed.</summary>
    public static IDisposable Use(Backend backend)
    {
        var scope = new Scope(s_override.Value);
        s_override.Value = backend;
        return scope;
    }

    /// <summary>True when ILGPU finds a CUDA or OpenCL GPU it can use (probed once; loads ILGPU).</summary>
    public static bool IsGpuAvailable => Gpu.GpuDevices.Gpu is not null;

    /// <summary>Why no GPU is usable here, or null when one is.</summary>
    public static string? GpuUnavailableReason => Gpu.GpuDevices.Gpu is null ? Gpu.GpuDevices.UnavailableReason : null;

    private sealed class Scope : IDisposable
    {
        private readonly Backend? _previous;

        public Scope(Backend? previous) => _previous = previous;

        public void Dispose() => s_override.Value = _previous;
    }
}
