namespace KeOpsGen.Generator.Formulas;

/// <summary>What an argument of an operation is.</summary>
internal enum ParamKind
{
    Formula,
    Int,
    IntList,
}

/// <summary>Grouping used by the README table and the tests.</summary>
internal enum OpGroup
{
    Constant,
    Arithmetic,
    Elementwise,
    Comparison,
    Vector,
    Norm,
    Indexing,
    Tensor,
    Calculus,
    Complex,
    Internal,
}

/// <summary>A dimension rule's verdict: the output dimension, or why the arguments do not fit.</summary>
internal readonly struct DimResult
{
    private DimResult(int dim, string? error, int errorArgument, bool outOfRange)
    {
        Dim = dim;
        Error = error;
        ErrorArgument = errorArgument;
        IsIndexError = outOfRange;
    }

    public int Dim { get; }

    public string? Error { get; }

    /// <summary>Index (among all arguments) of the argument to blame, or -1 for the whole call.</summary>
    public int ErrorArgument { get; }

    /// <summary>An index argument out of range rather than a dimension mismatch.</summary>
    public bool IsIndexError { get; }

    public bool IsError => Error is not null;

    public static DimResult Ok(int dim) => new(dim, null, -1, false);

    public static DimResult Fail(string error, int argument = -1) => new(0, error, argument, false);

    public static DimResult OutOfRange(string error, int argument) => new(0, error, argument, true);
}

/// <summary>Decoded arguments of a call: formula dims and integer (list) values, by position.</summary>
internal sealed class IntArgs
{
    private readonly int[][] _values;

    public IntArgs(int[][] values) => _values = values;

    public int Count => _values.Length;

    public int this[int index] => _values[index][0];

    public int[] List(int index) => _values[index];

    public bool Has(int index) => index < _values.Length;

    /// <summary>Encodes as the flat form stored in <see cref="Formula.Ints"/>: [len, v...] per argument.</summary>
    public int[] Encode()
    {
        var flat = new List<int>();
        foreach (int[] v in _values)
        {
            flat.Add(v.Length);
            flat.AddRange(v);
        }

        return flat.ToArray();
    }

    public static IntArgs Decode(int[] flat)
    {
        var values = new List<int[]>();
        int i = 0;
        while (i < flat.Length)
        {
            int length = flat[i++];
            values.Add(flat.Skip(i).Take(length).ToArray());
            i += length;
        }

        return new IntArgs(values.ToArray());
    }

    public static IntArgs Of(params int[] singles) => new(singles.Select(s => new[] { s }).ToArray());
}

/// <summary>How a generated kernel writes values: plain scalars, or the generic lane type of a CPU kernel.</summary>
internal sealed class LaneContext
{
    private int _temporaries;

    public LaneContext(string scalarType, string? laneTypeParameter)
    {
        ScalarType = scalarType;
        LaneTypeParameter = laneTypeParameter;
    }

    /// <summary>Statements a lowering needed before its result expressions (temporaries).</summary>
    public List<string> Statements { get; } = new();

    /// <summary>
    /// Names the temporaries of <see cref="Let"/>: the emitter sets it to its allocator of the
    /// method's locals, so temporaries never clash with the formula's other locals.
    /// </summary>
    public System.Func<string>? FreshName { get; set; }

