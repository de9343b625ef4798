namespace KeOpsGen.CodeFixes;

/// <summary>KEOPS0006 on <c>==</c>/<c>!=</c>: rewrite <c>f == g</c> as <c>Equal(f, g)</c> (<c>NotEqual</c> for <c>!=</c>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ComparisonOperatorCodeFix)), Shared]
public sealed class ComparisonOperatorCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnsupportedOperator.Id);

    /// <summary>No fix-all: parsing stops at the first bad operator, so a formula reports one at a time.</summary>
    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SourceText text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            TextSpan span = diagnostic.Location.SourceSpan;
            if (span.Length != 2 || span.End > text.Length)
            {
                continue;
            }

            string op = text.ToString(span);
            string? function = op == "==" ? "Equal" : op == "!=" ? "NotEqual" : null;
            if (function is null || !FormulaText.TryGetPlainLiteral(root, span, out _, out int contentStart, out string content))
            {
                continue;
            }

            if (!TryRewrite(content, span.Start - contentStart, function, out int start, out int end, out string replacement))
            {
                continue;
            }

            var change = new TextChange(new TextSpan(contentStart + start, end - start), replacement);
            context.RegisterCodeFix(
                CodeAction.Create($"Use {function}(f, g)", _ => Task.FromResult(context.Document.WithText(text.WithChanges(change))), equivalenceKey: nameof(ComparisonOperatorCodeFix) + "." + function),
                diagnostic);
        }
    }

    /// <summary>
    /// Comparisons bind loosest in KeOps, so each operand runs from the operator to the nearest
    /// enclosing bracket or argument comma; the operands keep their own text and the whitespace
    /// around the whole comparison stays where it was.
    /// </summary>
    internal static bool TryRewrite(string formula, int operatorAt, string function, out int start, out int end, out string replacement)
    {
        start = OperandEdge(formula, operatorAt, -1);
        end = OperandEdge(formula, operatorAt + 2, +1);

        while (start < operatorAt && char.IsWhiteSpace(formula[start]))
        {
            start++;
        }

        while (end > operatorAt + 2 && char.IsWhiteSpace(formula[end - 1]))
        {
            end--;
        }

        string left = formula.Substring(start, operatorAt - start).Trim();
        string right = formula.Substring(operatorAt + 2, end - operatorAt - 2).Trim();
        replacement = $"{function}({left}, {right})";
        return left.Length > 0 && right.Length > 0;
    }

    /// <summary>
    /// Walks from <paramref name="index"/> away from the operator (<paramref name="step"/> −1:
    /// leftwards, reading the character before the index; +1: rightwards, reading the one at it)
    /// until an unmatched bracket or a comma outside brackets: the edge of the operand.
    /// </summary>
    private static int OperandEdge(string formula, int index, int step)
    {
        // Walking left, a closing bracket opens a nested group; walking right, an opening one does.
        string nests = step < 0 ? ")]" : "([";
        string closes = step < 0 ? "([" : ")]";
        int depth = 0;
        while (step < 0 ? index > 0 : index < formula.Length)
        {
            char c = formula[step < 0 ? index - 1 : index];
            if (nests.IndexOf(c) >= 0)
            {
                depth++;
            }
            else if (closes.IndexOf(c) >= 0)
            {
                if (depth == 0)
                {
                    break;
                }

                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                break;
            }

            index += step;
        }

        return index;
    }
}
