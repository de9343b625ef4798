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
/// what every entry must state; the others default to the common case, a function of the
/// runtime's math library: <c>Name(f)</c> in the elementwise group, broadcasting, lowered to the
/// function of the same name (a Math/MathF function the lanes provide called directly, see
/// <see cref="LaneContext.Primitive"/>; any other, <c>KMath</c>'s).
/// </summary>
internal sealed class ElementwiseOp
{
    public required string Name { get; init; }

    public OpGroup Group { get; init; } = OpGroup.Elementwise;

    /// <summary>How many formula arguments.</summary>
    public int Arity { get; init; } = 1;

    /// <summary>How many integer arguments follow the formula arguments.</summary>
    public int IntParameters { get; init; }

    /// <summary>As the reference writes a call; null: the name and one letter per formula argument, <c>Name(f,g)</c>.</summary>
    public string? Signature { get; init; }

    public required string Summary { get; init; }

    /// <summary>The dimension rule in words, for docs/operations.md.</summary>
    public string DimensionRule { get; init; } = "broadcast → D";

    public string? Description { get; init; }

    /// <summary>
    /// The C# expression of one component from one component of each argument; null: for an
    /// <see cref="Infix"/> operation, the C# operator it is written with (<c>(f + g)</c>,
    /// <c>(-f)</c>), else a call of the function named like the operation, on the arguments, then the integer arguments: on the
    /// lane type or Math/MathF for the functions <see cref="LaneContext.Primitive"/> takes (Exp,
    /// Sqrt, ...), else the runtime's <c>KMath</c>.
    /// </summary>
    public Func<string[], IntArgs, string>? Lower { get; init; }

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
