using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Models;
using KeOpsGen.Generator.Parsing;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// Binding: declarations, dimension inference and KeOps's broadcasting rule, the mapping of
/// <c>**</c> and comparisons onto operations, alias expansion and the simplifying constructors.
/// Results are checked through <see cref="Shape"/>, a structural printer written here
/// (operation name, dimension, arguments), so the expectations do not depend on the IR's own
/// pretty-printer.
/// </summary>
public class BinderTests
{
    private static readonly string[] Declarations = { "x = Vi(3)", "y = Vj(3)", "s = Vi(1)", "t = Vj(1)", "g = Pm(1)", "w = Pm(2)" };

    /// <summary>Op[dim](args) for operations, name[dim] for variables, the value for constants.</summary>
    private static string Shape(Formula f)
    {
        var builder = new StringBuilder();
        Write(f, builder);
        return builder.ToString();
    }

    private static void Write(Formula f, StringBuilder builder)
    {
        if (f.IsVariable)
        {
            builder.Append(f.Name).Append('[').Append(f.Dim).Append(']');
            return;
        }

        if (f.IsConstant)
        {
            builder.Append(f.Value.ToString("R", CultureInfo.InvariantCulture));
            return;
        }

        builder.Append(f.Op.Name).Append('[').Append(f.Dim).Append("](");
        bool first = true;
        foreach (Formula a in f.Args)
        {
            builder.Append(first ? string.Empty : ", ");
            first = false;
            Write(a, builder);
        }

        if (f.Op.Name is "Pow" or "Elem" or "Zero" or "SumT")
        {
            builder.Append(first ? string.Empty : "; ").Append(string.Join(",", IntArgs.Decode(f.Ints).List(0)));
        }

        builder.Append(')');
    }

    private static List<VariableDeclaration> Parse(params string[] declarations)
    {
        var result = new List<VariableDeclaration>();
        for (int k = 0; k < declarations.Length; k++)
        {
            VariableDeclaration? d = DeclarationParser.Parse(declarations[k], k, out FormulaDiagnostic? error);
            Assert.True(error is null, $"'{declarations[k]}': {error?.Message}");
            result.Add(d!);
        }

        return result;
    }

    private static Formula BindOk(string formula, params string[] declarations)
    {
        var binder = new Binder(Parse(declarations.Length == 0 ? Declarations : declarations));
        Formula? result = binder.Bind(formula, out FormulaDiagnostic? error);
        Assert.True(error is null, $"'{formula}': {error?.Descriptor.Id} {error?.Message}");
        return result!;
    }

    private static FormulaDiagnostic BindError(string formula, params string[] declarations)
    {
        var binder = new Binder(Parse(declarations.Length == 0 ? Declarations : declarations));
        Formula? result = binder.Bind(formula, out FormulaDiagnostic? error);
        Assert.True(result is null, $"'{formula}' bound to {result} but should fail");
        Assert.NotNull(error);
        return error!;
    }

    // ---- Declarations ------------------------------------------------------------------------

    [Theory]
    [InlineData("X = Vi(3)", 5, "X", 0, 3, 5)]
    [InlineData("Y = Vj(0,3)", 5, "Y", 1, 3, 0)]
    [InlineData("G = Pm(1)", 2, "G", 2, 1, 2)]
    [InlineData("Vi(0,3)", 4, null, 0, 3, 0)]
    [InlineData("Var(0,3,0)", 4, null, 0, 3, 0)]
    [InlineData("Z = Var(2,4,1)", 0, "Z", 1, 4, 2)]
    [InlineData("P = Var(1,2,2)", 0, "P", 2, 2, 1)]
    [InlineData("A = Vx(2)", 1, "A", 0, 2, 1)]
    [InlineData("B = Vy(1,5)", 0, "B", 1, 5, 1)]
    [InlineData("  spaced   =   Vj( 7 ) ", 3, "spaced", 1, 7, 3)]
    public void DeclarationsAreParsed(string text, int index, string? name, int category, int dim, int position)
    {
        VariableDeclaration? d = DeclarationParser.Parse(text, index, out FormulaDiagnostic? error);
        Assert.True(error is null, error?.Message);
        Assert.NotNull(d);
        Assert.Equal(name, d!.Name);
        Assert.Equal(category, (int)d.Category);
        Assert.Equal(dim, d.Dim);
        Assert.Equal(position, d.Position);
        Assert.Equal(index, d.Index);
    }

    [Fact]
    public void DeclarationSpansPointIntoTheText()
    {
        const string text = "Y = Vj(4,3)";
        VariableDeclaration d = DeclarationParser.Parse(text, 0, out _)!;
        Assert.Equal("Y", text.Substring(d.NameSpan.Start, d.NameSpan.Length));
        Assert.Equal("Vj", text.Substring(d.CategorySpan.Start, d.CategorySpan.Length));
        Assert.Equal("3", text.Substring(d.DimSpan.Start, d.DimSpan.Length));
        Assert.Equal("4", text.Substring(d.PositionSpan.Start, d.PositionSpan.Length));
    }

