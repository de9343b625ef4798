namespace KeOpsGen.Generator.Parsing;

/// <summary>A parsed pykeops variable declaration such as <c>"X = Vi(0,3)"</c>.</summary>
internal sealed record VariableDeclaration(
    string? Name,
    VariableCategory Category,
    int Dim,
    int Position,
    int Index,
    Span NameSpan,
    Span CategorySpan,
    Span DimSpan,
    Span PositionSpan);

/// <summary>
/// Parses pykeops declarations: <c>Name = Vi(dim)</c>, <c>Name = Vj(pos,dim)</c>, <c>Name = Pm(dim)</c>,
/// <c>Name = Var(pos,dim,cat)</c>, the legacy <c>Vx</c>/<c>Vy</c>, and the unnamed forms (then only
/// reachable as <c>Var(pos,dim,cat)</c> in the formula, as in KeOps).
/// </summary>
internal static class DeclarationParser
{
    public static VariableDeclaration? Parse(string text, int index, out FormulaDiagnostic? error)
    {
        error = null;
        FormulaSyntax? syntax;
        string? name = null;
        Span nameSpan = default;
        int equals = text.IndexOf('=');
        string body = text;
        int offset = 0;
        if (equals >= 0)
        {
            string left = text.Substring(0, equals);
            string trimmed = left.Trim();
            int start = left.IndexOf(trimmed, StringComparison.Ordinal);
            nameSpan = new Span(start, trimmed.Length);
            if (!IsIdentifier(trimmed))
            {
                error = Malformed(text, trimmed.Length == 0 ? new Span(0, Math.Max(1, equals + 1)) : nameSpan);
                return null;
            }

            name = trimmed;
            offset = equals + 1;
            body = text.Substring(offset);
        }

        syntax = Parser.Parse(body, out FormulaDiagnostic? parseError);
        if (parseError is not null || syntax is not CallSyntax call)
        {
            error = Malformed(text, parseError is null ? new Span(offset, body.Length) : Shift(parseError.Span, offset));
            return null;
        }

        var ints = new List<(int Value, Span Span)>();
        foreach (FormulaSyntax argument in call.Arguments)
        {
            if (argument is NumberSyntax { IsInteger: true } number && number.Value <= int.MaxValue)
            {
                ints.Add(((int)number.Value, Shift(number.Span, offset)));
            }
            else
            {
                error = new FormulaDiagnostic(DiagnosticDescriptors.InvalidDeclaration, Shift(argument.Span, offset),
                    new[] { $"Declaration arguments must be non-negative integers: {call.Name}(...) in '{text}'" });
                return null;
            }
        }

        Span categorySpan = Shift(call.NameSpan, offset);
        VariableCategory category;
        int position = -1;
        Span positionSpan = categorySpan;
        int dim;
        Span dimSpan;
        switch (call.Name)
        {
            case "Vi":
            case "Vx":
            case "Vj":
            case "Vy":
            case "Pm":
                category = call.Name switch
                {
                    "Vi" or "Vx" => VariableCategory.I,
                    "Vj" or "Vy" => VariableCategory.J,
                    _ => VariableCategory.Parameter,
                };
                if (ints.Count == 1)
                {
                    (dim, dimSpan) = ints[0];
                }
                else if (ints.Count == 2)
                {
                    (position, positionSpan) = ints[0];
                    (dim, dimSpan) = ints[1];
                }
                else
                {
                    error = new FormulaDiagnostic(DiagnosticDescriptors.InvalidDeclaration, Shift(call.Span, offset),
                        new[] { $"{call.Name} takes (dim) or (pos,dim), found {ints.Count} arguments in '{text}'" });
                    return null;
                }

                break;
            case "Var":
                if (ints.Count != 3)
                {
                    error = new FormulaDiagnostic(DiagnosticDescriptors.InvalidDeclaration, Shift(call.Span, offset),
                        new[] { $"Var takes (pos,dim,cat), found {ints.Count} arguments in '{text}'" });
                    return null;
                }

                (position, positionSpan) = ints[0];
                (dim, dimSpan) = ints[1];
                if (ints[2].Value > 2)
                {
                    error = new FormulaDiagnostic(DiagnosticDescriptors.InvalidDeclaration, ints[2].Span,
                        new[] { $"Unknown category {ints[2].Value} in '{text}': expected 0 (Vi), 1 (Vj) or 2 (Pm)" });
                    return null;
                }

                category = (VariableCategory)ints[2].Value;
                break;
            default:
                string? suggestion = OperationTable.Suggest(call.Name, new[] { "Vi", "Vj", "Pm", "Var" });
                error = new FormulaDiagnostic(DiagnosticDescriptors.InvalidDeclaration, categorySpan,
                    new[] { $"Unknown variable category '{call.Name}' in '{text}': expected Vi, Vj, Pm or Var" + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)") });
                return null;
        }

        if (dim < 1)
        {
            error = new FormulaDiagnostic(DiagnosticDescriptors.InvalidDeclaration, dimSpan,
                new[] { $"Variable dimension must be at least 1, found {dim} in '{text}'" });
            return null;
        }

        return new VariableDeclaration(name, category, dim, position < 0 ? index : position, index, nameSpan, categorySpan, dimSpan, positionSpan);
    }

    private static FormulaDiagnostic Malformed(string text, Span span)
        => new(DiagnosticDescriptors.MalformedDeclaration, span, new[] { text });

    private static Span Shift(Span span, int offset) => new(span.Start + offset, span.Length);

    private static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
