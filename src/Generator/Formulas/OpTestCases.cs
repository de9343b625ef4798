namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// How the table-driven tests (values through generated kernels, derivatives against finite
/// differences) call one operation: kept in its definition, so a new operation is described once,
/// next to its reference and derivative, for every test that loops over the table.
/// </summary>
internal sealed class OpTestCases
{
    /// <summary>Integer arguments, one array per integer (list) parameter; null for an operation that takes none.</summary>
    public int[][]? Ints { get; set; }

    /// <summary>
    /// The formula arguments' dimensions, one array per case; null for the default (all 3, then a
    /// broadcast scalar first), where that does not fit or is too weak.
    /// </summary>
    public int[][]? Dims { get; set; }

    /// <summary>Inputs are drawn from [low, high]: inside the reference's domain, away from its singular points.</summary>
    public (double Low, double High) Domain { get; set; } = (-2, 2);

    /// <summary>Inputs are rounded to multiples of 0.5, so that ties and the 0 boundary occur (comparisons, Step, ...).</summary>
    public bool OnHalfSteps { get; set; }

    /// <summary>Why the operation is not run through a generated kernel by the table's value test; null when it is.</summary>
    public string? NotRunBecause { get; set; }

    /// <summary>Why the derivative test does not differentiate the operation; null when it does.</summary>
    public string? NotDifferentiatedBecause { get; set; }

    /// <summary>
    /// The refusal a second derivative must raise (its first derivative uses an operation without
    /// one); null where the derivative test also checks Grad of Grad.
    /// </summary>
    public string? FirstOrderOnlyBecause { get; set; }
}
