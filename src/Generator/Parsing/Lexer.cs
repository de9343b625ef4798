namespace KeOpsGen.Generator.Parsing;

internal enum TokenKind
{
    Number,
    Identifier,
    Operator,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
    End,
}

internal readonly record struct Token(TokenKind Kind, string Text, Span Span);

/// <summary>Splits formula text into tokens; the first bad character becomes a diagnostic.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text, out FormulaDiagnostic? error)
    {
        var tokens = new List<Token>();
        error = null;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            int start = i;
            if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                i = ScanNumber(text, i);
                tokens.Add(new Token(TokenKind.Number, text.Substring(start, i - start), Span.FromBounds(start, i)));
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text.Substring(start, i - start), Span.FromBounds(start, i)));
                continue;
            }

            TokenKind kind;
            int length = 1;
            switch (c)
            {
                case '(': kind = TokenKind.OpenParen; break;
                case ')': kind = TokenKind.CloseParen; break;
                case '[': kind = TokenKind.OpenBracket; break;
                case ']': kind = TokenKind.CloseBracket; break;
                case ',': kind = TokenKind.Comma; break;
                case '+':
                case '-':
                case '/':
                case '|':
                    kind = TokenKind.Operator;
                    break;
                case '*':
                    kind = TokenKind.Operator;
                    length = Peek(text, i + 1) == '*' ? 2 : 1;
                    break;
                case '<':
                case '>':
                case '=':
                case '!':
                    kind = TokenKind.Operator;
                    length = Peek(text, i + 1) == '=' ? 2 : 1;
                    if (c == '!' && length == 1)
                    {
                        error = new FormulaDiagnostic(DiagnosticDescriptors.UnexpectedCharacter, new Span(i, 1), new[] { "!" });
                        return tokens;
                    }

                    break;
                case '^':
                case '%':
                case '&':
                case '~':
                case '@':
                    kind = TokenKind.Operator;
                    break;
                default:
                    error = new FormulaDiagnostic(DiagnosticDescriptors.UnexpectedCharacter, new Span(i, 1), new[] { Printable(c) });
                    return tokens;
            }

            i += length;
            tokens.Add(new Token(kind, text.Substring(start, length), Span.FromBounds(start, i)));
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, new Span(text.Length, 0)));
        return tokens;
    }

    private static char Peek(string text, int i) => i < text.Length ? text[i] : '\0';

    private static int ScanNumber(string text, int i)
    {
        while (i < text.Length && char.IsDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            int save = i;
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }

            if (i < text.Length && char.IsDigit(text[i]))
            {
                while (i < text.Length && char.IsDigit(text[i]))
                {
                    i++;
                }
            }
            else
            {
                i = save;
            }
        }

        // A trailing f/F/d/D suffix (as in C#) is accepted and ignored.
        if (i < text.Length && (text[i] == 'f' || text[i] == 'F' || text[i] == 'd' || text[i] == 'D')
            && !(i + 1 < text.Length && (char.IsLetterOrDigit(text[i + 1]) || text[i + 1] == '_')))
        {
            i++;
        }

        return i;
    }

    public static bool TryParseNumber(string text, out double value, out bool isInteger)
    {
        string digits = text.TrimEnd('f', 'F', 'd', 'D');
        isInteger = digits.IndexOf('.') < 0 && digits.IndexOf('e') < 0 && digits.IndexOf('E') < 0 && digits.Length == text.Length;
        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A character as a message shows it: control and invisible characters as U+XXXX, never raw (a NUL would cut the message).</summary>
    private static string Printable(char c)
        => char.IsControl(c) || char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.Surrogate
            ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            : c.ToString();
}
