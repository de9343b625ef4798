using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using KeOpsGen.Generator.Diagnostics;
using KeOpsGen.Tests.Generator;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace KeOpsGen.Tests.Diagnostics;

/// <summary>
/// Malformed [Reduction] methods through the real generator: each case marks the characters the
/// diagnostic must cover with [|...|] in its C# source, and the test checks the id and that exact
/// span, that nothing else is reported, and that Roslyn adds no CS error of its own (the failed
/// method still gets a throwing implementation part, so no CS8795 cascade).
/// </summary>
public sealed class DiagnosticTests
{
    /// <summary>One malformed source: where the [|marked|] span is, which id, and which CS errors Roslyn may add.</summary>
    internal sealed record Case(string Id, string MarkedSource, string? MessagePart = null, string[]? CsErrors = null);

    private const string Inputs = "ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> r";

    private static string Method(string attribute, string parameters = Inputs, string signature = "public static partial void M", string extra = "")
        => $$"""
        using System;
        using KeOpsGen;

        namespace Probe;

        public static partial class K
        {
            {{extra}}
            {{attribute}}
            {{signature}}({{parameters}});
        }
        """;

    private static string Formula(string formula, string x = "X = Vi(3)", string y = "Y = Vj(3)")
        => Method($"[Reduction({formula}, \"{x}\", \"{y}\")]");

