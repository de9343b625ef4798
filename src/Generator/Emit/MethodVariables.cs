namespace KeOpsGen.Generator.Emit;

/// <summary>
/// A method's variables split two ways: all of them, which its public checks cover (every
/// parameter's length and row count, whatever the kernel reads), and the ones its kernels read,
/// which alone are pinned, passed to the kernels and uploaded. A gradient kernel usually reads a
/// few of the method's variables, so passing only those keeps the generated size linear, not
/// quadratic, in the number of variables of the kernels.
/// </summary>
internal static class MethodVariables
{
    /// <summary>Outer, inner and parameter variables of the method by its kernel's axis (all of them, in position order).</summary>
    public static (EquatableArray<VariableModel> Outer, EquatableArray<VariableModel> Inner, EquatableArray<VariableModel> Parameters) Checked(MethodPlan method)
    {
        VariableCategory outer = method.Kernel.Axis == 1 ? VariableCategory.I : VariableCategory.J;
        return (
            method.Variables.Where(v => v.Category == outer).ToEquatableArray(),
            method.Variables.Where(v => v.Category != outer && v.Category != VariableCategory.Parameter).ToEquatableArray(),
            method.Variables.Where(v => v.Category == VariableCategory.Parameter).ToEquatableArray());
    }

    /// <summary>The method's variables that its kernel or its forward pass's kernel reads, in position order.</summary>
    public static List<VariableModel> Used(MethodPlan method)
    {
        var positions = new HashSet<int>(Positions(method.Kernel));
        if (method.Saved is not null)
        {
            positions.UnionWith(Positions(method.Saved.Kernel));
        }

        return method.Variables.Where(v => positions.Contains(v.Position)).ToList();
    }

    private static IEnumerable<int> Positions(KernelPlan plan)
        => plan.Outer.Concat(plan.Inner).Concat(plan.Parameters).Select(v => v.Position);
}
