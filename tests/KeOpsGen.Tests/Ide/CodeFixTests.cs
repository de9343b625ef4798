using System;
using System.Collections.Generic;
using System.IO;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KeOpsGen.CodeFixes;
using KeOpsGen.Generator;
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

    private static string Span3(string last) => $"    public static partial void Conv(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> {last}, Span<float> result);\n";

    private static string Span1(string last) => Span3(last);

    private static async Task Verify<TFix>(string members, string fixedMembers, string? equivalenceKey = null)
        where TFix : CodeFixProvider, new()
    {
        var test = new GeneratorCodeFixTest<TFix>
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
    private sealed class GeneratorCodeFixTest<TFix> : CSharpCodeFixTest<EmptyDiagnosticAnalyzer, TFix, DefaultVerifier>
        where TFix : CodeFixProvider, new()
    {
        private static readonly Lazy<MetadataReference[]> References = new(() =>
        {
            string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
            return trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !Path.GetFileName(p).StartsWith("KeOpsGen", StringComparison.Ordinal))
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .Append(MetadataReference.CreateFromFile(typeof(ReductionAttribute).Assembly.Location))
                .ToArray();
        });

        public GeneratorCodeFixTest()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(References.Value);
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
            SolutionTransforms.Add((solution, projectId) =>
            {
                var options = (CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
                return solution.WithProjectCompilationOptions(projectId, options.WithAllowUnsafe(true));
            });
        }

        protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(ReductionGenerator) };

        /// <summary>
        /// The generator reports its locations as file path + span (its models keep no syntax
        /// trees, for incremental caching); the IDE maps such a location to the document with that
        /// path, the testing library only follows source trees, so the same mapping is done here.
        /// </summary>
        protected override ImmutableArray<(Project project, Diagnostic diagnostic)> FilterDiagnostics(ImmutableArray<(Project project, Diagnostic diagnostic)> diagnostics)
            => base.FilterDiagnostics(diagnostics)
                .Select(d => (d.project, ToSourceLocationAsync(d.project, d.diagnostic, CancellationToken.None).GetAwaiter().GetResult()))
                .ToImmutableArray();

        private static async Task<Diagnostic> ToSourceLocationAsync(Project project, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (diagnostic.Location.Kind != LocationKind.ExternalFile)
            {
                return diagnostic;
            }

            string path = diagnostic.Location.GetLineSpan().Path;
            Document? document = project.Documents.FirstOrDefault(d => d.FilePath == path || d.Name == path);
            SyntaxTree? tree = document is null ? null : await document.GetSyntaxTreeAsync(cancellationToken);
            if (tree is null)
            {
                return diagnostic;
            }

            var descriptor = new DiagnosticDescriptor(diagnostic.Id, diagnostic.Descriptor.Title, "{0}", diagnostic.Descriptor.Category, diagnostic.Severity, isEnabledByDefault: true);
            return Diagnostic.Create(descriptor, Location.Create(tree, diagnostic.Location.SourceSpan), diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        protected override ParseOptions CreateParseOptions() => new CSharpParseOptions(LanguageVersion.Latest);

        // Only the generator's diagnostics are under test; C# errors that follow from a rejected
        // method (no generated body) are not.
        protected override bool IsCompilerDiagnosticIncluded(Diagnostic diagnostic, CompilerDiagnostics compilerDiagnostics)
            => diagnostic.Id.StartsWith("KEOPS", StringComparison.Ordinal);
    }
}
