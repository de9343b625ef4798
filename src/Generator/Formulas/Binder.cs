using KeOpsGen.Generator.Differentiation;
using KeOpsGen.Generator.Parsing;

namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// Turns a formula's syntax into the typed IR: resolves names (variables through the declarations,
/// operations through the table), checks arity, integer arguments and dimensions, and builds nodes
/// through the simplifying constructors (which also expand aliases and Grad/Diff).
/// </summary>
internal sealed class Binder
{
    /// <summary>Above this many scalar components in total, a formula is refused instead of emitted.</summary>
    public const int MaxComponents = 20000;

    /// <summary>
    /// Nesting limit of Grad/Diff/GradMatrix/Divergence/Laplacian: each order multiplies the size
    /// of the formula, so deeper nestings would exhaust memory instead of failing.
    /// </summary>
    public const int MaxDerivativeOrder = 4;

    /// <summary>Above this many distinct nodes after a differential operator, the formula is refused.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>
    /// Most components one operation may fold into a single C# expression: the folds that are
    /// still one nested expression (MatVecMult, TensorDot, Kron, BSpline, SoftDTW; Sum, Scalprod
    /// and the norms are loops, see <see cref="LoopedForm.FoldsWithoutNesting"/>). Roslyn reports
    /// CS8078 "expression too long" near 4096 nested calls and overflows its stack near 6000; 2048
    /// keeps a wide margin.
    /// </summary>
    public const int MaxFoldLength = 2048;

    /// <summary>Largest |m| of Pow(f, m): beyond it f^m over- or underflows for every f except 0 and ±1, and m − order stays in int for every derivative.</summary>
    public const int MaxPowExponent = 1 << 20;

    /// <summary>Largest |d| of Round(f, d): 10^d must be finite and nonzero in float, and double has no more than 15-17 significant digits to round.</summary>
    public const int MaxRoundDigits = 15;

    private readonly IReadOnlyList<VariableDeclaration> _declarations;
    private int _derivativeOrder;
    private readonly Dictionary<string, VariableDeclaration> _byName;

    /// <summary>The text being bound, to quote an offending argument as the user wrote it.</summary>
    private string _source = string.Empty;

    public Binder(IReadOnlyList<VariableDeclaration> declarations)
    {
        _declarations = declarations;
        _byName = new Dictionary<string, VariableDeclaration>(StringComparer.Ordinal);
        foreach (VariableDeclaration d in declarations)
        {
            if (d.Name is not null && !_byName.ContainsKey(d.Name))
            {
                _byName.Add(d.Name, d);
            }
        }
    }

    /// <summary>Positions of the declarations the formula referred to.</summary>
    public HashSet<int> UsedPositions { get; } = new();

    /// <summary>Parses and binds; returns null with <paramref name="error"/> set on the first error.</summary>
    public Formula? Bind(string text, out FormulaDiagnostic? error)
    {
        _source = text;
        FormulaSyntax? syntax = Parser.Parse(text, out error);
        if (syntax is null)
        {
            return null;
        }

        try
        {
            Formula result = BindNode(syntax);
            long components = result.PostOrder().Sum(n => (long)n.Dim);
            if (components > MaxComponents)
            {
                throw Fail(DiagnosticDescriptors.FormulaTooLarge, syntax.Span,
                    $"The formula expands to {components} scalar components (limit {MaxComponents}); split it or use smaller dimensions");
            }

            return result;
        }
        catch (BindException e)
        {
            error = e.Diagnostic;
            return null;
        }
    }

    public static Formula VariableOf(VariableDeclaration d) => F.Var(d.Position, d.Dim, d.Category, d.Name ?? $"Var({d.Position},{d.Dim},{(int)d.Category})");

    private Formula BindNode(FormulaSyntax syntax)
    {
        switch (syntax)
        {
            case NumberSyntax number:
                if (double.IsInfinity(number.Value))
                {
                    throw Fail(DiagnosticDescriptors.InvalidNumber, number.Span, number.Text);
                }

                return F.Const(number.Value);

            case NameSyntax name:
                return BindName(name);

            case UnarySyntax unary:
                Formula operand = BindNode(unary.Operand);
                return unary.Operator == "-" ? F.Minus(operand) : operand;

            case BinarySyntax binary:
                return BindBinary(binary);

            case CallSyntax call:
                return BindCall(call);

            case ListSyntax list:
                throw Fail(DiagnosticDescriptors.ListNotAllowed, list.Span);

            default:
                throw Fail(DiagnosticDescriptors.ExpectedExpression, syntax.Span, "here");
        }
    }