    internal static readonly Dictionary<string, Case> Cases = new()
    {
        // ---- Syntax -----------------------------------------------------------------------
        ["UnclosedParenthesis"] = new("KEOPS0002", Formula("\"Exp[|(|]-SqDist(X,Y)\"")),
        ["ExtraClosingParenthesis"] = new("KEOPS0002", Formula("\"Exp(-SqDist(X,Y))[|)|]\"")),
        ["TrailingOperator"] = new("KEOPS0003", Formula("\"Exp(-SqDist(X,Y)) [|*|]\"")),
        ["IllegalCharacter"] = new("KEOPS0001", Formula("\"Exp(-SqDist(X,Y)) [|$|] 2\"")),
        ["EmptyFormula"] = new("KEOPS0005", Formula("[|\"\"|]")),
        ["MissingComma"] = new("KEOPS0004", Formula("\"SqDist(X [|Y|])\"")),
        ["UnsupportedOperator"] = new("KEOPS0006", Formula("\"X [|==|] Y\"")),

        // ---- Meaning ----------------------------------------------------------------------
        ["UnknownOperation"] = new("KEOPS0101", Formula("\"[|Exq|](-SqDist(X,Y))\""), "did you mean 'Exp'"),
        ["WrongArity"] = new("KEOPS0102", Formula("\"Exp(-[|SqDist(X)|])\"")),
        ["ElemFloatIndex"] = new("KEOPS0103", Formula("\"Elem(X,[|1.5|]) * Y\"")),
        ["ElemVariableIndex"] = new("KEOPS0103", Formula("\"Elem(X,[|Y|])\"")),
        ["AddDimensionMismatch"] = new("KEOPS0104", Formula("\"Exp([|X+Y|])\"", y: "Y = Vj(2)")),
        ["ScalprodDimensionMismatch"] = new("KEOPS0104", Formula("\"Exp(-[|(X|Y)|])\"", y: "Y = Vj(2)")),
        ["ElemOutOfRange"] = new("KEOPS0105", Formula("\"Elem(X,[|3|]) * Y\"")),
        ["ExtractOutOfRange"] = new("KEOPS0105", Formula("\"Extract(X,[|2|],2) * Y\"")),
        ["UndeclaredVariable"] = new("KEOPS0106", Method("[Reduction(\"Exp(-SqDist(X,Y)) * [|Sigmaa|]\", \"X = Vi(3)\", \"Y = Vj(3)\", \"Sigma = Pm(1)\")]", "ReadOnlySpan<float> x, ReadOnlySpan<float> y, float sigma, Span<float> r"), "did you mean 'Sigma'"),
        ["UnusedVariable"] = new("KEOPS0107", Method("[Reduction(\"Exp(-SqDist(X,Y))\", \"X = Vi(3)\", \"Y = Vj(3)\", \"[|Sigma|] = Pm(1)\")]", "ReadOnlySpan<float> x, ReadOnlySpan<float> y, float sigma, Span<float> r")),
        ["UnknownCategory"] = new("KEOPS0108", Formula("\"X - Y\"", y: "Y = [|Vk|](3)"), "did you mean 'Vi'"),
        ["DeclarationWithoutEquals"] = new("KEOPS0008", Formula("\"X - Y\"", y: "Y [|Vj|](3)")),
        ["ZeroDimension"] = new("KEOPS0108", Formula("\"X - Y\"", y: "Y = Vj([|0|])")),
        ["DuplicateName"] = new("KEOPS0108", Formula("\"X - X\"", y: "[|X|] = Vj(3)")),
        ["DuplicatePosition"] = new("KEOPS0108", Formula("\"X - Y\"", y: "Y = Vj([|0|],3)")),
        ["GradTargetNotVariable"] = new("KEOPS0109", Method("[Reduction(\"Grad(SqDist(X,Y), [|X+Y|], G)\", \"X = Vi(3)\", \"Y = Vj(3)\", \"G = Pm(1)\")]", "ReadOnlySpan<float> x, ReadOnlySpan<float> y, float g, Span<float> r")),
        ["GradSeedWrongDimension"] = new("KEOPS0104", Formula("\"Grad(SqDist(X,Y), X, [|Y|])\"")),

        // ---- Formula strings in every C# form -------------------------------------------------
        ["VerbatimString"] = new("KEOPS0101", Formula("@\"Exp(-SqDist(X,Y)) * [|Foo|](X)\"")),
        ["VerbatimStringWithQuotes"] = new("KEOPS0001", Formula("@\"Exp(-SqDist(X,Y)) [|\"\"|] X\"")),
        ["RawStringSingleLine"] = new("KEOPS0101", Formula("\"\"\"Exp(-SqDist(X,Y)) * [|Foo|](X)\"\"\"")),
        ["RawStringMultiLine"] = new("KEOPS0101", Formula("\"\"\"\n            Exp(-SqDist(X,Y))\n                * [|Foo|](X)\n            \"\"\"")),
        ["EscapedTab"] = new("KEOPS0106", Formula("\"Exp(-SqDist(X,Y))\\t* [|B|]\"")),
        ["UnicodeEscape"] = new("KEOPS0001", Formula("\"Exp(-SqDist(X,Y)) [|\\u0024|] X\"")),
        ["ConstConcatenation"] = new("KEOPS0101", Method("[Reduction(Prefix + \"Exp([|Foo|](X))\", \"X = Vi(3)\", \"Y = Vj(3)\")]", extra: "private const string Prefix = \"Sum(X-Y) * \";")),
        ["ErrorInsideConst"] = new("KEOPS0101", Method("[Reduction([|Prefix|] + \"Exp(X)\", \"X = Vi(3)\", \"Y = Vj(3)\")]", extra: "private const string Prefix = \"Foo(Y) * \";")),
        ["ErrorInsideQualifiedConst"] = new("KEOPS0101", Method("[Reduction(\"Exp(X) + \" + [|K.Suffix|], \"X = Vi(3)\", \"Y = Vj(3)\")]", extra: "private const string Suffix = \"Foo(Y)\";")),
        ["ErrorInDeclarationConst"] = new("KEOPS0108", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", [|YDecl|])]", extra: "private const string YDecl = \"Y = Vj(0)\";")),
        ["WeightString"] = new("KEOPS0106", Method("[Reduction(\"Sum(X*Y)\", \"X = Vi(3)\", \"Y = Vj(3)\", Op = ReductionOp.LogSumExp, Weight = \"Y + [|Q|]\")]")),

