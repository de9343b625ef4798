using KeOpsGen.Generator.Differentiation;

namespace KeOpsGen.Generator.Formulas;

/// <summary>Symbolic differential operators; the binder checks that V is a variable.</summary>
internal static partial class Ops
{
    public static readonly Operation Grad = new Operation("Grad", OpGroup.Calculus, OpKit.F3, "Grad(f,v,e)", "[∂f/∂v]ᵀ·e, reverse mode (v a variable, dim e = dim f); nestable")
    {
        Dim = (dims, _) => dims[2] == dims[0] ? DimResult.Ok(dims[1])
            : DimResult.Fail($"Grad needs e with the dimension of f ({dims[0]}), found {dims[2]}", 2),
        Build = (args, _) => Differentiator.Gradient(args[0], args[1], args[2]),
        IsAlias = true,
        Tests = new()
        {
            NotRunBecause = "a differential operator: expands into other operations, checked by the Gradients tests",
            NotDifferentiatedBecause = "a differential operator: checked by CalculusOperatorTests and the Grad-of-Grad cases here",
        },
    }.Documented("d(e) = d(f), v a variable → d(v)");

    public static readonly Operation Diff = new Operation("Diff", OpGroup.Calculus, OpKit.F3, "Diff(f,v,u)", "[∂f/∂v]·u, forward mode (v a variable, dim u = dim v)")
    {
        Dim = (dims, _) => dims[2] == dims[1] ? DimResult.Ok(dims[0])
            : DimResult.Fail($"Diff needs u with the dimension of v ({dims[1]}), found {dims[2]}", 2),
        Build = (args, _) => Differentiator.Differential(args[0], args[1], args[2]),
        IsAlias = true,
        Tests = new()
        {
            NotRunBecause = "a differential operator: checked by the Gradients tests",
            NotDifferentiatedBecause = "a differential operator: checked by CalculusOperatorTests and the Diff cases here",
        },
    }.Documented("d(u) = d(v), v a variable → d(f)");

    public static readonly Operation GradMatrix = new Operation("GradMatrix", OpGroup.Calculus, OpKit.F2, "GradMatrix(f,v)", "transposed Jacobian of f with respect to v, row-major (dim f × dim v)")
    {
        Dim = (dims, _) => DimResult.Ok(dims[0] * dims[1]),
        Build = (args, _) => Differentiator.GradMatrix(args[0], args[1]),
        IsAlias = true,
        Tests = new()
        {
            NotRunBecause = "a differential operator: checked by the Gradients tests",
            NotDifferentiatedBecause = "a differential operator: checked by CalculusOperatorTests",
        },
    }.Documented("v a variable → d(f)·d(v)");

    public static readonly Operation Divergence = new Operation("Divergence", OpGroup.Calculus, OpKit.F2, "Divergence(f,v)", "trace of ∂f/∂v (dim f = dim v)")
    {
        Dim = (dims, _) => dims[0] == dims[1] ? DimResult.Ok(1)
            : DimResult.Fail($"Divergence needs dim f = dim v, found {dims[0]} and {dims[1]}", 0),
        Build = (args, _) => Differentiator.Divergence(args[0], args[1]),
        IsAlias = true,
        Tests = new()
        {
            NotRunBecause = "a differential operator: checked by the Gradients tests",
            NotDifferentiatedBecause = "a differential operator: checked by CalculusOperatorTests",
        },
    }.Documented("d(f) = d(v) → 1");

    public static readonly Operation Laplacian = new Operation("Laplacian", OpGroup.Calculus, OpKit.F2, "Laplacian(f,v)", "Divergence(Grad(f,v,1),v) for a scalar f")
    {
        Dim = (dims, _) => dims[0] == 1 ? DimResult.Ok(1) : DimResult.Fail($"Laplacian needs a scalar f, found dimension {dims[0]}", 0),
        Build = (args, _) => Differentiator.Divergence(Differentiator.Gradient(args[0], args[1], F.Const(1)), args[1]),
        IsAlias = true,
        Tests = new()
        {
            NotRunBecause = "a differential operator: checked by the Gradients tests",
            NotDifferentiatedBecause = "a differential operator: checked by CalculusOperatorTests",
        },
    }.Documented("d(f) = 1 → 1");

    public static readonly Operation TraceOperator = new Operation("TraceOperator", OpGroup.Calculus, OpKit.F2, "TraceOperator(f,v)", "trace of the linear map v ↦ f (f linear in v, dim f = dim v)")
    {
        Dim = (dims, _) => dims[0] == dims[1] ? DimResult.Ok(1)
            : DimResult.Fail($"TraceOperator needs dim f = dim v (a square linear map), found {dims[0]} and {dims[1]}", 0),
        Build = (args, _) => LinearOperators.Trace(args[0], args[1]),
        IsAlias = true,
        Tests = new()
        {
            NotRunBecause = "a linear-operator helper: expands into other operations, checked by LinearOperatorTests (values, a generated kernel, derivatives)",
            NotDifferentiatedBecause = "a linear-operator helper: its derivatives are checked by LinearOperatorTests",
        },
    }.Documented("f linear in v, d(f) = d(v) → 1", "trace of the linear map v ↦ f = A·v (keopscore's helper behind Divergence). Linearity is checked at compile time: a derivative that still depends on v, or an f that does not vanish at v = 0, is KEOPS0120 on f. Derivative: through its expansion Σ_k (Aᵀe_k)_k, which no longer contains v");

    public static readonly Operation AdjointOperator = new Operation("AdjointOperator", OpGroup.Calculus, OpKit.F3, "AdjointOperator(f,v,w)", "Aᵀ·w where f = A·v is linear in v (dim w = dim f; result dim v)")
    {
        Dim = (dims, _) => dims[2] == dims[0] ? DimResult.Ok(dims[1])
            : DimResult.Fail($"AdjointOperator needs w with the dimension of f ({dims[0]}), found {dims[2]}", 2),
        Build = (args, _) => LinearOperators.Adjoint(args[0], args[1], args[2]),
        IsAlias = true,
        Tests = new()
        {
            NotRunBecause = "a linear-operator helper: expands into other operations, checked by LinearOperatorTests (values, a generated kernel, derivatives)",
            NotDifferentiatedBecause = "a linear-operator helper: its derivatives are checked by LinearOperatorTests",
        },
    }.Documented("f linear in v, d(w) = d(f) → d(v)", "Aᵀ·w for f = A·v (keopscore's transpose of a linear formula; equal to Grad(f,v,w) once f is linear). Same KEOPS0120 check; differentiable in w and in the other variables of A");
}
