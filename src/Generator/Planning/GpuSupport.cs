using System.Collections.Generic;
using KeOpsGen.Generator.Diagnostics;
using KeOpsGen.Generator.Emit;
using KeOpsGen.Generator.Models;

namespace KeOpsGen.Generator.Planning;

/// <summary>Reports kernels that cannot run on the GPU, only when the user asked for Backend = Gpu.</summary>
internal static class GpuSupport
{
    private const int GpuBackend = 2;

    public static void Check(ReductionDeclaration d, List<MethodPlan> methods, string elementType, List<DiagnosticInfo> diagnostics)
    {
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
