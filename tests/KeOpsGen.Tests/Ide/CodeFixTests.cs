using System;
using System.Collections.Generic;
using System.IO;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KeOpsGen.CodeFixes;
using KeOpsGen.Generator;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace KeOpsGen.Tests.Ide;

/// <summary>
/// The IDE code fixes, through the code-fix testing library: the generator runs on the test
/// source, its KEOPS diagnostic must appear exactly on the marked span, the fix must turn the
/// source into the expected text, and the fixed source must compile with no KEOPS diagnostic.
/// </summary>
public sealed class CodeFixTests
{
    private const string Header = "using System;\nusing KeOpsGen;\n\npublic static partial class K\n{\n";
    private const string Footer = "}\n";

    [Fact]
    public Task MisspelledOperationIsReplacedByTheNearestName()
        => Verify<OperationNameCodeFix>(
            """    [Reduction("{|KEOPS0101:Exq|}(-SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]""" + "\n" + Span3("b"),
            """    [Reduction("Exp(-SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]""" + "\n" + Span3("b"));

    [Fact]
    public Task EachNearestNameIsOneChoice()
        => Verify<OperationNameCodeFix>(
            """    [Reduction("{|KEOPS0101:Atan3|}(Sum(X), Sum(Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]""" + "\n" + Span3("b"),
            """    [Reduction("Atan2(Sum(X), Sum(Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]""" + "\n" + Span3("b"),
            equivalenceKey: "OperationNameCodeFix.Atan2");

    [Fact]
    public void NearestNamesAreRankedByEditDistance()
    {
        string[] known = KeOpsGen.Generator.Formulas.OperationTable.All.Select(o => o.Name).ToArray();
        Assert.Equal(new[] { "Atan", "Atan2" }, KeOpsGen.Generator.Formulas.OperationTable.Nearest("Atan3", known, 3));
        Assert.Equal(new[] { "ElemT", "Elem" }, KeOpsGen.Generator.Formulas.OperationTable.Nearest("Elemt", known, 3));
        Assert.Equal(new[] { "ComplexAdd" }, KeOpsGen.Generator.Formulas.OperationTable.Nearest("ComplexAd", known, 1));
        Assert.Empty(KeOpsGen.Generator.Formulas.OperationTable.Nearest("Zzzzzzzz", known, 3));
    }

    [Fact]
    public Task EqualityBecomesEqual()
        => Verify<ComparisonOperatorCodeFix>(
            """    [Reduction("IfElse(X {|KEOPS0006:==|} Y, B, 0*B)", "X = Vi(1)", "Y = Vj(1)", "B = Vj(1)")]""" + "\n" + Span1("b"),
            """    [Reduction("IfElse(Equal(X, Y), B, 0*B)", "X = Vi(1)", "Y = Vj(1)", "B = Vj(1)")]""" + "\n" + Span1("b"));

    [Fact]
    public Task InequalityWithCompoundOperandsBecomesNotEqual()
        => Verify<ComparisonOperatorCodeFix>(
            """    [Reduction("(Sum(X)+1 {|KEOPS0006:!=|} Sum(Y)*2) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]""" + "\n" + Span3("b"),
            """    [Reduction("(NotEqual(Sum(X)+1, Sum(Y)*2)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]""" + "\n" + Span3("b"));

    [Fact]
    public void ComparisonOperandsStopAtBracketsAndCommas()
    {
        Assert.True(ComparisonOperatorCodeFix.TryRewrite("Max(a, b==c[0]), d", 8, "Equal", out int start, out int end, out string replacement));
        Assert.Equal("Equal(b, c[0])", replacement);
        Assert.Equal((7, 14), (start, end));
        Assert.False(ComparisonOperatorCodeFix.TryRewrite("(== b)", 1, "Equal", out _, out _, out _));
    }

    [Fact]
    public Task MissingOutputIsAddedWithTheElementType()
        => Verify<OutputParameterCodeFix>(
            """
                [Reduction("Exp(-SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]
                public static partial void {|KEOPS0202:Conv|}(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b);
            """,
            """
                [Reduction("Exp(-SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]
                public static partial void Conv(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, Span<double> result);
            """);

    [Fact]
    public Task MissingIndexOutputIsSpanOfInt()
        => Verify<OutputParameterCodeFix>(
            """
                [Reduction("SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.ArgKMin, K = 3)]
                public static partial void {|KEOPS0202:Knn|}(ReadOnlySpan<float> x, ReadOnlySpan<float> y);
            """,
            """
                [Reduction("SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.ArgKMin, K = 3)]
                public static partial void Knn(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);
            """);

    [Fact]
    public Task ValuesAndIndicesAreBothAdded()
        => Verify<OutputParameterCodeFix>(
            """
                [Reduction("SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.MinArgMin)]
                public static partial void {|KEOPS0202:Nearest|}(ReadOnlySpan<float> x, ReadOnlySpan<float> y);
            """,
            """
                [Reduction("SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.MinArgMin)]
                public static partial void Nearest(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> values, Span<int> indices);
            """);

    [Fact]
    public Task NoFixWhenAVariableParameterIsMissing()
    {
        // Two parameters for three declarations: not a missing output, so nothing is offered.
        string source = """
                [Reduction("Exp(-SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]
                public static partial void {|KEOPS0202:Conv|}(ReadOnlySpan<double> x, Span<double> result);
            """;
        return Verify<OutputParameterCodeFix>(source, source);
    }

