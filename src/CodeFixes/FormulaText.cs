namespace KeOpsGen.CodeFixes;

/// <summary>Where a formula diagnostic sits in C# source, and whether its literal can be edited as text.</summary>
internal static class FormulaText
{
    /// <summary>
    /// The string literal token holding <paramref name="span"/> when its source characters are its
    /// value one for one (no escapes), so offsets in the formula are offsets in the file; the fixes
    /// that reshape a formula are offered only then.
    /// </summary>
    public static bool TryGetPlainLiteral(SyntaxNode root, TextSpan span, out SyntaxToken literal, out int contentStart, out string content)
    {
        literal = root.FindToken(span.Start);
        contentStart = 0;
        content = string.Empty;
        if (!literal.IsKind(SyntaxKind.StringLiteralToken) || !literal.Span.Contains(span))
        {
            return false;
        }

        string text = literal.Text;
        int open = text.StartsWith("@\"", System.StringComparison.Ordinal) ? 2 : text.StartsWith("\"", System.StringComparison.Ordinal) ? 1 : -1;
        if (open < 0 || text.Length < open + 1 || text[text.Length - 1] != '"')
        {
            return false;
        }

        content = text.Substring(open, text.Length - open - 1);
        contentStart = literal.SpanStart + open;
        return content == literal.ValueText;
    }
}
