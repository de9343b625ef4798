using KeOpsGen.Generator.Models;

namespace KeOpsGen.Generator.Parsing;

/// <summary>The formula's syntax tree: positions kept, no meaning yet, no Roslyn types.</summary>
internal abstract record FormulaSyntax(Span Span);

/// <summary>An integer or float literal.</summary>
internal sealed record NumberSyntax(Span Span, string Text, double Value, bool IsInteger) : FormulaSyntax(Span);

/// <summary>A bare name: a variable, or an operation used without a call (an error).</summary>
internal sealed record NameSyntax(Span Span, string Name) : FormulaSyntax(Span);

/// <summary><c>Name(arg, ...)</c>.</summary>
internal sealed record CallSyntax(Span Span, string Name, Span NameSpan, EquatableArray<FormulaSyntax> Arguments) : FormulaSyntax(Span);

/// <summary>Unary minus or plus.</summary>
internal sealed record UnarySyntax(Span Span, string Operator, FormulaSyntax Operand) : FormulaSyntax(Span);

/// <summary>A binary operator.</summary>
internal sealed record BinarySyntax(Span Span, string Operator, Span OperatorSpan, FormulaSyntax Left, FormulaSyntax Right) : FormulaSyntax(Span);

/// <summary><c>[a, b, ...]</c>: integer lists for TensorDot and Kron.</summary>
internal sealed record ListSyntax(Span Span, EquatableArray<FormulaSyntax> Items) : FormulaSyntax(Span);
