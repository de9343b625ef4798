using System.Linq;
using System.Text;
using KeOpsGen.Generator.Models;
using KeOpsGen.Generator.Parsing;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// The formula parser: Python's precedence (which KeOps inherits), calls, literals, lists and the
/// spans that diagnostics point at. Trees are compared through a fully parenthesized printer
/// written here, so the expected strings state the intended grouping explicitly.
/// </summary>
public class ParserTests
{
    /// <summary>Fully parenthesized: every binary and unary node gets its own parentheses.</summary>
    private static string Tree(FormulaSyntax node)
    {
        var builder = new StringBuilder();
        Print(node, builder);
        return builder.ToString();
    }

    private static void Print(FormulaSyntax node, StringBuilder builder)
    {
        switch (node)
        {
            case NumberSyntax n:
                builder.Append(n.IsInteger ? "int:" : "float:").Append(n.Text);
                break;
            case NameSyntax n:
                builder.Append(n.Name);
                break;
            case UnarySyntax u:
                builder.Append('(').Append(u.Operator);
                Print(u.Operand, builder);
                builder.Append(')');
                break;
            case BinarySyntax b:
                builder.Append('(');
                Print(b.Left, builder);
                builder.Append(' ').Append(b.Operator).Append(' ');
                Print(b.Right, builder);
                builder.Append(')');
                break;
            case CallSyntax c:
                builder.Append(c.Name).Append('{');
                for (int i = 0; i < c.Arguments.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    Print(c.Arguments[i], builder);
                }

                builder.Append('}');
                break;
            case ListSyntax l:
                builder.Append('[');
                for (int i = 0; i < l.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    Print(l.Items[i], builder);
                }

                builder.Append(']');
                break;
            default:
                builder.Append("?").Append(node.GetType().Name);
                break;
        }
    }

    private static FormulaSyntax ParseOk(string text)
    {
        FormulaSyntax? syntax = Parser.Parse(text, out FormulaDiagnostic? error);
        Assert.True(error is null, $"'{text}' failed to parse: {error?.Descriptor.Id} {error?.Message}");
        Assert.NotNull(syntax);
        return syntax!;
    }

    [Theory]
    [InlineData("-x**2", "(-(x ** int:2))")]
    [InlineData("x**-2", "(x ** (-int:2))")]
    [InlineData("-x**-2", "(-(x ** (-int:2)))")]
    [InlineData("a|b+c", "(a | (b + c))")]
    [InlineData("a+b|c", "((a + b) | c)")]
    [InlineData("a|b|c", "((a | b) | c)")]
    [InlineData("a+b*c", "(a + (b * c))")]
    [InlineData("a*b+c", "((a * b) + c)")]
    [InlineData("a-b-c", "((a - b) - c)")]
    [InlineData("a/b/c", "((a / b) / c)")]
    [InlineData("a-b*c/d", "(a - ((b * c) / d))")]
    [InlineData("-a*b", "((-a) * b)")]
    [InlineData("a*-b", "(a * (-b))")]
    [InlineData("--a", "(-(-a))")]
    [InlineData("+a", "(+a)")]
    [InlineData("a**b**c", "(a ** (b ** c))")]
    [InlineData("2*x**3", "(int:2 * (x ** int:3))")]
    [InlineData("(a+b)*c", "((a + b) * c)")]
    [InlineData("a<b+c", "(a < (b + c))")]
    [InlineData("a|b < c", "((a | b) < c)")]
    [InlineData("a >= b", "(a >= b)")]
    [InlineData("Exp(-G*SqDist(X,Y))*B", "(Exp{((-G) * SqDist{X, Y})} * B)")]
    [InlineData("Square(p-a)*Exp(x+y)", "(Square{(p - a)} * Exp{(x + y)})")]
    public void PrecedenceAndAssociativity(string text, string expected)
    {
        Assert.Equal(expected, Tree(ParseOk(text)));
    }

    [Theory]
    [InlineData("3", true, 3.0)]
    [InlineData("0", true, 0.0)]
    [InlineData("2.5", false, 2.5)]
    [InlineData("0.5", false, 0.5)]
    [InlineData("1e-3", false, 0.001)]
    [InlineData("1.5e2", false, 150.0)]
    public void NumberLiterals(string text, bool isInteger, double value)
    {
        var number = Assert.IsType<NumberSyntax>(ParseOk(text));
        Assert.Equal(isInteger, number.IsInteger);
        Assert.Equal(value, number.Value);
        Assert.Equal(text, number.Text);
    }