    /// <summary>Binds <paramref name="expression"/> to a fresh local, so it is evaluated once.</summary>
    public string Let(string expression)
    {
        string name = FreshName?.Invoke() ?? "u" + (_temporaries++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Statements.Add($"var {name} = {expression};");
        return name;
    }

    /// <summary>"float" or "double".</summary>
    public string ScalarType { get; }

    /// <summary>
    /// The type parameter of a CPU kernel's one <c>Evaluate</c>, constrained to the runtime's
    /// <c>ILane</c> (scalar, Vector256 or Vector512 values, chosen by the engine), or null for plain
    /// scalar code (ILGPU kernels, values precomputed at gather time).
    /// </summary>
    public string? LaneTypeParameter { get; }

    public bool IsScalar => LaneTypeParameter is null;

    public string LaneType => LaneTypeParameter ?? ScalarType;

    public string Constant(double value) => Broadcast(ScalarLiteral(value));

    /// <summary>A scalar expression of <see cref="ScalarType"/> in every lane.</summary>
    public string Broadcast(string scalar) => IsScalar ? scalar : $"{LaneTypeParameter}.Create({scalar})";

    public string ScalarLiteral(double value)
    {
        bool isFloat = ScalarType == "float";
        if (double.IsNaN(value))
        {
            return isFloat ? "float.NaN" : "double.NaN";
        }

        if (double.IsInfinity(value))
        {
            return (isFloat ? "float." : "double.") + (value > 0 ? "PositiveInfinity" : "NegativeInfinity");
        }

        string text = isFloat
            ? ((float)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (text.IndexOf('E') >= 0 || text.IndexOf('.') >= 0)
        {
            return text + (isFloat ? "f" : "d");
        }

        return text + (isFloat ? ".0f" : ".0d");
    }

    /// <summary>A call to the runtime math library: float and double overloads, and a generic one over the lane type.</summary>
    public static string Math(string function, params string[] args) => $"global::KeOpsGen.Cpu.KMath.{function}({string.Join(", ", args)})";

    /// <summary>
    /// A call to a function of <c>System.MathF</c> and <c>System.Math</c> (<see cref="LaneFunctions"/>
    /// and <see cref="LaneByLaneFunctions"/>), emitted on them directly in plain scalar code (so the
    /// float GPU Exp stays <c>MathF.Exp</c>, which ILGPU maps to the hardware instruction). In a CPU
    /// kernel, on the lane type where every lane type has it (<c>TLane.Exp</c>, our polynomial), else
    /// KMath's generic overload, which applies the scalar function lane by lane.
    /// </summary>
    public string Primitive(string function, params string[] args)
    {
        bool onLane = System.Array.IndexOf(LaneFunctions, function) >= 0;
        if (!IsPrimitive(function))
        {
            throw new System.ArgumentException($"'{function}' is not one of the Math/MathF functions the lanes provide.", nameof(function));
        }

        string owner = LaneTypeParameter is null
            ? (ScalarType == "float" ? "global::System.MathF" : "global::System.Math")
            : (onLane ? LaneTypeParameter : "global::KeOpsGen.Cpu.KMath");
        return $"{owner}.{function}({string.Join(", ", args)})";
    }

    /// <summary>Whether <see cref="Primitive"/> takes <paramref name="function"/>.</summary>
    public static bool IsPrimitive(string function)
        => System.Array.IndexOf(LaneFunctions, function) >= 0 || System.Array.IndexOf(LaneByLaneFunctions, function) >= 0;

    /// <summary>Math/MathF functions that are also members of ILane, with the same meaning.</summary>
    public static readonly string[] LaneFunctions = { "Sqrt", "Exp", "Log", "Sin", "Cos", "Abs", "Floor", "Min", "Max" };

    /// <summary>Math/MathF functions that lanes get from KMath's generic overload, value by value.</summary>
    public static readonly string[] LaneByLaneFunctions = { "Asin", "Acos", "Atan", "Atan2" };
}

internal delegate DimResult DimRule(int[] argDims, IntArgs ints);

/// <summary>Writes the C# expressions of each output component from the arguments' components.</summary>
internal delegate string[] Lowering(LaneContext lane, string[][] args, IntArgs ints, int dim);

/// <summary>float64 reference semantics of the operation, component by component.</summary>
internal delegate double[] Reference(double[][] args, IntArgs ints, int dim);

/// <summary>Builds the node, simplifying (smart constructor); aliases return their expansion.</summary>
internal delegate Formula BuildRule(Formula[] args, IntArgs ints);

/// <summary>
/// Vector-Jacobian product: the contribution of <paramref name="gradient"/> (same dim as
/// <paramref name="node"/>) to each formula argument, or null where it is zero.
/// </summary>
internal delegate Formula?[] VjpRule(Formula node, Formula gradient);

/// <summary>
/// One operation of the KeOps formula language, stated by name member by member: its name,
/// signature, dimension rule (as code and in words), smart constructor, lowering, float64
/// reference, derivative, cost, linearity and test metadata. Everything that knows about an
/// operation lives in its entry; the parser, binder, emitters, differentiator and tests reach it
/// only through <see cref="OperationTable"/>. The members every entry must state are
/// <c>required</c>, so the compiler rejects an entry that leaves one out.
/// </summary>
internal sealed class Operation
{
    private int? _requiredParameters;

    public required string Name { get; init; }

    public required OpGroup Group { get; init; }

    public required ParamKind[] Parameters { get; init; }

    /// <summary>Trailing parameters past this count are optional (all are required unless stated).</summary>
    public int RequiredParameters
    {
        get => _requiredParameters ?? Parameters.Length;
        init => _requiredParameters = value;
    }

    public required string Signature { get; init; }

    public required string Summary { get; init; }

    /// <summary>The reference's dimension rule in words (docs/operations.md is generated from it).</summary>
    public required string DimensionRule { get; init; }

    /// <summary>The reference's description when it says more than <see cref="Summary"/>; null otherwise.</summary>
    public string? Description { get; init; }

    public required DimRule Dim { get; init; }

    /// <summary>
    /// The smart constructor: builds the node, applying the operation's algebraic rewrites
    /// (constant folding, dropping zeros and ones, ...). Null: the plain node.
    /// </summary>
    public BuildRule? Simplify { get; init; }

    /// <summary>The C# expressions of each output component; null for aliases, which never reach lowering.</summary>
    public Lowering? Lower { get; init; }

    /// <summary>float64 reference semantics; null where the operation is not evaluated on its own (aliases).</summary>
    public Reference? Evaluate { get; init; }

    /// <summary>The derivative (vector-Jacobian product); null where there is none (see <see cref="NotDifferentiableReason"/>).</summary>
    public VjpRule? Vjp { get; init; }

    /// <summary>
    /// Why there is no derivative: for the whole operation when <see cref="Vjp"/> is null, or for
    /// the arguments listed in <see cref="NotDifferentiableArguments"/>.
    /// </summary>
    public string? NotDifferentiableReason { get; init; }

    /// <summary>
    /// Arguments (by formula position) the <see cref="Vjp"/> has no rule for: a gradient with
    /// respect to a variable they depend on fails with <see cref="NotDifferentiableReason"/>
    /// instead of silently treating them as constants.
    /// </summary>
    public int[] NotDifferentiableArguments { get; init; } = Array.Empty<int>();

    /// <summary>Infix operator for printing (<c>+</c>, <c>*</c>, ...), with its precedence.</summary>
    public string? Infix { get; init; }

    public int Precedence { get; init; } = 100;

    /// <summary>
    /// An alias's expansion into other operations, applied as the node is built (at bind time):
    /// an alias never becomes a node of its own. Null for a real operation.
    /// </summary>
    public BuildRule? Expand { get; init; }

    /// <summary>Expands into other operations at bind time (see <see cref="Expand"/>).</summary>
    public bool IsAlias => Expand is not null;

    /// <summary>
    /// Component k of the result depends only on component k of each argument (or on the one
    /// component of a scalar argument), through <see cref="Lower"/> called with dimension 1.
    /// </summary>
    public bool IsComponentwise => ReferenceEquals(Looped, LoopedForm.Componentwise);

    /// <summary>How the operation is lowered when its vectors are wide (Planning/LoopPlan, Emit/LoopedLowering).</summary>
    public LoopedForm Looped { get; init; } = LoopedForm.None;

    /// <summary>
    /// Rough arithmetic per result component, against which hoisting a one-side sub-formula out
    /// of the pair loop is weighed: 0 for rearrangements (indexing, broadcasting), about ten
    /// basic operations for the runtime's elementwise functions, one otherwise.
    /// </summary>
    public int Cost
    {
        get => _cost ?? (Group == OpGroup.Elementwise ? 10 : 1);
        init => _cost = value;
    }

    private int? _cost;

    /// <summary>How the operation carries linearity in a variable (KernelSolve's structural check, KEOPS0125).</summary>
    public LinearRole Linearity { get; init; }

    /// <summary>
    /// With <see cref="Linearity"/>: c·v in its linear argument, c a scalar free of v, stays of
    /// that form (real Minus, Add, Subtract, and Mult, Divide or IfElse by a scalar), so each
    /// column of a KernelSolve right-hand side is transformed alike.
    /// </summary>
    public bool KeepsScalarMultiples { get; init; }

    /// <summary>How the table-driven tests call the operation (arguments, domain, exclusions with reasons).</summary>
    public OpTestCases Tests { get; init; } = new();

    public int FormulaParameterCount => Parameters.Count(p => p == ParamKind.Formula);

    /// <summary>Creates the node without simplification (used by smart constructors themselves).</summary>
    public Formula Node(Formula[] args, IntArgs ints)
    {
        DimResult dim = Dim(args.Select(a => a.Dim).ToArray(), ints);
        if (dim.IsError)
        {
            throw new InvalidOperationException($"internal: {Name} built with invalid dimensions: {dim.Error}");
        }

        return new Formula(this, args, ints.Encode(), dim.Dim);
    }

    /// <summary>Creates the node through its smart constructor.</summary>
    public Formula Create(Formula[] args, IntArgs ints)
        => Expand is not null ? Expand(args, ints) : Simplify is null ? Node(args, ints) : Simplify(args, ints);

    public void Print(Formula node, StringBuilder builder, int parentPrecedence)
    {
        if (ReferenceEquals(this, Ops.Constant))
        {
            string text = Formula.FormatNumber(node.Value);
            bool negative = node.Value < 0;
            if (negative && parentPrecedence > 0)
            {
                builder.Append('(').Append(text).Append(')');
            }
            else
            {
                builder.Append(text);
            }

            return;
        }

        if (ReferenceEquals(this, Ops.Var))
        {
            builder.Append(node.Name ?? $"Var({node.Ints[1]},{node.Ints[3]},{node.Ints[5]})");
            return;
        }

        if (Infix is not null && node.Args.Length == 2)
        {
            bool parens = Precedence < parentPrecedence;
            if (parens)
            {
                builder.Append('(');
            }

            node.Args[0].Print(builder, Precedence);
            builder.Append(Infix);
            // Left-associative operators need parentheses on an equal-precedence right operand.
            node.Args[1].Print(builder, Precedence + 1);
            if (parens)
            {
                builder.Append(')');
            }

            return;
        }

        if (Infix is not null && node.Args.Length == 1)
        {
            bool parens = Precedence < parentPrecedence;
            builder.Append(parens ? "(" : string.Empty).Append(Infix);
            node.Args[0].Print(builder, Precedence);
            builder.Append(parens ? ")" : string.Empty);
            return;
        }

        builder.Append(Name).Append('(');
        IntArgs ints = IntArgs.Decode(node.Ints);
        int formulaIndex = 0;
        int intIndex = 0;
        for (int p = 0; p < Parameters.Length; p++)
        {
            if (Parameters[p] == ParamKind.Formula)
            {
                if (formulaIndex >= node.Args.Length)
                {
                    break;
                }

                if (p > 0)
                {
                    builder.Append(',');
                }

                node.Args[formulaIndex++].Print(builder, 0);
            }
            else
            {
                if (intIndex >= ints.Count)
                {
                    break;
                }

                if (p > 0)
                {
                    builder.Append(',');
                }

                builder.Append(Parameters[p] == ParamKind.Int
                    ? ints[intIndex].ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : "[" + string.Join(",", ints.List(intIndex)) + "]");
                intIndex++;
            }
        }

        builder.Append(')');
    }
}
