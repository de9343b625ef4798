using KeOpsGen.Generator.Differentiation;

namespace KeOpsGen.Generator.Formulas;

/// <summary>Symbolic differential operators; the binder checks that V is a variable.</summary>
internal static partial class Ops
{
    public static readonly Operation Grad = new Operation
    {
        Name = "Grad", Group = OpGroup.Calculus, Parameters = OpKit.F3,
        Signature = "Grad(f,v,e)", Summary = "[∂f/∂v]ᵀ·e, reverse mode (v a variable, dim e = dim f); nestable",
        Dim = DimRules.SameDimension("Grad", 2, "e", like: 0, "f", then: DimRules.DimensionOf(1)),
        DimensionRule = "d(e) = d(f), v a variable → d(v)",
        Expand = (args, _) => Differentiator.Gradient(args[0], args[1], args[2]),
        Tests = CheckedByCalculusOperatorTests(andBy: "the Grad-of-Grad cases here"),
    };

    public static readonly Operation Diff = new Operation
    {
        Name = "Diff", Group = OpGroup.Calculus, Parameters = OpKit.F3,
        Signature = "Diff(f,v,u)", Summary = "[∂f/∂v]·u, forward mode (v a variable, dim u = dim v)",
        Dim = DimRules.SameDimension("Diff", 2, "u", like: 1, "v", then: DimRules.DimensionOf(0)),
        DimensionRule = "d(u) = d(v), v a variable → d(f)",
        Expand = (args, _) => Differentiator.Differential(args[0], args[1], args[2]),
        Tests = CheckedByCalculusOperatorTests(andBy: "the Diff cases here"),
    };

    public static readonly Operation GradMatrix = new Operation
    {
        Name = "GradMatrix", Group = OpGroup.Calculus, Parameters = OpKit.F2,
        Signature = "GradMatrix(f,v)", Summary = "transposed Jacobian of f with respect to v, row-major (dim f × dim v)",
        Dim = DimRules.Product,
        DimensionRule = "v a variable → d(f)·d(v)",
        Expand = (args, _) => Differentiator.GradMatrix(args[0], args[1]),
        Tests = CheckedByCalculusOperatorTests(),
    };

    public static readonly Operation Divergence = new Operation
    {
        Name = "Divergence", Group = OpGroup.Calculus, Parameters = OpKit.F2,
        Signature = "Divergence(f,v)", Summary = "trace of ∂f/∂v (dim f = dim v)",
        Dim = DimRules.SameDimension("Divergence", 0, "f", like: 1, "v", then: DimRules.Scalar),
        DimensionRule = "d(f) = d(v) → 1",
        Expand = (args, _) => Differentiator.Divergence(args[0], args[1]),
        Tests = CheckedByCalculusOperatorTests(),
    };

    public static readonly Operation Laplacian = new Operation
    {
        Name = "Laplacian", Group = OpGroup.Calculus, Parameters = OpKit.F2,
        Signature = "Laplacian(f,v)", Summary = "Divergence(Grad(f,v,1),v) for a scalar f",
        Dim = DimRules.ScalarArgument("Laplacian", 0, "f", then: DimRules.Scalar),
        DimensionRule = "d(f) = 1 → 1",
        Expand = (args, _) => Differentiator.Divergence(Differentiator.Gradient(args[0], args[1], F.Const(1)), args[1]),
        Tests = CheckedByCalculusOperatorTests(),
    };

    public static readonly Operation TraceOperator = new Operation
    {
        Name = "TraceOperator", Group = OpGroup.Calculus, Parameters = OpKit.F2,
        Signature = "TraceOperator(f,v)", Summary = "trace of the linear map v ↦ f (f linear in v, dim f = dim v)",
        Dim = DimRules.SameDimension("TraceOperator", 0, "f", like: 1, "v", then: DimRules.Scalar),
        DimensionRule = "f linear in v, d(f) = d(v) → 1",
        Description = "trace of the linear map v ↦ f = A·v (keopscore's helper behind Divergence). Linearity is checked at compile time: a derivative that still depends on v, or an f that does not vanish at v = 0, is KEOPS0120 on f. Derivative: through its expansion Σ_k (Aᵀe_k)_k, which no longer contains v",
        Expand = (args, _) => LinearOperators.Trace(args[0], args[1]),
        Tests = CheckedByLinearOperatorTests,
    };

    public static readonly Operation AdjointOperator = new Operation
    {
        Name = "AdjointOperator", Group = OpGroup.Calculus, Parameters = OpKit.F3,
        Signature = "AdjointOperator(f,v,w)", Summary = "Aᵀ·w where f = A·v is linear in v (dim w = dim f; result dim v)",
        Dim = DimRules.SameDimension("AdjointOperator", 2, "w", like: 0, "f", then: DimRules.DimensionOf(1)),
        DimensionRule = "f linear in v, d(w) = d(f) → d(v)",
        Description = "Aᵀ·w for f = A·v (keopscore's transpose of a linear formula; equal to Grad(f,v,w) once f is linear). Same KEOPS0120 check; differentiable in w and in the other variables of A",
        Expand = (args, _) => LinearOperators.Adjoint(args[0], args[1], args[2]),
        Tests = CheckedByLinearOperatorTests,
    };

    /// <summary>
    /// A differential operator expands into other operations: its values and derivatives are
    /// checked by dedicated tests (<paramref name="andBy"/>: the cases of the derivative test that
    /// also exercise it).
    /// </summary>
    private static OpTestCases CheckedByCalculusOperatorTests(string? andBy = null) => new()
    {
        NotRunBecause = "a differential operator: checked by the Gradients tests",
        NotDifferentiatedBecause = "a differential operator: checked by CalculusOperatorTests" + (andBy is null ? string.Empty : " and " + andBy),
    };

    /// <summary>A linear-operator helper expands into other operations: LinearOperatorTests checks it.</summary>
    private static OpTestCases CheckedByLinearOperatorTests => new()
    {
        NotRunBecause = "a linear-operator helper: expands into other operations, checked by LinearOperatorTests (values, a generated kernel, derivatives)",
        NotDifferentiatedBecause = "a linear-operator helper: its derivatives are checked by LinearOperatorTests",
    };
}
