using System.Collections.Generic;
using System.Globalization;
using KeOpsGen.Generator.Diagnostics;
using KeOpsGen.Generator.Models;

namespace KeOpsGen.Generator.Planning;

/// <summary>
/// Backend capability, decided in the plan: which kernels cannot run on a GPU (the emitters skip
/// their ILGPU class), reported only when the user asked for Backend = Gpu.
/// </summary>
internal static class GpuSupport
{
    private const int GpuBackend = 2;

    /// <summary>Bytes of shared memory one GPU tile may use.</summary>
    private const int SharedMemoryBytes = 48 * 1024;

    public static void Check(int backend, EquatableArray<MethodPlan> methods, string elementType, List<PendingDiagnostic> pending)
    {
        if (backend != GpuBackend)
        {
            return;
        }

        foreach (MethodPlan method in methods)
        {
            string? reason = CpuOnlyReason(method, elementType);
            if (reason is not null)
            {
                pending.Add(new PendingDiagnostic(DiagnosticDescriptors.CpuOnlyKernel.Id, DiagnosticAnchor.Backend, new EquatableArray<string>(new[] { method.Name, reason })));
            }
        }
    }

    /// <summary>Why a kernel runs on the CPU only (KEOPS0303 under Backend = Gpu), or null.</summary>
    public static string? CpuOnlyReason(MethodPlan method, string elementType)
    {
        int size = elementType == "double" ? 8 : 4;
        int width = method.Kernel.InnerDim;
        return width * size > SharedMemoryBytes
            ? $"one reduced row holds {Int(width)} values ({Int(width * size)} bytes), more than the 48 KiB of shared memory a GPU tile can use"
            : null;
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