    [Theory]
    [InlineData("X = Vk(3)", "Vk")]
    [InlineData("X = Vi(0)", "0")]
    [InlineData("X = Vi(1,2,3)", "Vi(1,2,3)")]
    [InlineData("X = Var(0,3)", "Var(0,3)")]
    [InlineData("X = Var(0,3,5)", "5")]
    [InlineData("X = Vi(2.5)", "2.5")]
    [InlineData("1X = Vi(3)", "1X")]
    [InlineData("X = Vi(3", null)]
    public void BadDeclarationsAreDiagnosticsWithSpans(string text, string? spanText)
    {
        VariableDeclaration? d = DeclarationParser.Parse(text, 0, out FormulaDiagnostic? error);
        Assert.Null(d);
        Assert.NotNull(error);
        Assert.InRange(error!.Span.End, error.Span.Start, text.Length);
        if (spanText is not null)
        {
            Assert.Equal(spanText, text.Substring(error.Span.Start, error.Span.Length));
        }
    }

    [Fact]
    public void VarCallInTheFormulaReachesAnUnnamedDeclaration()
    {
        Formula f = BindOk("Var(0,3,0) + Var(1,3,1)", "Vi(0,3)", "Vj(1,3)");
        Assert.Equal("Add[3](Var(0,3,0)[3], Var(1,3,1)[3])", Shape(f));
        Assert.Equal("KEOPS0104", BindError("Var(0,2,0)", "Vi(0,3)").Descriptor.Id);
        Assert.Equal("KEOPS0106", BindError("Var(5,3,0)", "Vi(0,3)").Descriptor.Id);
    }

    // ---- Dimensions and broadcasting ---------------------------------------------------------

    [Theory]
    [InlineData("x + y", 3)]
    [InlineData("x * s", 3)]
    [InlineData("s - x", 3)]
    [InlineData("s / t", 1)]
    [InlineData("x + 1", 3)]
    [InlineData("Exp(x)", 3)]
    [InlineData("Sum(x)", 1)]
    [InlineData("Elem(x, 2)", 1)]
    [InlineData("x | y", 1)]
    [InlineData("SqDist(x, y)", 1)]
    [InlineData("Norm2(x)", 1)]
    [InlineData("w * g", 2)]
    [InlineData("Exp(-g*SqDist(x,y)) * y", 3)]
    public void DimensionIsInferred(string formula, int dim)
    {
        Assert.Equal(dim, BindOk(formula).Dim);
    }

    [Theory]
    [InlineData("x + w", 2)]
    [InlineData("x * w", 2)]
    [InlineData("w - y", 2)]
    [InlineData("x / w", 2)]
    [InlineData("x | w", 2)]
    [InlineData("x | s", 1)]
    [InlineData("Exp(x) + w", 2)]
    [InlineData("x ** w", 2)]
    public void MismatchedDimensionsAreErrors(string formula, int otherDim)
    {
        FormulaDiagnostic error = BindError(formula);
        Assert.Equal("KEOPS0104", error.Descriptor.Id);
        Assert.Contains("3", error.Message);
        Assert.Contains(otherDim.ToString(CultureInfo.InvariantCulture), error.Message);
        Assert.Equal(formula, formula.Substring(error.Span.Start, error.Span.Length));
    }

    [Fact]
    public void UndeclaredNamesAndUnknownOperationsAreErrors()
    {
        Assert.Equal("KEOPS0106", BindError("x + q").Descriptor.Id);
        Assert.Equal("KEOPS0101", BindError("Expp(x)").Descriptor.Id);
        Assert.Equal("KEOPS0102", BindError("Exp(x, y)").Descriptor.Id);
        Assert.Equal("KEOPS0112", BindError("Exp + x").Descriptor.Id);
        Assert.Equal("KEOPS0103", BindError("Pow(x, 1.5)").Descriptor.Id);
        Assert.Equal("KEOPS0110", BindError("x / 0").Descriptor.Id);
        Assert.Equal("KEOPS0113", BindError("x + [1,2]").Descriptor.Id);
    }

    // ---- Operators -----------------------------------------------------------------------------