    private Formula BindName(NameSyntax name)
    {
        if (_byName.TryGetValue(name.Name, out VariableDeclaration? declaration))
        {
            UsedPositions.Add(declaration.Position);
            return VariableOf(declaration);
        }

        if (OperationTable.TryGet(name.Name, out _))
        {
            throw Fail(DiagnosticDescriptors.OperationWithoutCall, name.Span, name.Name);
        }

        string? suggestion = OperationTable.Suggest(name.Name, _byName.Keys);
        string hint = suggestion is not null
            ? $"; did you mean '{suggestion}'?"
            : _byName.Count == 0 ? "; declare it, e.g. \"" + name.Name + " = Vi(3)\"" : $"; declared: {string.Join(", ", _byName.Keys)}";
        throw Fail(DiagnosticDescriptors.UndeclaredVariable, name.Span, name.Name, hint);
    }

    private Formula BindBinary(BinarySyntax binary)
    {
        if (binary.Operator == "**")
        {
            return BindPower(binary);
        }

        Formula left = BindNode(binary.Left);
        Formula right = BindNode(binary.Right);
        (Operation op, Formula a, Formula b) = binary.Operator switch
        {
            "+" => (Ops.Add, left, right),
            "-" => (Ops.Subtract, left, right),
            "*" => (Ops.Mult, left, right),
            "/" => (Ops.Divide, left, right),
            "|" => (Ops.Scalprod, left, right),
            "<" => (Ops.LessThan, left, right),
            ">" => (Ops.LessThan, right, left),
            "<=" => (Ops.LessOrEqual, left, right),
            ">=" => (Ops.LessOrEqual, right, left),
            _ => throw Fail(DiagnosticDescriptors.UnsupportedOperator, binary.OperatorSpan, binary.Operator, "unknown operator"),
        };

        if (op == Ops.Divide && right.IsZero && right.IsConstant)
        {
            throw Fail(DiagnosticDescriptors.InvalidArgument, binary.Right.Span, "Division by the constant zero");
        }

        DimResult dim = op.Dim(new[] { a.Dim, b.Dim }, OpKit.NoInts);
        if (dim.IsError)
        {
            string message = binary.Operator == "|"
                ? $"'|' (scalar product) needs equal dimensions, found {left.Dim} and {right.Dim}"
                : $"'{binary.Operator}' cannot combine dimensions {left.Dim} and {right.Dim}: operands must have equal dimensions or dimension 1";
            throw Fail(DiagnosticDescriptors.DimensionMismatch, binary.Span, message);
        }

        CheckSizeLimits(op, binary.Span, new[] { a.Dim, b.Dim }, dim);
        return op.Create(new[] { a, b }, OpKit.NoInts);
    }

    private Formula BindPower(BinarySyntax binary)
    {
        Formula baseFormula = BindNode(binary.Left);
        double? exponent = LiteralValue(binary.Right);
        if (exponent is double e && e == Math.Floor(e) && Math.Abs(e) <= 1 << 20)
        {
            return F.Pow(baseFormula, (int)e);
        }

        if (exponent == 0.5)
        {
            return F.Sqrt(baseFormula);
        }

        if (exponent == -0.5)
        {
            return F.Rsqrt(baseFormula);
        }

        Formula power = BindNode(binary.Right);
        DimResult dim = Ops.Powf.Dim(new[] { baseFormula.Dim, power.Dim }, OpKit.NoInts);
        if (dim.IsError)
        {
            throw Fail(DiagnosticDescriptors.DimensionMismatch, binary.Span,
                $"'**' cannot combine dimensions {baseFormula.Dim} and {power.Dim}: operands must have equal dimensions or dimension 1");
        }

        return Ops.Powf.Create(new[] { baseFormula, power }, OpKit.NoInts);
    }

    private static double? LiteralValue(FormulaSyntax syntax) => syntax switch
    {
        NumberSyntax n => n.Value,
        UnarySyntax { Operator: "-", Operand: NumberSyntax n } => -n.Value,
        UnarySyntax { Operator: "+", Operand: NumberSyntax n } => n.Value,
        _ => null,
    };

