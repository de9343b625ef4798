using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// The generator's stage folders depend only downstream (docs/architecture.md): Parsing, then
/// Formulas, Differentiation, Planning, Emit. The generator's own sources are compiled here and
/// every name a stage's file uses is resolved: none may belong to a later stage, apart from the
/// exceptions listed (each with its reason).
/// </summary>
public sealed class StageDependencyTests
{
    private static readonly string[] s_stages = { "Parsing", "Formulas", "Differentiation", "Planning", "Emit" };

    // (file, namespace it may use although downstream): why.
    private static readonly HashSet<(string File, string Stage)> s_allowed = new()
    {
        // KernelSolve analyzes its operator in one call and measures the emitted text against
        // the size limit (docs/architecture.md, "The steps").
        ("Planning/SizeLimits.cs", "Emit"),
        // A declaration's category is the formula language's VariableCategory, and a variable's
        // name is checked against the operation registry (a variable may not be called Exp).
        ("Parsing/DeclarationParser.cs", "Formulas"),
        // Grad, Diff, GradMatrix, Divergence, Laplacian, Trace and Adjoint are operations whose
        // smart constructors differentiate: KeOps expands them symbolically as the formula is built.
        ("Formulas/Ops.Calculus.cs", "Differentiation"),
        // ... and the binder turns the differentiator's NotDifferentiable / NotLinear refusals of
        // those operations into diagnostics on their span.
        ("Formulas/Binder.cs", "Differentiation"),
    };

    [Fact]
    public void StagesReferenceOnlyEarlierStages()
    {
        string root = Path.Combine(RepositoryPaths.Root(), "src", "Generator");
        CSharpParseOptions parse = new CSharpParseOptions(LanguageVersion.Latest).WithPreprocessorSymbols("KEOPSGEN_GENERATOR");
        List<SyntaxTree> trees = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !p.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Append(Path.Combine(RepositoryPaths.Root(), "src", "Runtime", "ReductionOp.cs"))
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), parse, path: Path.GetRelativePath(root, p).Replace('\\', '/')))
            .ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Compilation).Assembly.Location)
            .Append(typeof(CSharpCompilation).Assembly.Location)
            .Distinct()
            .Select(p => MetadataReference.CreateFromFile(p));
        CSharpCompilation compilation = CSharpCompilation.Create("GeneratorSources", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        // Every name must resolve, or the check below would pass by not seeing it.
        Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "the generator's sources do not compile here:\n" + string.Join("\n", errors.Take(20)));

        var violations = new List<string>();
        int checkedNames = 0;
        foreach (SyntaxTree tree in trees)
        {
            int stage = StageOf(tree.FilePath);
            if (stage < 0)
            {
                continue;
            }

            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (SimpleNameSyntax name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                ISymbol? symbol = model.GetSymbolInfo(name).Symbol;
                string? ns = symbol is INamespaceSymbol ? null : symbol?.ContainingNamespace?.ToDisplayString();
                if (ns is null || !ns.StartsWith("KeOpsGen.Generator.", StringComparison.Ordinal))
                {
                    continue;
                }

                checkedNames++;
                string used = ns.Substring("KeOpsGen.Generator.".Length);
                int usedStage = Array.IndexOf(s_stages, used);
                if (usedStage > stage && !s_allowed.Contains((tree.FilePath, used)))
                {
                    violations.Add($"{tree.FilePath}:{name.GetLocation().GetLineSpan().StartLinePosition.Line + 1} uses {symbol!.ToDisplayString()} of {used}");
                }
            }
        }

        Assert.True(checkedNames > 1000, $"only {checkedNames} generator names resolved: the scan is not seeing the sources");
        Assert.True(violations.Count == 0, "upstream stages using downstream ones:\n" + string.Join("\n", violations.Distinct().Take(80)));
    }

    private static int StageOf(string relativePath)
    {
        int slash = relativePath.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? -1 : Array.IndexOf(s_stages, relativePath.Substring(0, slash));
    }
}
