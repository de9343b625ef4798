using Xunit;

namespace KeOpsGen.Tests.Support;

/// <summary>Shared by <see cref="GpuFactAttribute"/> and <see cref="GpuTheoryAttribute"/>.</summary>
internal static class GpuSkip
{
    public const string Reason = "No CUDA GPU/driver on this machine (CI never has one): GPU tests skipped";

    /// <summary>Null when a CUDA driver loads and cuInit finds a device, else the skip reason.</summary>
    public static string? IfNoGpu() => ComputeBackend.IsCudaAvailable ? null : Reason;
}

/// <summary>A test that needs a CUDA GPU: skipped, saying so, on machines without one.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        string? skip = GpuSkip.IfNoGpu();
        if (skip is not null)
        {
            Skip = skip;
        }
    }
}

/// <summary>A theory that needs a CUDA GPU: skipped, saying so, on machines without one.</summary>
public sealed class GpuTheoryAttribute : TheoryAttribute
{
    public GpuTheoryAttribute()
    {
        string? skip = GpuSkip.IfNoGpu();
        if (skip is not null)
        {
            Skip = skip;
        }
    }
}