    private Formula BindCall(CallSyntax call)
    {
        if (call.Name == "Var")
        {
            return BindVarCall(call);
        }

        if (!OperationTable.TryGet(call.Name, out Operation op))
        {
            string? suggestion = OperationTable.Suggest(call.Name, OperationTable.All.Select(o => o.Name));
            throw Fail(DiagnosticDescriptors.UnknownOperation, call.NameSpan, call.Name,
                suggestion is null ? "; see the README for the supported operations" : $"; did you mean '{suggestion}'?");
        }

        int given = call.Arguments.Count;
        if (given < op.RequiredParameters || given > op.Parameters.Length)
        {
            string expected = op.RequiredParameters == op.Parameters.Length
                ? Plural(op.Parameters.Length, "argument")
                : $"{op.RequiredParameters} to {op.Parameters.Length} arguments";
            throw Fail(DiagnosticDescriptors.WrongArgumentCount, call.Span, $"{op.Name} ({op.Signature})", expected, given.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        bool isCalculus = op == Ops.Grad || op == Ops.Diff || op == Ops.GradMatrix || op == Ops.Divergence || op == Ops.Laplacian
            || op == Ops.TraceOperator || op == Ops.AdjointOperator;
        if (isCalculus && _derivativeOrder >= MaxDerivativeOrder)
        {
            throw Fail(DiagnosticDescriptors.FormulaTooLarge, call.NameSpan,
                $"Differential operators are nested more than {MaxDerivativeOrder} deep; the derivative would be too large to generate");
        }

        _derivativeOrder += isCalculus ? 1 : 0;
        try
        {
            return BindCallArguments(call, op, given, isCalculus);
        }
        finally
        {
            _derivativeOrder -= isCalculus ? 1 : 0;
        }
    }

    private Formula BindCallArguments(CallSyntax call, Operation op, int given, bool isCalculus)
    {
        var formulas = new List<Formula>();
        var formulaSpans = new List<Span>();
        var ints = new List<int[]>();
        var argumentSpans = new List<Span>();
        for (int i = 0; i < given; i++)
        {
            FormulaSyntax argument = call.Arguments[i];
            argumentSpans.Add(argument.Span);
            switch (op.Parameters[i])
            {
                case ParamKind.Formula:
                    formulas.Add(BindNode(argument));
                    formulaSpans.Add(argument.Span);
                    break;
                case ParamKind.Int:
                    ints.Add(new[] { IntegerArgument(op, i, argument) });
                    break;
                case ParamKind.IntList:
                    if (argument is not ListSyntax list)
                    {
                        throw Fail(DiagnosticDescriptors.IntegerExpected, argument.Span, $"Argument {i + 1} of {op.Name}", "a list of integers such as [0,1]", Text(argument));
                    }

                    ints.Add(list.Items.Select(item => IntegerArgument(op, i, item)).ToArray());
                    break;
            }
        }

        if (isCalculus)
        {
            Formula target = formulas[1];
            if (!target.IsVariable)
            {
                throw Fail(DiagnosticDescriptors.GradTargetNotVariable, call.Arguments[1].Span, op.Name, Text(call.Arguments[1]));
            }
        }

        CheckIntegerLimits(op, ints, argumentSpans);
        var intArgs = new IntArgs(ints.ToArray());
        DimResult dim = op.Dim(formulas.Select(f => f.Dim).ToArray(), intArgs);
        if (dim.IsError)
        {
            Span span = dim.ErrorArgument >= 0 && dim.ErrorArgument < argumentSpans.Count ? argumentSpans[dim.ErrorArgument] : call.Span;
            throw Fail(dim.IsIndexError ? DiagnosticDescriptors.IndexOutOfRange : DiagnosticDescriptors.DimensionMismatch, span, dim.Error!);
        }

        CheckSizeLimits(op, call.Span, formulas.Select(f => f.Dim).ToArray(), dim);

        try
        {
            Formula result = op.Create(formulas.ToArray(), intArgs);
            if (isCalculus && result.Size > MaxNodes && result.PostOrder().Count() > MaxNodes)
            {
                throw Fail(DiagnosticDescriptors.FormulaTooLarge, call.Span,
                    $"{op.Name} expands to more than {MaxNodes} distinct operations; lower the derivative order or simplify the formula");
            }

            return result;
        }
        catch (NotDifferentiableException e)
        {
            throw Fail(DiagnosticDescriptors.NotDifferentiable, call.Span, e.Message);
        }
        catch (NotLinearException e)
        {
            // The formula argument is what is not linear.
            throw Fail(DiagnosticDescriptors.NotLinear, argumentSpans[0], e.Message);
        }
    }

    private Formula BindVarCall(CallSyntax call)
    {
        if (call.Arguments.Count != 3)
        {
            throw Fail(DiagnosticDescriptors.WrongArgumentCount, call.Span, "Var (Var(pos,dim,cat))", "3 arguments", call.Arguments.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        int position = IntegerArgument(Ops.Var, 0, call.Arguments[0]);
        int dim = IntegerArgument(Ops.Var, 1, call.Arguments[1]);
        int category = IntegerArgument(Ops.Var, 2, call.Arguments[2]);
        VariableDeclaration? declaration = _declarations.FirstOrDefault(d => d.Position == position);
        if (declaration is null)
        {
            throw Fail(DiagnosticDescriptors.UndeclaredVariable, call.Span, $"Var({position},{dim},{category})",
                $"; no declaration has position {position}");
        }

        if (declaration.Dim != dim || (int)declaration.Category != category)
        {
            throw Fail(DiagnosticDescriptors.DimensionMismatch, call.Span,
                $"Var({position},{dim},{category}) does not match the declaration of position {position}: dimension {declaration.Dim}, category {(int)declaration.Category}");
        }

        UsedPositions.Add(position);
        return VariableOf(declaration);
    }

    private int IntegerArgument(Operation op, int index, FormulaSyntax argument)
    {
        double? value = LiteralValue(argument);
        if (value is double v && v == Math.Floor(v) && Math.Abs(v) <= int.MaxValue && IsIntegerLiteral(argument))
        {
            return (int)v;
        }

        if (value is double && IsIntegerLiteral(argument))
        {
            throw Fail(DiagnosticDescriptors.IntegerOutOfRange, argument.Span,
                $"Argument {index + 1} of {op.Name} is {Text(argument)}, out of range: integer arguments must lie between {-int.MaxValue} and {int.MaxValue}");
        }

        throw Fail(DiagnosticDescriptors.IntegerExpected, argument.Span, $"Argument {index + 1} of {op.Name}", "an integer literal", Text(argument));
    }

    private static bool IsIntegerLiteral(FormulaSyntax syntax) => syntax switch
    {
        NumberSyntax n => n.IsInteger,
        UnarySyntax { Operand: NumberSyntax n } => n.IsInteger,
        _ => false,
    };

    private string Text(FormulaSyntax syntax) => syntax switch
    {
        _ when syntax.Span.End <= _source.Length && syntax.Span.Length is > 0 and <= 40 => _source.Substring(syntax.Span.Start, syntax.Span.Length),
        NumberSyntax n => n.Text,
        NameSyntax n => n.Name,
        CallSyntax c => c.Name + "(...)",
        ListSyntax => "[...]",
        _ => "expression",
    };

    /// <summary>Integer arguments whose meaning has a narrower range than int (KEOPS0115).</summary>
    private void CheckIntegerLimits(Operation op, List<int[]> ints, List<Span> argumentSpans)
    {
        int first = Array.IndexOf(op.Parameters, ParamKind.Int);
        if (first < 0 || ints.Count == 0)
        {
            return;
        }

        int value = ints[0][0];
        if (op == Ops.Pow && Math.Abs((long)value) > MaxPowExponent)
        {
            throw Fail(DiagnosticDescriptors.IntegerOutOfRange, argumentSpans[first],
                $"Pow exponent {value} is out of range: it must lie between {-MaxPowExponent} and {MaxPowExponent} (beyond, f^m over- or underflows for every f but 0 and ±1); use Powf or Exp/Log for other powers");
        }

        if (op == Ops.Round && Math.Abs((long)value) > MaxRoundDigits)
        {
            throw Fail(DiagnosticDescriptors.IntegerOutOfRange, argumentSpans[first],
                $"Round to {value} decimals is out of range: the number of decimals must lie in -{MaxRoundDigits} to {MaxRoundDigits} (10^d must be finite and nonzero in float; a double has no more digits to round)");
        }
    }

    /// <summary>
    /// An operation's own size: its dimension within the component limit (KEOPS0302), and the
    /// components it folds into one expression within what the C# compiler accepts (KEOPS0305).
    /// </summary>
    private void CheckSizeLimits(Operation op, Span span, int[] argumentDims, DimResult dim)
    {
        if (dim.Dim > MaxComponents)
        {
            throw Fail(DiagnosticDescriptors.FormulaTooLarge, span,
                $"{op.Name} has dimension {dim.Dim}, over the limit of {MaxComponents} components; use a smaller dimension");
        }

        int widest = argumentDims.Length == 0 ? 0 : argumentDims.Max();
        // Sums, dot products and norms of wide vectors are lowered as loops (their LoopedForm):
        // only the other folds still become one nested expression.
        bool folds = op.Group is OpGroup.Vector or OpGroup.Norm or OpGroup.Tensor && dim.Dim < widest && !op.Looped.FoldsWithoutNesting;
        if (folds && widest > MaxFoldLength)
        {
            throw Fail(DiagnosticDescriptors.ExpressionTooLong, span,
                $"{op.Name} reduces {widest} components into one generated expression, over the limit of {MaxFoldLength} that the C# compiler accepts; split the vectors (e.g. Sum(Extract(X,0,2048)) + Sum(Extract(X,2048,2048)))");
        }
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static BindException Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, Span span, params string[] arguments)
        => new(new FormulaDiagnostic(descriptor, span, arguments));

    private sealed class BindException : Exception
    {
        public BindException(FormulaDiagnostic diagnostic) => Diagnostic = diagnostic;

        public FormulaDiagnostic Diagnostic { get; }
    }
}