        // ---- Signature ------------------------------------------------------------------------
        ["ParameterCount"] = new("KEOPS0202", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\")]", "ReadOnlySpan<float> x, Span<float> r", "public static partial void [|M|]")),
        ["ElementTypeMix"] = new("KEOPS0203", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\")]", "ReadOnlySpan<float> x, ReadOnlySpan<double> [|y|], Span<float> r")),
        ["SpanInput"] = new("KEOPS0203", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\")]", "ReadOnlySpan<float> x, Span<float> [|y|], Span<float> r")),
        ["OutputType"] = new("KEOPS0203", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\")]", "ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> [|r|]")),
        ["NonVoidReturn"] = new("KEOPS0201", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\")]", signature: "public static partial int [|M|]"), CsErrors: new[] { "CS8795" }),
        ["NotPartial"] = new("KEOPS0201", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\")]", signature: "public static void [|M|]").Replace("Span<float> r);", "Span<float> r) { }", StringComparison.Ordinal)),
        ["NotStatic"] = new("KEOPS0201", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\")]", signature: "public partial void [|M|]").Replace("public static partial class", "public partial class", StringComparison.Ordinal), CsErrors: new[] { "CS8795" }),
        ["ImplicitlyPrivate"] = new("KEOPS0101", Method("[Reduction(\"[|Foo|](X - Y)\", \"X = Vi(3)\", \"Y = Vj(3)\")]", signature: "static partial void M")),
        ["InternalInNestedType"] = new("KEOPS0101", Method("[Reduction(\"[|Foo|](X - Y)\", \"X = Vi(3)\", \"Y = Vj(3)\")]", signature: "internal static partial void M").Replace("public static partial class K", "public static partial class Outer { public partial class K", StringComparison.Ordinal) + "}"),
        ["Generic"] = new("KEOPS0201", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\")]", signature: "public static partial void [|M|]<T>"), CsErrors: new[] { "CS8795" }),

        // ---- Reduction options ------------------------------------------------------------------
        ["KMinWithoutK"] = new("KEOPS0205", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\", [|Op = ReductionOp.KMin|])]")),
        ["KOnSum"] = new("KEOPS0205", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\", [|K = 2|])]")),
        ["LogSumExpOfVector"] = new("KEOPS0205", Method("[Reduction(\"[|X - Y|]\", \"X = Vi(3)\", \"Y = Vj(3)\", Op = ReductionOp.LogSumExp)]")),
        ["WeightOnMin"] = new("KEOPS0205", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\", Op = ReductionOp.Min, [|Weight = \"Y\"|])]")),
        ["SumSoftMaxWeightWithoutWeight"] = new("KEOPS0205", Method("[Reduction(\"Sum(X - Y)\", \"X = Vi(3)\", \"Y = Vj(3)\", [|Op = ReductionOp.SumSoftMaxWeight|])]")),
        ["AxisTwo"] = new("KEOPS0205", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\", [|Axis = 2|])]")),
        ["NoReducedVariable"] = new("KEOPS0204", Method("[Reduction(\"Exp(X)\", \"X = Vi(3)\")]", "ReadOnlySpan<float> x, Span<float> r", "public static partial void [|M|]")),
        ["SumSchemeOnMin"] = new("KEOPS0205", Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\", Op = ReductionOp.Min, [|SumScheme = SumScheme.Kahan|])]")),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => new object[] { k });

    /// <summary>Removes the [|...|] markers; returns the clean source and the marked span in it.</summary>
    internal static (string Source, TextSpan Span) Unmark(string marked)
    {
        int open = marked.IndexOf("[|", StringComparison.Ordinal);
        int close = marked.IndexOf("|]", open + 2, StringComparison.Ordinal);
        if (open < 0 || close < 0 || marked.IndexOf("[|", close, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException("a case needs exactly one [|...|] span:\n" + marked);
        }

        string source = marked.Substring(0, open) + marked.Substring(open + 2, close - open - 2) + marked.Substring(close + 2);
        return (source, new TextSpan(open, close - open - 2));
    }

    /// <summary>The generator's single diagnostic for a case, after checking id, span and the absence of a cascade.</summary>
    internal static Diagnostic RunCase(string name, out string source) => Check(name, Cases[name], out source);

    /// <summary>Runs one case (from any table of cases) and checks id, span and the absence of a cascade.</summary>
    internal static Diagnostic Check(string name, Case c, out string source)
    {
        (source, TextSpan expected) = Unmark(c.MarkedSource);
        GeneratorOutput output = GeneratorDriverHelper.Run(source);

        Diagnostic diagnostic = Assert.Single(output.GeneratorDiagnostics);
        string actualText = Slice(source, diagnostic.Location.SourceSpan);
        Assert.True(c.Id == diagnostic.Id, $"{name}: expected {c.Id}, got {diagnostic}");
        Assert.True(expected == diagnostic.Location.SourceSpan,
            $"{name}: expected the span '{Slice(source, expected)}' {expected}, got '{actualText}' {diagnostic.Location.SourceSpan}: {diagnostic}");
        Assert.Equal("Input0.cs", diagnostic.Location.GetLineSpan().Path);
        if (c.MessagePart is not null)
        {
            Assert.Contains(c.MessagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        string[] csErrors = output.CompilationDiagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.Id)
            .Distinct()
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToArray();
        Assert.True((c.CsErrors ?? Array.Empty<string>()).SequenceEqual(csErrors),
            $"{name}: expected CS errors [{string.Join(", ", c.CsErrors ?? Array.Empty<string>())}], got:\n{string.Join("\n", output.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))}");
        return diagnostic;
    }

    private static string Slice(string source, TextSpan span)
        => span.End <= source.Length ? source.Substring(span.Start, span.Length) : "<outside the source>";

    /// <summary>
    /// Through the source-generator testing library (DefaultVerifier): exactly this diagnostic on
    /// exactly the marked span, and no compiler error but the listed ones (on the same span).
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task DiagnosticHasTheIdAndTheExactSpan(string name)
    {
        Case c = Cases[name];
        (string source, TextSpan span) = Unmark(c.MarkedSource);
        LinePositionSpan lines = SourceText.From(source).Lines.GetLinePositionSpan(span);
        DiagnosticResult At(DiagnosticResult result) => result.WithSpan(lines.Start.Line + 1, lines.Start.Character + 1, lines.End.Line + 1, lines.End.Character + 1);

        var test = new GeneratorVerifier { TestCode = source };
        test.ExpectedDiagnostics.Add(At(new DiagnosticResult(c.Id, DiagnosticDescriptors.ById(c.Id).DefaultSeverity)));
        foreach (string csError in c.CsErrors ?? Array.Empty<string>())
        {
            test.ExpectedDiagnostics.Add(At(DiagnosticResult.CompilerError(csError)));
        }

        await test.RunAsync();
    }

    /// <summary>The driver-level check (file path, message text) for the cases whose message names a fix.</summary>
    [Theory]
    [MemberData(nameof(CaseNamesWithMessages))]
    public void DiagnosticMessageNamesTheFix(string name) => RunCase(name, out _);

    public static IEnumerable<object[]> CaseNamesWithMessages => Cases.Where(c => c.Value.MessagePart is not null).Select(c => new object[] { c.Key });

    /// <summary>
    /// Descriptors tested elsewhere (by the test class named), and the few no test reaches, with
    /// the reason. Every other descriptor needs a case in <see cref="Cases"/>.
    /// </summary>
    private static readonly Dictionary<string, Type> CoveredElsewhere = new()
    {
        ["KEOPS0110"] = typeof(KeOpsGen.Tests.Generator.BinderTests),
        ["KEOPS0111"] = typeof(KeOpsGen.Tests.Gradients.OpGradientTests),
        ["KEOPS0112"] = typeof(KeOpsGen.Tests.Generator.BinderTests),
        ["KEOPS0113"] = typeof(KeOpsGen.Tests.Generator.BinderTests),
        ["KEOPS0114"] = typeof(KeOpsGen.Tests.Formulas.SoftDtwBSplineTests),
        ["KEOPS0115"] = typeof(HardeningGeneratorTests),
        ["KEOPS0120"] = typeof(KeOpsGen.Tests.Language.LinearOperatorTests),
        ["KEOPS0121"] = typeof(KeOpsGen.Tests.Language.UndeclaredVarTests),
        ["KEOPS0122"] = typeof(KeOpsGen.Tests.Language.UndeclaredVarTests),
        ["KEOPS0123"] = typeof(KeOpsGen.Tests.Language.UndeclaredVarTests),
        ["KEOPS0125"] = typeof(KeOpsGen.Tests.Solvers.KernelSolveDiagnosticTests),
        ["KEOPS0126"] = typeof(KeOpsGen.Tests.Solvers.KernelSolveDiagnosticTests),
        ["KEOPS0127"] = typeof(KeOpsGen.Tests.Solvers.KernelSolveDiagnosticTests),
        ["KEOPS0128"] = typeof(KeOpsGen.Tests.Solvers.KernelSolveDiagnosticTests),
        ["KEOPS0129"] = typeof(KeOpsGen.Tests.Solvers.KernelSolveDiagnosticTests),
        ["KEOPS0206"] = typeof(DiagnosticTests),
        ["KEOPS0207"] = typeof(KeOpsGen.Tests.Language.UndeclaredVarTests),
        ["KEOPS0210"] = typeof(KeOpsGen.Tests.Solvers.KernelSolveDiagnosticTests),
        ["KEOPS0211"] = typeof(KeOpsGen.Tests.Solvers.KernelSolveDiagnosticTests),
        ["KEOPS0212"] = typeof(KeOpsGen.Tests.Solvers.KernelSolveDiagnosticTests),
        ["KEOPS0302"] = typeof(HardeningGeneratorTests),
        ["KEOPS0303"] = typeof(KeOpsGen.Tests.Generator.CpuOnlyKernelTests),
        ["KEOPS0304"] = typeof(GeneratorSizeLimitTests),
        ["KEOPS0305"] = typeof(HardeningGeneratorTests),
        ["KEOPS0306"] = typeof(KeOpsGen.Tests.Generator.IlgpuReachTests),
        ["KEOPS0307"] = typeof(VariableCountSizeTests),
        ["KEOPS0308"] = typeof(KeOpsGen.Tests.Ide.CodeFixTests),
        ["KEOPS0399"] = typeof(HardeningGeneratorTests),
    };

    private static readonly Dictionary<string, string> NotReached = new()
    {
        ["KEOPS0007"] = "a guard: the lexer only forms number tokens that double.TryParse accepts (overflow parses as infinity)",
    };

    [Fact]
    public void EveryDescriptorHasACase()
    {
        // DiagnosticDescriptors itself, by reflection: a new descriptor fails here until it has a case.
        string[] declared = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id)
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToArray();
        string[] cased = Cases.Values.Select(c => c.Id).Distinct().ToArray();
        string[] accounted = cased.Concat(CoveredElsewhere.Keys).Concat(NotReached.Keys).OrderBy(id => id, StringComparer.Ordinal).ToArray();
        Assert.Equal(declared, accounted);
    }

    [Fact]
    public void OverloadedReductionIsReportedOnEachOverload()
    {
        const string Source = """
            using System;
            using KeOpsGen;

            public static partial class K
            {
                [Reduction("X - Y", "X = Vi(3)", "Y = Vj(3)")]
                public static partial void M(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> r);

                [Reduction("X - Y", "X = Vi(3)", "Y = Vj(3)")]
                public static partial void M(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> r);
            }
            """;
        GeneratorOutput output = GeneratorDriverHelper.Run(Source);
        Diagnostic[] reported = output.GeneratorDiagnostics.Where(d => d.Id == "KEOPS0206").ToArray();
        Assert.Equal(2, reported.Length);
        Assert.All(reported, d => Assert.Equal("M", Source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)));
        Assert.NotEqual(reported[0].Location.SourceSpan, reported[1].Location.SourceSpan);
    }

    [Fact]
    public void CompilationWithoutUnsafeNeedsNothing()
    {
        // Consumers need no AllowUnsafeBlocks: no diagnostic, and the generated code compiles.
        string source = Method("[Reduction(\"X - Y\", \"X = Vi(3)\", \"Y = Vj(3)\")]");
        CSharpCompilation compilation = TestCompilation.Create("Probe", source);
        compilation = compilation.WithOptions(compilation.Options.WithAllowUnsafe(false));
        GeneratorOutput output = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(), compilation);
        Assert.Empty(output.GeneratorDiagnostics);
        Assert.DoesNotContain(output.CompilationDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void FailedMethodGetsAThrowingImplementationWithTheFirstError()
    {
        (string source, _) = Unmark(Cases["UnknownOperation"].MarkedSource);
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        string stub = Assert.Single(output.Sources, s => s.HintName.EndsWith(".failed.g.cs", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("public static partial void M(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> y, global::System.Span<float> r)", stub, StringComparison.Ordinal);
        Assert.Contains("throw new global::System.InvalidOperationException(\"KeOpsGen: 'M' did not compile: KEOPS0101: Unknown operation 'Exq'", stub, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Sources, s => s.HintName.EndsWith("K.M.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void ImplicitlyPrivateValidMethodCompiles()
    {
        // Both parts of a partial method must agree on accessibility: none written, none generated.
        GeneratorOutput output = GeneratorDriverHelper.Run(Method("[Reduction(\"Exp(-SqDist(X,Y))\", \"X = Vi(3)\", \"Y = Vj(3)\")]", signature: "static partial void M"));
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        Assert.Contains("static partial void M(", output.Source("K.M.g.cs"), StringComparison.Ordinal);
    }
}
