using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using KeOpsGen.Generator;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// The XML docs of the generated public surface, as IntelliSense shows them: every public
/// generated method is documented, a per-variable gradient inherits the forward method's parameter
/// docs (<c>inheritdoc</c> with a path) instead of repeating them, and the compiler, with documentation
/// diagnostics on, finds no bad cref, no stray or missing param tag in the generated files.
/// </summary>
public sealed class GeneratedDocsTests
{
    private const string Source = """
        using System;
        using KeOpsGen;

        namespace Docs;

        /// <summary>Kernels.</summary>
        public static partial class K
        {
            /// <summary>Gaussian convolution.</summary>
            [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", GradientOrder = 1)]
            public static partial void Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, float g, Span<float> result);

            /// <summary>Log-sum-exp.</summary>
            [Reduction("-SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.LogSumExp, GradientOrder = 1)]
            public static partial void Lse(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);

            /// <summary>Nearest neighbours.</summary>
            [Reduction("SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.KMinArgKMin, K = 3, GradientOrder = 1)]
            public static partial void Knn(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> distances, Span<int> indices);

            /// <summary>Nine variables: the combined gradient only.</summary>
            [Reduction("V0*V1+V2*V3+V4*V5+V6*V7+V8", "V0 = Vi(1)", "V1 = Vj(1)", "V2 = Vi(1)", "V3 = Vj(1)", "V4 = Vi(1)", "V5 = Vj(1)", "V6 = Vi(1)", "V7 = Vj(1)", "V8 = Vi(1)", GradientOrder = 1)]
            public static partial void Nine(ReadOnlySpan<float> v0, ReadOnlySpan<float> v1, ReadOnlySpan<float> v2, ReadOnlySpan<float> v3, ReadOnlySpan<float> v4, ReadOnlySpan<float> v5, ReadOnlySpan<float> v6, ReadOnlySpan<float> v7, ReadOnlySpan<float> v8, Span<float> r);
        }
        """;

    private static (Compilation Output, ImmutableArray<SyntaxTree> Generated) Run()
    {
        CSharpParseOptions parse = TestCompilation.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        CSharpCompilation input = CSharpCompilation.Create(
            "KeOpsGen.DocsInput",
            new[] { CSharpSyntaxTree.ParseText(Source, parse, path: "Input0.cs") },
            TestCompilation.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new ReductionGenerator().AsSourceGenerator() }, parseOptions: parse);
        driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        return (output, output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)).ToImmutableArray());
    }

    [Fact]
    public void GeneratedFilesHaveNoDocumentationWarnings()
    {
        (Compilation output, ImmutableArray<SyntaxTree> generated) = Run();
        foreach (string file in new[] { "K.Gauss.g.cs", "K.Lse.g.cs", "K.Knn.g.cs", "K.Nine.g.cs" })
        {
            Assert.Contains(generated, t => t.FilePath.EndsWith(file, StringComparison.Ordinal));
        }

        Diagnostic[] errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Take(20)));
        Diagnostic[] problems = output.GetDiagnostics()
            .Where(d => d.Location.SourceTree is { } tree && generated.Contains(tree))
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToArray();
        Assert.True(problems.Length == 0, string.Join("\n", problems.Take(20)));
    }

    [Fact]
    public void EveryPublicGeneratedMethodIsDocumentedAndGradientsInheritTheForwardParameters()
    {
        (_, ImmutableArray<SyntaxTree> generated) = Run();
        MethodDeclarationSyntax[] all = generated.SelectMany(t => t.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()).ToArray();
        static string Docs(MethodDeclarationSyntax method) => string.Concat(method.GetLeadingTrivia()
            .Select(t => t.GetStructure()).OfType<DocumentationCommentTriviaSyntax>().Select(d => d.ToFullString()));
        int methods = 0;
        var names = new System.Collections.Generic.List<string>();
        foreach (MethodDeclarationSyntax method in all)
        {
            bool isPublic = method.Modifiers.Any(SyntaxKind.PublicKeyword);
            bool userPart = method.Modifiers.Any(SyntaxKind.PartialKeyword);
            bool inKernel = method.Ancestors().OfType<TypeDeclarationSyntax>().Any(t => t.Identifier.Text.StartsWith("__KeOps", StringComparison.Ordinal));
            if (!isPublic || userPart || inKernel)
            {
                continue;
            }

            methods++;
            string docs = Docs(method);
            string signature = $"{method.Identifier.Text}({method.ParameterList.Parameters.Count} parameters)";
            Assert.True(docs.Length > 0, $"{signature} has no XML docs");
            Assert.Contains("<summary>", docs, StringComparison.Ordinal);

            // The token and ranges overloads are gone: both convert to the options parameter.
            string last = method.ParameterList.Parameters.Last().Type!.ToString();
            Assert.False(last.EndsWith("CancellationToken", StringComparison.Ordinal), $"{signature} is a cancellation overload");
            Assert.DoesNotContain(method.ParameterList.Parameters, p => p.Type!.ToString().EndsWith("KeOpsGen.Ranges", StringComparison.Ordinal));

            Match inherit = Regex.Match(docs, "<inheritdoc cref=\"([^\"(]+)\\(([^\"]*)\\)\" path=\"/param\\[([^\\]]*)\\]\\|/exception\"/>");
            if (!inherit.Success)
            {
                // A full doc names every parameter.
                foreach (ParameterSyntax p in method.ParameterList.Parameters)
                {
                    Assert.True(docs.Contains($"<param name=\"{p.Identifier.Text}\">", StringComparison.Ordinal), $"{signature}: no docs for '{p.Identifier.Text}'");
                }

                continue;
            }

            // A gradient's docs: what it adds in its summary, the rest from the forward method's
            // options overload, which must document each of them and not be excluded by the path.
            names.Add(method.Identifier.Text);
            Assert.DoesNotContain("<param ", docs, StringComparison.Ordinal);
            string target = inherit.Groups[1].Value;
            int targetCount = inherit.Groups[2].Value.Split(", ").Length;
            MethodDeclarationSyntax forward = Assert.Single(all, m => m.Identifier.Text == target && m.ParameterList.Parameters.Count == targetCount
                && m.ParameterList.Parameters.Last().Type!.ToString() == "global::KeOpsGen.ReductionOptions?");
            string forwardDocs = Docs(forward);
            foreach (ParameterSyntax p in method.ParameterList.Parameters)
            {
                string name = p.Identifier.Text;
                bool inSummary = docs.Contains($"<paramref name=\"{name}\"/> = ", StringComparison.Ordinal);
                bool inherited = forwardDocs.Contains($"<param name=\"{name}\">", StringComparison.Ordinal)
                    && !inherit.Groups[3].Value.Contains($"@name!='{name}'", StringComparison.Ordinal);
                Assert.True(inSummary ^ inherited, $"{signature}: '{name}' is documented {(inSummary ? "twice" : "nowhere")} (summary {inSummary}, inherited {inherited})");
            }
        }

        // The per-variable gradients of Gauss (4), Lse (2) and Knn (2) inherit; Nine's 9 gradients
        // are in NineGrad only, which documents each parameter itself.
        string[] expected = { "GaussGradB", "GaussGradG", "GaussGradX", "GaussGradY", "KnnGradX", "KnnGradY", "LseGradX", "LseGradY" };
        Assert.True(methods > 15, $"{methods} public generated methods");
        Assert.Equal(expected, names.Distinct().OrderBy(n => n, StringComparer.Ordinal));
    }
}
