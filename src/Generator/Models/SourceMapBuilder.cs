using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace KeOpsGen.Generator.Models;

/// <summary>Builds <see cref="SourceMap"/>s from the syntax of a string argument (runs in the transform).</summary>
internal static class SourceMapBuilder
{
    public static SourceMap Build(ExpressionSyntax? expression, string? value, SemanticModel model, Location fallback)
    {
        LocationInfo whole = LocationInfo.From(expression?.GetLocation() ?? fallback);
        if (expression is null || value is null)
        {
            return new SourceMap(whole, EquatableArray<LocationInfo>.Empty);
        }

        var spans = new List<TextSpan>();
        if (!Collect(expression, model, spans) || spans.Count != value.Length)
        {
            return new SourceMap(whole, EquatableArray<LocationInfo>.Empty);
        }

        SyntaxTree tree = expression.SyntaxTree;
        var characters = new LocationInfo[spans.Count];
        for (int i = 0; i < spans.Count; i++)
        {
            characters[i] = LocationInfo.From(Location.Create(tree, spans[i]));
        }

        return new SourceMap(whole, new EquatableArray<LocationInfo>(characters));
    }

    /// <summary>Appends the source span of each character of the expression's value.</summary>
    private static bool Collect(ExpressionSyntax expression, SemanticModel model, List<TextSpan> spans)
    {
        switch (expression)
        {
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                return Decode(literal.Token, spans);
            case ParenthesizedExpressionSyntax parenthesized:
                return Collect(parenthesized.Expression, model, spans);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                return Collect(binary.Left, model, spans) && Collect(binary.Right, model, spans);
            default:
                // A const reference or nameof: its characters all point at the expression.
                Optional<object?> constant = model.GetConstantValue(expression);
                if (!constant.HasValue || constant.Value is not string text)
                {
                    return false;
                }

                for (int i = 0; i < text.Length; i++)
                {
                    spans.Add(expression.Span);
                }

                return true;
        }
    }

    private static bool Decode(SyntaxToken token, List<TextSpan> spans)
    {
        string text = token.Text;
        int start = token.SpanStart;
        int before = spans.Count;
        bool ok;
        if (text.StartsWith("\"\"\"", System.StringComparison.Ordinal))
        {
            ok = DecodeRaw(text, start, spans);
        }
        else if (text.StartsWith("@\"", System.StringComparison.Ordinal))
        {
            ok = DecodeVerbatim(text, start, spans);
        }
        else if (text.StartsWith("\"", System.StringComparison.Ordinal))
        {
            ok = DecodeRegular(text, start, spans);
        }
        else
        {
            ok = false;
        }

        if (!ok || spans.Count - before != token.ValueText.Length)
        {
            spans.RemoveRange(before, spans.Count - before);
            for (int i = 0; i < token.ValueText.Length; i++)
            {
                spans.Add(token.Span);
            }
        }

        return true;
    }

    private static bool DecodeRegular(string text, int start, List<TextSpan> spans)
    {
        int i = 1;
        int end = text.Length - 1;
        while (i < end)
        {
            if (text[i] != '\\')
            {
                spans.Add(new TextSpan(start + i, 1));
                i++;
                continue;
            }

            if (i + 1 >= end)
            {
                return false;
            }

            char kind = text[i + 1];
            int length = 2;
            int produced = 1;
            if (kind == 'u')
            {
                length = 6;
            }
            else if (kind == 'U')
            {
                length = 10;
                produced = 2;
                if (i + length <= end && uint.TryParse(text.Substring(i + 2, 8), System.Globalization.NumberStyles.HexNumber, null, out uint code) && code <= 0xFFFF)
                {
                    produced = 1;
                }
            }
            else if (kind == 'x')
            {
                length = 2;
                while (length < 6 && i + length < end && IsHex(text[i + length]))
                {
                    length++;
                }
            }

            for (int p = 0; p < produced; p++)
            {
                spans.Add(new TextSpan(start + i, length));
            }

            i += length;
        }

        return true;
    }

    private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

    private static bool DecodeVerbatim(string text, int start, List<TextSpan> spans)
    {
        int i = 2;
        int end = text.Length - 1;
        while (i < end)
        {
            if (text[i] == '"' && i + 1 < end && text[i + 1] == '"')
            {
                spans.Add(new TextSpan(start + i, 2));
                i += 2;
            }
            else
            {
                spans.Add(new TextSpan(start + i, 1));
                i++;
            }
        }

        return true;
    }

    private static bool DecodeRaw(string text, int start, List<TextSpan> spans)
    {
        int quotes = 0;
        while (quotes < text.Length && text[quotes] == '"')
        {
            quotes++;
        }

        int contentEnd = text.Length - quotes;
        int firstNewline = text.IndexOf('\n', quotes);
        if (firstNewline < 0 || firstNewline > contentEnd)
        {
            // Single line: the content sits between the quote runs.
            for (int i = quotes; i < contentEnd; i++)
            {
                spans.Add(new TextSpan(start + i, 1));
            }

            return true;
        }

        // Multi-line: drop the first and last lines, strip the closing line's indentation.
        int lastNewline = text.LastIndexOf('\n', contentEnd - 1);
        int indentation = contentEnd - (lastNewline + 1);
        int lineStart = firstNewline + 1;
        int contentStop = lastNewline;
        if (contentStop > 0 && text[contentStop - 1] == '\r')
        {
            contentStop--;
        }

        bool firstLine = true;
        while (lineStart <= contentStop)
        {
            int newline = text.IndexOf('\n', lineStart);
            int lineEnd = newline < 0 || newline > contentStop ? contentStop : newline;
            int bodyEnd = lineEnd > lineStart && text[lineEnd - 1] == '\r' && lineEnd == newline ? lineEnd - 1 : lineEnd;
            if (!firstLine)
            {
                // The line break between two content lines belongs to the value.
                int breakStart = lineStart - 1;
                if (breakStart > 0 && text[breakStart - 1] == '\r')
                {
                    spans.Add(new TextSpan(start + breakStart - 1, 1));
                }

                spans.Add(new TextSpan(start + breakStart, 1));
            }

            int from = lineStart + indentation;
            for (int i = from; i < bodyEnd; i++)
            {
                spans.Add(new TextSpan(start + i, 1));
            }

            firstLine = false;
            if (newline < 0 || newline >= contentStop)
            {
                break;
            }

            lineStart = newline + 1;
        }

        return true;
    }
}
