namespace KeOpsGen;

/// <summary>
/// Declares a kernel linear solve on a <c>static partial</c> method: the generator emits a
/// preconditioned conjugate gradient for (alpha·I + K) x = b, where K·v is the Sum reduction of
/// the formula with the variable named by <see cref="Variable"/> replaced by v (KeOps's
/// <c>KernelSolve</c>). The formula must be linear in that variable; this is checked at build time.
/// </summary>
/// <remarks>
/// The method is declared as
/// <c>static partial KernelSolveResult Name(ReadOnlySpan&lt;T&gt; var0, ..., double alpha, Span&lt;T&gt; result);</c>:
/// one <c>ReadOnlySpan&lt;T&gt;</c> per declared variable in declaration order (the
/// <see cref="Variable"/> one receives the right-hand side b), then <c>alpha</c>, then the
/// solution (shaped like b). An optional trailing <see cref="KernelSolveOptions"/> parameter may be
/// declared; the generator emits the other form as an overload. See docs/kernel-solve.md.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class KernelSolveAttribute : FormulaAttribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="formula">The KeOps formula, linear in <see cref="Variable"/>, e.g. <c>"Exp(-G*SqDist(X,Y)) * B"</c>.</param>
    /// <param name="variables">pykeops variable declarations, e.g. <c>"X = Vi(2)"</c>.</param>
    public KernelSolveAttribute(string formula, params string[] variables)
        : base(formula, variables)
    {
    }

    /// <summary>Name of the unknown: the declared variable the formula is linear in (KeOps's <c>varinvalias</c>). Default <c>"B"</c>.</summary>
    public string Variable { get; set; } = "B";

    /// <summary>
    /// 1 (default): K reduces over j, so the unknown is a Vj variable and the solution has one row
    /// per i. 0: K reduces over i, the unknown is a Vi variable.
    /// </summary>
    public int Axis { get; set; } = 1;

    /// <summary>How the operator's sums are accumulated. Default <see cref="SumScheme.Auto"/>.</summary>
    public SumScheme SumScheme { get; set; } = SumScheme.Auto;

    /// <summary>Accumulator precision of the operator's sums. Default <see cref="Accumulation.Auto"/>.</summary>
    public Accumulation Accumulation { get; set; } = Accumulation.Auto;

    /// <summary>Where the operator's reductions run. Default <see cref="Backend.Auto"/>.</summary>
    public Backend Backend { get; set; } = Backend.Auto;

    /// <summary>
    /// Gradient methods on request, as <see cref="ReductionAttribute.GradientOrder"/>. 0 (default):
    /// the solve and its operator <c>{Method}Operator</c> only. 1: also the solve's gradients
    /// (<c>{Method}Grad{B}</c>, another solve, and <c>{Method}Grad{P}</c> for the other inputs) and the
    /// operator's gradient methods they call. See docs/kernel-solve.md.
    /// </summary>
    public int GradientOrder { get; set; }
}
