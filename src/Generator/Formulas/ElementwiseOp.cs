namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// The local partial derivatives of an elementwise operation: the contribution of
/// <paramref name="gradient"/> to each formula argument (null where it is zero), before
/// <see cref="OpKit.Elementwise"/> folds a broadcast scalar argument's contribution back.
/// </summary>
internal delegate Formula?[] ElementwiseVjp(Formula[] args, Formula self, Formula gradient, IntArgs ints);

/// <summary>
/// An elementwise operation's entry: what it is and how one component behaves. <see
/// cref="OpKit.Elementwise"/> turns it into an <see cref="Operation"/> (broadcasting, lowering and
/// reference per component, the chain rule, constant folding). The <c>required</c> members are
/// what every entry must state.
/// </summary>
internal sealed class ElementwiseOp
{
    public required string Name { get; init; }

    public required OpGroup Group { get; init; }

    /// <summary>How many formula arguments.</summary>
    public required int Arity { get; init; }

    /// <summary>How many integer arguments follow the formula arguments.</summary>
    public int IntParameters { get; init; }

    public required string Signature { get; init; }

    public required string Summary { get; init; }

    /// <summary>The dimension rule in words, for docs/operations.md.</summary>
    public required string DimensionRule { get; init; }

    public string? Description { get; init; }

    /// <summary>
    /// The C# expression of one component from one component of each argument; an entry states
    /// either this or <see cref="Primitive"/>.
    /// </summary>
    public Func<string[], IntArgs, string>? Lower { get; init; }

    /// <summary>
    /// The name of the <see cref="LaneContext.Primitive"/> function one component is (Sqrt, Exp, ...),
    /// for an operation that is exactly that Math/MathF function: called on Math/MathF directly in
    /// scalar code, on the lane type (or KMath's lane-by-lane overload) in a CPU kernel.
    /// </summary>
    public string? Primitive { get; init; }

    /// <summary>float64 reference of one component.</summary>
    public required Func<double[], IntArgs, double> Reference { get; init; }

    public required ElementwiseVjp Vjp { get; init; }

    /// <summary>The smart constructor; null: fold all-constant arguments, else the plain node.</summary>
    public BuildRule? Simplify { get; init; }

    public string? Infix { get; init; }

    public int Precedence { get; init; } = 100;

    public LinearRole Linearity { get; init; }

    public bool KeepsScalarMultiples { get; init; }

    public OpTestCases Tests { get; init; } = new();
}
