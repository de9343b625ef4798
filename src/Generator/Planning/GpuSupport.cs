using System.Collections.Generic;
using KeOpsGen.Generator.Diagnostics;
using KeOpsGen.Generator.Emit;
using KeOpsGen.Generator.Models;

namespace KeOpsGen.Generator.Planning;

/// <summary>
/// Reports methods that cannot run on the GPU: all of them when an enclosing type is private or
/// protected (KEOPS0306, unless the attribute asks for the CPU), kernels too large for a tile only
/// when the user asked for Backend = Gpu (KEOPS0303).
/// </summary>
internal static class GpuSupport
{
    private const int CpuBackend = 1;
    private const int GpuBackend = 2;

    public static void Check(ReductionDeclaration d, List<MethodPlan> methods, string elementType, List<DiagnosticInfo> diagnostics)
    {
        if (d.Backend != CpuBackend && GpuEmitter.HiddenType(d.ContainingTypes) is { } hidden)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.KernelTypeNotReachable, hidden.Type.HiddenAt!.Value, d.MethodName, hidden.Path, hidden.Type.HiddenAccessibility));
        }

        if (d.Backend != GpuBackend)
        {
            return;
        }

        foreach (MethodPlan method in methods)
        {
            string? reason = GpuEmitter.CpuOnlyReason(method, elementType);
            if (reason is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CpuOnlyKernel, d.NamedArgumentLocation("Backend"), method.Name, reason));
            }
        }
    }
}
