using System;
using System.Threading;

namespace KeOpsGen;

/// <summary>
/// Overrides the <see cref="ReductionAttribute.Backend"/> of reductions called in a scope
/// (on this thread and the async flow it starts): <c>using (ComputeBackend.Use(Backend.Cpu)) { ... }</c>.
/// Kernels whose formula has no GPU lowering always run on the CPU.
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

    /// <summary>True when a CUDA driver and device are present (probed once, without exceptions).</summary>
    public static bool IsCudaAvailable => Cuda.CudaDriver.IsAvailable;

    /// <summary>Why CUDA is not usable here, or null when it is.</summary>
    public static string? CudaUnavailableReason => Cuda.CudaDriver.UnavailableReason;

    private sealed class Scope : IDisposable
    {
        private readonly Backend? _previous;

        public Scope(Backend? previous) => _previous = previous;

        public void Dispose() => s_override.Value = _previous;
    }
}
