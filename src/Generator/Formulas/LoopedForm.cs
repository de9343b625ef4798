namespace KeOpsGen.Generator.Formulas;

/// <summary>Writes one component of a wide node at a run-time (or constant) component index.</summary>
internal delegate string ComponentRule(ILoopedWriter writer, Formula node, IntArgs ints, string index);

/// <summary>Writes a small result of a node whose wide arguments are looped; null where this form does not apply.</summary>
internal delegate string[]? LoopedResultRule(ILoopedWriter writer, Formula node, IntArgs ints);

/// <summary>Writes a result from its arguments' components (locals) as one statement per component; null where it does not apply.</summary>
internal delegate string[]? StatementFoldRule(ILoopedWriter writer, string[][] args);

/// <summary>
/// How an operation is lowered when its vectors are wide (over Planning/LoopPlan's
/// MaxUnrolledDim components): the looped lowering (Emit/LoopedLowering) and the loop plan ask
/// the operation's definition, never its identity. An operation with no looped form is lowered
/// unrolled, one local per component (correct, and bounded by KEOPS0304).
/// </summary>
internal sealed class LoopedForm
{
    /// <summary>No looped form: one local per component.</summary>
    public static readonly LoopedForm None = new();

    /// <summary>
    /// Component k depends only on component k of each argument (or on a scalar argument's one
    /// component): computed inside the consumer's loop through the operation's scalar lowering.
    /// </summary>
    public static readonly LoopedForm Componentwise = new()
    {
        Indexable = a => a.EachIndexed,
        Component = (w, node, ints, index) =>
        {
            string[][] args = node.Args.Select(arg => new[] { w.Component(arg, index) }).ToArray();
            return node.Op.Lower!(w.Lane, args, ints, 1)[0];
        },
    };

    /// <summary>
    /// Its folds over components are written as loops or as one statement per component, never
    /// as one nested expression: the C# compiler's limit on expression depth (KEOPS0305) does
    /// not apply (set on aliases too, which the binder checks before expanding them).
    /// </summary>
    public bool FoldsWithoutNesting { get; init; }

    /// <summary>
    /// Whether a wide result can be computed component by component where it is used, given how
    /// its arguments are lowered; null: never (it is then unrolled).
    /// </summary>
    public Func<LoopedArguments, bool>? Indexable { get; init; }

    /// <summary>Component at an index expression, for a node <see cref="Indexable"/> accepted.</summary>
    public ComponentRule? Component { get; init; }

    /// <summary>A small result of wide, looped arguments (Sum, Scalprod, MatVecMult, Min, Elem, ...).</summary>
    public LoopedResultRule? FromLooped { get; init; }

    /// <summary>A result of arguments held in locals, one statement per component instead of one nested expression.</summary>
    public StatementFoldRule? FromLocals { get; init; }

    /// <summary>A wide result is not computed at all: its arguments' components are handed on part by part (Concat).</summary>
    public bool AssembledFromArguments { get; init; }

    /// <summary>Σ_c a(c)·b(c) as one FMA chain (for at most MaxUnrolledDim terms).</summary>
    public static string FmaChain(int count, Func<int, string> a, Func<int, string> b)
    {
        string acc = $"({a(0)} * {b(0)})";
        for (int c = 1; c < count; c++)
        {
            acc = LaneContext.Math("Fma", a(c), b(c), acc);
        }

        return acc;
    }
}

/// <summary>How the arguments of a wide node are lowered, as <see cref="LoopedForm.Indexable"/> sees them.</summary>
internal sealed class LoopedArguments
{
    private readonly bool[] _indexed;
    private readonly bool[] _small;

    public LoopedArguments(Formula node, bool[] indexed, bool[] small)
    {
        Node = node;
        _indexed = indexed;
        _small = small;
    }

    public Formula Node { get; }

    /// <summary>Argument <paramref name="argument"/> is wide and computed (or loaded) at a run-time component index.</summary>
    public bool Indexed(int argument) => _indexed[argument];

    /// <summary>Argument <paramref name="argument"/> has few components, held in locals and read by constant index.</summary>
    public bool Small(int argument) => _small[argument];

    /// <summary>Every argument is a broadcast scalar or indexed.</summary>
    public bool EachIndexed => Node.Args.Select((a, i) => a.Dim == 1 || _indexed[i]).All(x => x);
}

/// <summary>What the looped lowering offers an operation's <see cref="LoopedForm"/> rules.</summary>
internal interface ILoopedWriter
{
    LaneContext Lane { get; }

    /// <summary>Partial sums a looped reduction keeps (independent dependency chains).</summary>
    int Partials { get; }

    /// <summary>Component <paramref name="index"/> (a C# int expression) of a node, computed in the innermost open loop.</summary>
    string Component(Formula node, string index);

    /// <summary>All components of a node as expressions.</summary>
    string[] Components(Formula node);

    /// <summary>The node is wide and computed at a run-time component index.</summary>
    bool IsIndexed(Formula node);

    /// <summary>
    /// A loop over <paramref name="count"/> components updating <paramref name="outputs"/>
    /// accumulators, each split into <paramref name="partials"/> partial sums. <paramref name="step"/>
    /// gives an accumulator's new value from a component index, an output number and the accumulator.
    /// </summary>
    string[] Accumulate(int count, int outputs, int partials, Func<string, int, string, string> step);

    /// <summary>Min/Max (or their index) of a wide vector, the first index kept on ties.</summary>
    string Best(Formula f, bool max, bool index);

    /// <summary>Σ a_c, or Σ a_c·b_c with FMAs, one statement per component.</summary>
    string Fold(int count, Func<int, string> a, Func<int, string>? b);

    /// <summary>Binds <paramref name="expression"/> to a fresh local named with <paramref name="letter"/>.</summary>
    string Let(string letter, string expression);

    /// <summary>The lane value of a C# int expression (a component index).</summary>
    string IndexValue(string index);
}

/// <summary>C# int expressions for component indices, folded when they are literals.</summary>
internal static class IndexText
{
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static bool IsLiteral(string index, out int value) => int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static string Add(string index, int offset)
        => offset == 0 ? index : IsLiteral(index, out int value) ? Int(value + offset) : $"({index} + {Int(offset)})";

    public static string Add(string left, string right)
        => IsLiteral(left, out int l) && IsLiteral(right, out int r) ? Int(l + r) : IsLiteral(left, out int z) && z == 0 ? right : $"({left} + {right})";

    public static string Mul(string index, int factor)
        => factor == 1 ? index : IsLiteral(index, out int value) ? Int(value * factor) : $"({index} * {Int(factor)})";

    public static string Div(string index, int divisor)
        => divisor == 1 ? index : IsLiteral(index, out int value) ? Int(value / divisor) : $"({index} / {Int(divisor)})";

    public static string Mod(string index, int divisor)
        => divisor == 1 ? "0" : IsLiteral(index, out int value) ? Int(value % divisor) : $"({index} % {Int(divisor)})";
}
