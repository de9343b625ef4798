namespace KeOpsGen;

/// <summary>
/// What every formula attribute holds: the KeOps formula and its pykeops variable declarations. <see cref="ReductionAttribute"/> and
/// <see cref="KernelSolveAttribute"/> derive from it; the generator reads the derived attributes
/// by name, and their constructor and named arguments as written. The options (axis, sum scheme,
/// accumulation, backend) stay on each attribute: their meaning and documentation differ between
/// a reduction and a solve, and documentation elsewhere names them through the derived types.
/// </summary>
public abstract class FormulaAttribute : Attribute
{
    /// <summary>Sets the formula and its declarations.</summary>
    /// <param name="formula">The KeOps formula, e.g. <c>"Exp(-G*SqDist(X,Y)) * B"</c>.</param>
    /// <param name="variables">pykeops variable declarations, e.g. <c>"X = Vi(3)"</c>.</param>
    protected FormulaAttribute(string formula, string[] variables)
    {
        Formula = formula;
        Variables = variables;
    }

    /// <summary>The formula text.</summary>
    public string Formula { get; }

    /// <summary>The variable declarations.</summary>
    public string[] Variables { get; }
}
