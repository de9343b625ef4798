using Xunit;

namespace KeOpsGen.Tests.Support;

/// <summary>Shared by <see cref="GpuFactAttribute"/> and <see cref="GpuTheoryAttribute"/>.</summary>
internal static class GpuSkip
{
    /// <summary>Null when ILGPU finds a CUDA or OpenCL GPU, else the skip reason (which says why there is none).</summary>
    public static string? IfNoGpu()
        => ComputeBackend.IsGpuAvailable ? null : $"needs a real GPU, and {ComputeBackend.GpuUnavailableReason} (CI never has one; the same kernels run through Backend.IlgpuCpu there)";
}

/// <summary>A test that needs a CUDA or OpenCL GPU: skipped, saying so, on machines without one.</summary>
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

/// <summary>A theory that needs a CUDA or OpenCL GPU: skipped, saying so, on machines without one.</summary>
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
