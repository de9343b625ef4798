namespace KeOpsGen.Generator.Parsing;

/// <summary>The formula's syntax tree: positions kept, no meaning yet, no Roslyn types.</summary>
internal abstract record FormulaSyntax(Span Span)
{
    /// <summary>Levels of nodes below and including this one; the parser bounds it so later recursive passes cannot overflow the stack.</summary>
    public abstract int Height { get; }
}

/// <summary>An integer or float literal.</summary>
internal sealed record NumberSyntax(Span Span, string Text, double Value, bool IsInteger) : FormulaSyntax(Span)
{
    public override int Height => 1;
}

/// <summary>A bare name: a variable, or an operation used without a call (an error).</summary>
internal sealed record NameSyntax(Span Span, string Name) : FormulaSyntax(Span)
{
    public override int Height => 1;
}

/// <summary><c>Name(arg, ...)</c>.</summary>
internal sealed record CallSyntax(Span Span, string Name, Span NameSpan, EquatableArray<FormulaSyntax> Arguments) : FormulaSyntax(Span)
{
    public override int Height { get; } = 1 + (Arguments.Count == 0 ? 0 : Arguments.Max(a => a.Height));
}

/// <summary>Unary minus or plus.</summary>
internal sealed record UnarySyntax(Span Span, string Operator, FormulaSyntax Operand) : FormulaSyntax(Span)
{
    public override int Height { get; } = 1 + Operand.Height;
}

/// <summary>A binary operator.</summary>
internal sealed record BinarySyntax(Span Span, string Operator, Span OperatorSpan, FormulaSyntax Left, FormulaSyntax Right) : FormulaSyntax(Span)
{
    public override int Height { get; } = 1 + System.Math.Max(Left.Height, Right.Height);
}

/// <summary><c>[a, b, ...]</c>: integer lists for TensorDot and Kron.</summary>
internal sealed record ListSyntax(Span Span, EquatableArray<FormulaSyntax> Items) : FormulaSyntax(Span)
{
    public override int Height { get; } = 1 + (Items.Count == 0 ? 0 : Items.Max(a => a.Height));
}