    // KEOPS0308 (GradientRequestAnalyzer) and its fix: a call of a gradient method that was not
    // requested, on the call's name, pointing to the attribute the fix changes.
    private const string Conv = "Reduction(\"Exp(-SqDist(X,Y))*B\", \"X = Vi(3)\", \"Y = Vj(3)\", \"B = Vj(1)\"";

    private static string Caller(string call, string arguments = "x, y, b, e, r")
        => $"    public static void Use(float[] x, float[] y, float[] b, float[] e, float[] e2, float[] r) => K.{call}({arguments});\n";

    [Fact]
    public Task AnUnrequestedGradientIsReportedAndTheFixRequestsIt()
        => VerifyGradientRequest(
            $"    [{{|#1:{Conv})|}}]\n" + Span3("b") + Caller("{|#0:ConvGradX|}"),
            $"    [{Conv}, GradientOrder = 1)]\n" + Span3("b") + Caller("ConvGradX"),
            "ConvGradX", 1);

    [Fact]
    public Task TheCombinedGradientIsReportedToo()
        => VerifyGradientRequest(
            $"    [{{|#1:{Conv}, Op = ReductionOp.Sum)|}}]\n" + Span3("b") + Caller("{|#0:ConvGrad|}", "x, y, b, e, r, r, r"),
            $"    [{Conv}, Op = ReductionOp.Sum, GradientOrder = 1)]\n" + Span3("b") + Caller("ConvGrad", "x, y, b, e, r, r, r"),
            "ConvGrad", 1);

    [Fact]
    public Task ASecondOrderGradientRaisesTheOrderToTwo()
        => VerifyGradientRequest(
            $"    [{{|#1:{Conv}, GradientOrder = 1)|}}]\n" + Span3("b") + Caller("{|#0:ConvGradXGradY|}", "x, y, b, e, e2, r"),
            $"    [{Conv}, GradientOrder = 2)]\n" + Span3("b") + Caller("ConvGradXGradY", "x, y, b, e, e2, r"),
            "ConvGradXGradY", 2);

    [Fact]
    public Task NoReportForGeneratedGradientsOrNamesThatAreNoGradient()
    {
        // ConvGradX exists (requested); ConvGradZ names no parameter; Other is no gradient name at all.
        string source = $"    [{Conv}, GradientOrder = 1)]\n" + Span3("b") + Caller("ConvGradX")
            + "    public static void Missing(float[] x) { K.ConvGradZ(x); K.Other(x); }\n";
        return VerifyGradientRequest(source, source, null, 0);
    }

    private static async Task VerifyGradientRequest(string members, string fixedMembers, string? call, int order)
    {
        var test = new GeneratorCodeFixTest<KeOpsGen.Generator.Diagnostics.GradientRequestAnalyzer, GradientOrderCodeFix>
        {
            TestCode = Header + members.TrimEnd() + "\n" + Footer,
            FixedCode = Header + fixedMembers.TrimEnd() + "\n" + Footer,
        };
        if (call is not null)
        {
            test.ExpectedDiagnostics.Add(new DiagnosticResult("KEOPS0308", DiagnosticSeverity.Error)
                .WithLocation(0).WithLocation(1).WithArguments(call, "Conv", order, "Reduction"));
        }

        await test.RunAsync();
    }

    private static string Span3(string last) => $"    public static partial void Conv(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> {last}, Span<float> result);\n";

    private static string Span1(string last) => Span3(last);

    private static async Task Verify<TFix>(string members, string fixedMembers, string? equivalenceKey = null)
        where TFix : CodeFixProvider, new()
    {
        var test = new GeneratorCodeFixTest<EmptyDiagnosticAnalyzer, TFix>
        {
            TestCode = Header + members.TrimEnd() + "\n" + Footer,
            FixedCode = Header + fixedMembers.TrimEnd() + "\n" + Footer,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        await test.RunAsync();
    }

    /// <summary>
    /// Runs <see cref="ReductionGenerator"/> in the test compilation (its diagnostics are the ones
    /// fixed) against the running runtime's assemblies rather than downloaded reference packs.
    /// </summary>
    private sealed class GeneratorCodeFixTest<TAnalyzer, TFix> : CSharpCodeFixTest<TAnalyzer, TFix, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFix : CodeFixProvider, new()
    {
        public GeneratorCodeFixTest()
        {
            ReferenceAssemblies = TestCompilation.ReferenceAssemblies;
            TestState.AdditionalReferences.AddRange(TestCompilation.References);
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
            SolutionTransforms.Add(GeneratorLocations.AllowUnsafe);
        }

        protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(ReductionGenerator) };

        protected override ImmutableArray<(Project project, Diagnostic diagnostic)> FilterDiagnostics(ImmutableArray<(Project project, Diagnostic diagnostic)> diagnostics)
            => GeneratorLocations.ToSource(base.FilterDiagnostics(diagnostics));

        protected override ParseOptions CreateParseOptions() => TestCompilation.ParseOptions;

        // Only the generator's diagnostics are under test; C# errors that follow from a rejected
        // method (no generated body) are not.
        protected override bool IsCompilerDiagnosticIncluded(Diagnostic diagnostic, CompilerDiagnostics compilerDiagnostics)
            => diagnostic.Id.StartsWith("KEOPS", StringComparison.Ordinal);
    }
}
