namespace KeOpsGen.Generator.Parsing;

/// <summary>
/// Recursive-descent parser for KeOps formulas with Python's precedence, which KeOps inherits by
/// evaluating formulas as Python: comparisons &lt; <c>|</c> &lt; <c>+ -</c> &lt; <c>* /</c> &lt;
/// unary minus &lt; <c>**</c> (right side of <c>**</c> may itself be unary, as in <c>x**-2</c>).
/// It stops at the first error: later errors in a broken formula are mostly noise.
/// </summary>
internal sealed class Parser
{
    /// <summary>Nesting limit: deeper formulas are rejected instead of overflowing the stack.</summary>
    private const int MaxDepth = 200;

    /// <summary>
    /// Height limit of the syntax tree: long operator chains (a+b+c+...) nest without parentheses,
    /// and binding, simplification and differentiation recurse over the tree.
    /// </summary>
    private const int MaxHeight = 400;

    private readonly List<Token> _tokens;
    private int _position;
    private int _depth;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static FormulaSyntax? Parse(string text, out FormulaDiagnostic? error)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            error = new FormulaDiagnostic(DiagnosticDescriptors.EmptyFormula, new Span(0, text?.Length ?? 0), Array.Empty<string>());
            return null;
        }

        List<Token> tokens = Lexer.Tokenize(text, out error);
        if (error is not null)
        {
            return null;
        }

        var parser = new Parser(tokens);
        try
        {
            FormulaSyntax result = parser.ParseExpression();
            Token next = parser.Current;
            if (next.Kind != TokenKind.End)
            {
                throw next.Kind == TokenKind.CloseParen
                    ? Fail(DiagnosticDescriptors.UnbalancedParenthesis, next.Span, "Unexpected ')' with no matching '('")
                    : Fail(DiagnosticDescriptors.ExpectedToken, next.Span, "an operator or the end of the formula", Describe(next));
            }

            return result;
        }
        catch (ParseException e)
        {
            error = e.Diagnostic;
            return null;
        }
    }

    private Token Current => _tokens[_position];

    private Token Advance() => _tokens[_position++];

    private bool IsOperator(string text) => Current.Kind == TokenKind.Operator && Current.Text == text;

    private FormulaSyntax ParseExpression()
    {
        if (++_depth > MaxDepth)
        {
            throw Fail(DiagnosticDescriptors.FormulaTooLarge, Current.Span, $"The formula is nested more than {MaxDepth} levels deep");
        }

        try
        {
            return ParseComparison();
        }
        finally
        {
            _depth--;
        }
    }

    private FormulaSyntax ParseComparison()
    {
        FormulaSyntax left = ParseScalarProduct();
        if (Current.Kind == TokenKind.Operator)
        {
            switch (Current.Text)
            {
                case "<":
                case ">":
                case "<=":
                case ">=":
                    Token op = Advance();
                    FormulaSyntax right = ParseScalarProduct();
                    if (Current.Kind == TokenKind.Operator && Current.Text is "<" or ">" or "<=" or ">=")
                    {
                        throw Fail(DiagnosticDescriptors.UnsupportedOperator, Current.Span, Current.Text, "chained comparisons are ambiguous; add parentheses");
                    }

                    left = Bounded(new BinarySyntax(left.Span.Union(right.Span), op.Text, op.Span, left, right), op.Span);
                    break;
            }
        }

        CheckUnsupported();
        return left;
    }

    private FormulaSyntax ParseScalarProduct() => ParseLeftAssociative(ParseAdditive, "|", null);

    private FormulaSyntax ParseAdditive() => ParseLeftAssociative(ParseTerm, "+", "-");

    private FormulaSyntax ParseTerm() => ParseLeftAssociative(ParseUnary, "*", "/");

    /// <summary>A chain of left-associative operators of one precedence level, over operands of the next level.</summary>
    private FormulaSyntax ParseLeftAssociative(Func<FormulaSyntax> operand, string first, string? second)
    {
        FormulaSyntax left = operand();
        while (IsOperator(first) || (second is not null && IsOperator(second)))
        {
            Token op = Advance();
            FormulaSyntax right = operand();
            left = Bounded(new BinarySyntax(left.Span.Union(right.Span), op.Text, op.Span, left, right), op.Span);
        }

        return left;
    }

    private FormulaSyntax ParseUnary()
    {
        if (IsOperator("-") || IsOperator("+"))
        {
            if (++_depth > MaxDepth)
            {
                throw Fail(DiagnosticDescriptors.FormulaTooLarge, Current.Span, $"The formula is nested more than {MaxDepth} levels deep");
            }

            try
            {
                Token op = Advance();
                FormulaSyntax operand = ParseUnary();
                return Bounded(new UnarySyntax(op.Span.Union(operand.Span), op.Text, operand), op.Span);
            }
            finally
            {
                _depth--;
            }
        }

        return ParsePower();
    }

    private FormulaSyntax ParsePower()
    {
        FormulaSyntax left = ParsePrimary();
        if (IsOperator("**"))
        {
            Token op = Advance();
            // '**' is right-associative: X**X**X... recurses here without passing ParseExpression.
            if (++_depth > MaxDepth)
            {
                throw Fail(DiagnosticDescriptors.FormulaTooLarge, op.Span, $"The formula is nested more than {MaxDepth} levels deep");
            }

            FormulaSyntax right;
            try
            {
                right = ParseUnary();
            }
            finally
            {
                _depth--;
            }

            return Bounded(new BinarySyntax(left.Span.Union(right.Span), op.Text, op.Span, left, right), op.Span);
        }

        return left;
    }

    private FormulaSyntax ParsePrimary()
    {
        Token token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                if (!Lexer.TryParseNumber(token.Text, out double value, out bool isInteger))
                {
                    throw Fail(DiagnosticDescriptors.InvalidNumber, token.Span, token.Text);
                }

                return new NumberSyntax(token.Span, token.Text, value, isInteger);

            case TokenKind.Identifier:
                Advance();
                if (Current.Kind != TokenKind.OpenParen)
                {
                    return new NameSyntax(token.Span, token.Text);
                }

                Token open = Advance();
                List<FormulaSyntax> arguments = ParseSequence(open, TokenKind.CloseParen, out Token close);
                return Bounded(new CallSyntax(token.Span.Union(close.Span), token.Text, token.Span, arguments.ToEquatableArray()), token.Span);

            case TokenKind.OpenParen:
            {
                Token openParen = Advance();
                if (Current.Kind == TokenKind.CloseParen)
                {
                    throw Fail(DiagnosticDescriptors.ExpectedExpression, Span.FromBounds(openParen.Span.Start, Current.Span.End), "inside '()'");
                }

                FormulaSyntax inner = ParseExpression();
                if (Current.Kind != TokenKind.CloseParen)
                {
                    throw Current.Kind == TokenKind.End
                        ? Fail(DiagnosticDescriptors.UnbalancedParenthesis, openParen.Span, "'(' is never closed")
                        : Fail(DiagnosticDescriptors.ExpectedToken, Current.Span, "')'", Describe(Current));
                }

                Token closeParen = Advance();
                return inner with { Span = openParen.Span.Union(closeParen.Span) };
            }

            case TokenKind.OpenBracket:
            {
                Token openBracket = Advance();
                List<FormulaSyntax> items = ParseSequence(openBracket, TokenKind.CloseBracket, out Token closeBracket);
                return Bounded(new ListSyntax(openBracket.Span.Union(closeBracket.Span), items.ToEquatableArray()), openBracket.Span);
            }

            case TokenKind.CloseParen:
                throw _position > 0 && _tokens[_position - 1].Kind is TokenKind.Comma
                    ? Fail(DiagnosticDescriptors.ExpectedExpression, token.Span, "after ','")
                    : Fail(DiagnosticDescriptors.UnbalancedParenthesis, token.Span, "Unexpected ')' with no matching '('");

            case TokenKind.End:
                throw _position > 0 && _tokens[_position - 1].Kind == TokenKind.Operator
                    ? Fail(DiagnosticDescriptors.ExpectedExpression, _tokens[_position - 1].Span, $"after '{_tokens[_position - 1].Text}' at the end of the formula")
                    : Fail(DiagnosticDescriptors.ExpectedExpression, token.Span, "at the end of the formula");

            case TokenKind.Operator:
                CheckUnsupported();
                throw Fail(DiagnosticDescriptors.ExpectedExpression, token.Span, $"before '{token.Text}'");

            default:
                throw Fail(DiagnosticDescriptors.ExpectedExpression, token.Span, $"before {Describe(token)}");
        }
    }

    private List<FormulaSyntax> ParseSequence(Token open, TokenKind closeKind, out Token close)
    {
        var items = new List<FormulaSyntax>();
        string closeText = closeKind == TokenKind.CloseParen ? "')'" : "']'";
        if (Current.Kind == closeKind)
        {
            close = Advance();
            return items;
        }

        while (true)
        {
            if (Current.Kind == TokenKind.End)
            {
                throw Fail(DiagnosticDescriptors.UnbalancedParenthesis, open.Span, $"'{open.Text}' is never closed");
            }

            items.Add(ParseExpression());
            if (Current.Kind == TokenKind.Comma)
            {
                Advance();
                continue;
            }

            if (Current.Kind == closeKind)
            {
                close = Advance();
                return items;
            }

            if (Current.Kind == TokenKind.End)
            {
                throw Fail(DiagnosticDescriptors.UnbalancedParenthesis, open.Span, $"'{open.Text}' is never closed");
            }

            CheckUnsupported();
            throw Fail(DiagnosticDescriptors.ExpectedToken, Current.Span, $"',' or {closeText}", Describe(Current));
        }
    }

    private void CheckUnsupported()
    {
        if (Current.Kind != TokenKind.Operator)
        {
            return;
        }

        string? hint = Current.Text switch
        {
            "==" => "it compares formula trees in KeOps; use Equal(f,g) for the elementwise test",
            "!=" => "it compares formula trees in KeOps; use NotEqual(f,g) for the elementwise test",
            "=" => "assignments belong in the variable declarations, not in the formula",
            "^" => "use '**' or Pow(f,m) for powers",
            "%" => "use Mod(x,n,d)",
            "&" => "use Mult of comparisons for a logical and",
            "~" => "there is no bitwise not",
            "@" => "use MatVecMult(A,b) or TensorDot",
            _ => null,
        };
        if (hint is not null)
        {
            throw Fail(DiagnosticDescriptors.UnsupportedOperator, Current.Span, Current.Text, hint);
        }
    }

    private static FormulaSyntax Bounded(FormulaSyntax node, Span at)
        => node.Height <= MaxHeight ? node
            : throw Fail(DiagnosticDescriptors.FormulaTooLarge, at, $"The formula is more than {MaxHeight} operations deep; balance long operator chains with parentheses, as in (a+b)+(c+d)");

    private static string Describe(Token token) => token.Kind == TokenKind.End ? "the end of the formula" : $"'{token.Text}'";

    private static ParseException Fail(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, Span span, params string[] arguments)
        => new(new FormulaDiagnostic(descriptor, span, arguments));

    private sealed class ParseException : Exception
    {
        public ParseException(FormulaDiagnostic diagnostic) => Diagnostic = diagnostic;

        public FormulaDiagnostic Diagnostic { get; }
    }
}
