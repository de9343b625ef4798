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

    /// <summary>
    /// KEOPS0306 on the outermost enclosing type ILGPU cannot reach, unless the attribute asks for
    /// the CPU. Reported before Plan, where the type's location is still known.
    /// </summary>
    public static void CheckReachable(ReductionDeclaration d, List<DiagnosticInfo> diagnostics)
    {
        if (d.Backend != CpuBackend && HiddenType(d.ContainingTypes) is { } hidden && hidden.Type.HiddenAt is { } at)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.KernelTypeNotReachable, at, d.MethodName, hidden.Path, hidden.Type.HiddenAccessibility));
        }
    }

    /// <summary>The outermost enclosing type ILGPU cannot reach (private or protected), with its dotted path; null when none.</summary>
    public static (ContainingType Type, string Path)? HiddenType(EquatableArray<ContainingType> types)
    {
        var path = new List<string>();
        foreach (ContainingType type in types)
        {
            path.Add(type.Name);
            if (type.HiddenAccessibility.Length != 0)
            {
                return (type, string.Join(".", path));
            }
        }

        return null;
    }

    /// <summary>Why a kernel runs on the CPU only whatever its enclosing types (KEOPS0303 under Backend = Gpu), or null.</summary>
    public static string? CpuOnlyReason(MethodPlan method, string elementType)
    {
        int size = elementType == "double" ? 8 : 4;
        int width = KernelLowerings.TileWidth(method.Kernel);
        return width * size > KernelLowerings.SharedMemoryBytes
            ? $"one reduced row holds {Int(width)} values ({Int(width * size)} bytes), more than the 48 KiB of shared memory a GPU tile can use"
            : null;
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