    [Fact]
    public void CallsWithArgumentsAndLists()
    {
        Assert.Equal("Pow{x, int:3}", Tree(ParseOk("Pow(x,3)")));
        Assert.Equal("Elem{Exp{x}, int:0}", Tree(ParseOk("Elem( Exp(x) , 0 )")));
        Assert.Equal("TensorDot{a, b, [int:2, int:2], [int:2], [int:1], [int:0]}", Tree(ParseOk("TensorDot(a,b,[2,2],[2],[1],[0])")));
        Assert.Equal("[int:1, int:2]", Tree(ParseOk("[1,2]")));
        Assert.Equal("[]", Tree(ParseOk("[]")));
        Assert.Equal("F{}", Tree(ParseOk("F()")));
    }

    [Fact]
    public void SpansCoverTheSourceText()
    {
        const string text = "a + Exp(-b*c)";
        var sum = Assert.IsType<BinarySyntax>(ParseOk(text));
        Assert.Equal(new Span(0, text.Length), sum.Span);
        Assert.Equal(new Span(2, 1), sum.OperatorSpan);
        Assert.Equal(new Span(0, 1), sum.Left.Span);

        var call = Assert.IsType<CallSyntax>(sum.Right);
        Assert.Equal("Exp(-b*c)", text.Substring(call.Span.Start, call.Span.Length));
        Assert.Equal("Exp", text.Substring(call.NameSpan.Start, call.NameSpan.Length));

        var product = Assert.IsType<BinarySyntax>(call.Arguments.Single());
        Assert.Equal("-b*c", text.Substring(product.Span.Start, product.Span.Length));
        var negation = Assert.IsType<UnarySyntax>(product.Left);
        Assert.Equal("-b", text.Substring(negation.Span.Start, negation.Span.Length));
    }

    [Fact]
    public void ParenthesesWidenTheSpanOfTheInnerNode()
    {
        const string text = "2*(x + y)";
        var product = Assert.IsType<BinarySyntax>(ParseOk(text));
        var inner = Assert.IsType<BinarySyntax>(product.Right);
        Assert.Equal("(x + y)", text.Substring(inner.Span.Start, inner.Span.Length));
        Assert.Equal("+", inner.Operator);
    }

    [Fact]
    public void ListSpansIncludeBrackets()
    {
        const string text = "F(x, [1, 2])";
        var call = Assert.IsType<CallSyntax>(ParseOk(text));
        var list = Assert.IsType<ListSyntax>(call.Arguments[1]);
        Assert.Equal("[1, 2]", text.Substring(list.Span.Start, list.Span.Length));
        Assert.Equal("2", text.Substring(list.Items[1].Span.Start, list.Items[1].Span.Length));
    }

    [Theory]
    [InlineData("", "KEOPS0005")]
    [InlineData("   ", "KEOPS0005")]
    [InlineData("a+", null)]
    [InlineData("(a+b", null)]
    [InlineData("a+b)", null)]
    [InlineData("a ^ b", null)]
    [InlineData("a < b < c", null)]
    [InlineData("Exp(a,)", null)]
    [InlineData("a b", null)]
    public void MalformedFormulasAreDiagnosticsNotExceptions(string text, string? id)
    {
        FormulaSyntax? syntax = Parser.Parse(text, out FormulaDiagnostic? error);
        Assert.Null(syntax);
        Assert.NotNull(error);
        Assert.StartsWith("KEOPS", error!.Descriptor.Id);
        if (id is not null)
        {
            Assert.Equal(id, error.Descriptor.Id);
        }

        Assert.InRange(error.Span.Start, 0, text.Length);
        Assert.InRange(error.Span.End, error.Span.Start, text.Length);
    }

    [Fact]
    public void ErrorSpanPointsAtTheOffendingToken()
    {
        const string text = "a + b ^ c";
        Parser.Parse(text, out FormulaDiagnostic? error);
        Assert.NotNull(error);
        Assert.Equal("^", text.Substring(error!.Span.Start, error.Span.Length));
    }

    [Fact]
    public void DeepNestingIsRejectedWithoutStackOverflow()
    {
        string text = new string('(', 5000) + "x" + new string(')', 5000);
        FormulaSyntax? syntax = Parser.Parse(text, out FormulaDiagnostic? error);
        Assert.Null(syntax);
        Assert.NotNull(error);
    }
}