    [Theory]
    [InlineData("x**2", "Square[3](x[3])")]
    [InlineData("x**3", "Pow[3](x[3]; 3)")]
    [InlineData("x**-2", "Pow[3](x[3]; -2)")]
    [InlineData("x**-1", "Inv[3](x[3])")]
    [InlineData("x**1", "x[3]")]
    [InlineData("x**0.5", "Sqrt[3](x[3])")]
    [InlineData("x**-0.5", "Rsqrt[3](x[3])")]
    [InlineData("x**1.5", "Powf[3](x[3], 1.5)")]
    [InlineData("x**s", "Powf[3](x[3], s[1])")]
    [InlineData("-x**2", "Minus[3](Square[3](x[3]))")]
    [InlineData("x**2.0", "Square[3](x[3])")]
    public void PowerOperatorMapsOntoOperations(string formula, string shape)
    {
        Assert.Equal(shape, Shape(BindOk(formula)));
    }

    [Theory]
    [InlineData("s < t", "LessThan[1](s[1], t[1])")]
    [InlineData("s > t", "LessThan[1](t[1], s[1])")]
    [InlineData("s <= t", "LessOrEqual[1](s[1], t[1])")]
    [InlineData("s >= t", "LessOrEqual[1](t[1], s[1])")]
    [InlineData("x | y", "Scalprod[1](x[3], y[3])")]
    [InlineData("x|y+x", "Scalprod[1](x[3], Add[3](y[3], x[3]))")]
    [InlineData("(x|y)+s", "Add[1](Scalprod[1](x[3], y[3]), s[1])")]
    public void ComparisonsAndScalarProduct(string formula, string shape)
    {
        Assert.Equal(shape, Shape(BindOk(formula)));
    }

    // ---- Aliases and simplification ------------------------------------------------------------

    [Fact]
    public void AliasesExpandIntoCoreOperations()
    {
        Formula sqDist = BindOk("SqDist(x, y)");
        Assert.Equal(BindOk("SqNorm2(x - y)"), sqDist);
        Assert.Equal("Scalprod[1](Subtract[3](x[3], y[3]), Subtract[3](x[3], y[3]))", Shape(sqDist));
        Assert.Equal("Square[1](Subtract[1](s[1], t[1]))", Shape(BindOk("SqDist(s, t)")));
        Assert.Equal("Sqrt[1](Scalprod[1](x[3], x[3]))", Shape(BindOk("Norm2(x)")));
        Assert.DoesNotContain(BindOk("Exp(-g*SqDist(x,y))").PostOrder(), n => n.Op.IsAlias);
    }

    [Theory]
    [InlineData("0*x", "Zero[3](3)")]
    [InlineData("x*0", "Zero[3](3)")]
    [InlineData("x - x", "Zero[3](3)")]
    [InlineData("1*x", "x[3]")]
    [InlineData("x*1", "x[3]")]
    [InlineData("x + 0", "x[3]")]
    [InlineData("x/1", "x[3]")]
    [InlineData("2*3 + 1", "7")]
    [InlineData("2**3", "8")]
    [InlineData("Exp(0)", "1")]
    [InlineData("-(-x)", "x[3]")]
    [InlineData("Exp(x)*Exp(y)", "Exp[3](Add[3](x[3], y[3]))")]
    [InlineData("x*x", "Square[3](x[3])")]
    [InlineData("x + x", "Mult[3](2, x[3])")]
    [InlineData("x*2", "Mult[3](2, x[3])")]
    [InlineData("2*(3*x)", "Mult[3](6, x[3])")]
    [InlineData("Sum(x*y)", "Scalprod[1](x[3], y[3])")]
    public void SimplifyingConstructors(string formula, string shape)
    {
        Assert.Equal(shape, Shape(BindOk(formula)));
    }

    [Fact]
    public void ZeroTimesScalarKeepsTheBroadcastDimension()
    {
        // 0*s is a scalar zero, but 0*s*x must still be a vector of dimension 3.
        Formula f = BindOk("0*s*x");
        Assert.True(f.IsZero);
        Assert.Equal(3, f.Dim);
    }

    [Fact]
    public void PrintedFormulasParseBackToTheSameTree()
    {
        // ToString is KeOps syntax: binding it again must give a structurally equal formula.
        string[] formulas =
        {
            "Exp(-g*SqDist(x,y))*y", "Square(g-t)*Exp(x+y)", "-x**3 + s*Log(t)", "(x|y) - Sum(x)/s", "x**-0.5 * Sin(y) - Cos(s)**2",
            "Abs(x - y) / (1 + Elem(x, 1))", "Inv(s) * Rsqrt(t) * Pow(x, 4)",
        };
        foreach (string text in formulas)
        {
            Formula f = BindOk(text);
            Formula again = BindOk(f.ToString());
            Assert.True(f.Equals(again), $"'{text}' printed as '{f}' which binds to '{again}'");
        }
    }

    [Fact]
    public void UsedPositionsRecordTheReferencedVariables()
    {
        var binder = new Binder(Parse(Declarations));
        binder.Bind("x + g*s", out _);
        Assert.Equal(new[] { 0, 2, 4 }, binder.UsedPositions.OrderBy(p => p));
    }
}
