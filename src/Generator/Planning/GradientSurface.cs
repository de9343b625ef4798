namespace KeOpsGen.Generator.Planning;

/// <summary>
/// Which gradient methods a reduction's public surface holds. Every per-variable method
/// M + "Grad" + P names all V + 2 parameters in its overloads, so V of them cost V² in generated
/// size; the combined method M + "Grad" (every gradient in one call, as PyKeOps's backward) names
/// each parameter once. Past <see cref="MaxPerVariableMethods"/> variables only the combined method
/// is emitted (KEOPS0307 says so); the gradient kernels are the same either way.
/// </summary>
internal static class GradientSurface
{
    /// <summary>
    /// Most variables of a reduction whose per-variable gradient methods are emitted: every
    /// KeOps formula we know of has fewer, and at 8 they cost about as much as the kernels.
    /// </summary>
    public const int MaxPerVariableMethods = 8;

    /// <summary>The first-order gradient methods M + "Grad" + P, in variable order.</summary>
    public static List<MethodPlan> FirstOrder(ReductionModel model)
        => model.Methods.Where(m => !m.IsUserPartial && m.Doc.Kind != MethodDocKind.Reduction && m.Doc.Of == model.MethodName).ToList();

    /// <summary>The user's variables (the forward method's, without the gradients' internal ones).</summary>
    public static int VariableCount(ReductionModel model) => model.Methods[0].Variables.Count;

    /// <summary>Whether the combined method is emitted: the reduction has first-order gradients over spans (not Half, whose methods widen through a float twin).</summary>
    public static bool HasCombined(ReductionModel model)
        => !model.IsHalf && FirstOrder(model).Count > 0;

    /// <summary>Whether the per-variable methods M + "Grad" + P (and their second-order ones) are public methods.</summary>
    /// <remarks>GradientOrder = 2 keeps them: its methods M + "Grad" + P + "Grad" + Q are documented against them, and are V² by nature.</remarks>
    public static bool HasPerVariableMethods(ReductionModel model)
        => !HasCombined(model) || model.KeepsPerVariableGradients || VariableCount(model) <= MaxPerVariableMethods
           || model.Methods.Any(m => m.Doc.Kind != MethodDocKind.Reduction && m.Doc.Of != model.MethodName);

    /// <summary>Whether <paramref name="method"/> gets its public overloads (its kernels are emitted in every case).</summary>
    public static bool IsPublic(ReductionModel model, MethodPlan method)
        => method.IsUserPartial || method.Doc.Kind == MethodDocKind.Reduction || HasPerVariableMethods(model) || !FirstOrder(model).Contains(method);
}
