using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using KeOpsGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// <see cref="ReductionGenerator"/> through Microsoft.CodeAnalysis.CSharp.SourceGenerators.Testing
/// with <see cref="DefaultVerifier"/>, on <see cref="TestCompilation"/>'s references (no reference
/// pack is downloaded). Generated sources are covered by the approval snapshots, so only the
/// diagnostics (generator's and compiler errors) are verified here.
/// </summary>
internal sealed class GeneratorVerifier : CSharpSourceGeneratorTest<ReductionGenerator, DefaultVerifier>
{
    public GeneratorVerifier()
    {
        ReferenceAssemblies = TestCompilation.ReferenceAssemblies;
        TestState.AdditionalReferences.AddRange(TestCompilation.References);
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        SolutionTransforms.Add(GeneratorLocations.AllowUnsafe);
    }

    protected override ParseOptions CreateParseOptions() => TestCompilation.ParseOptions;

    protected override ImmutableArray<(Project project, Diagnostic diagnostic)> FilterDiagnostics(ImmutableArray<(Project project, Diagnostic diagnostic)> diagnostics)
        => GeneratorLocations.ToSource(base.FilterDiagnostics(diagnostics));
}

/// <summary>What the Microsoft.CodeAnalysis.Testing verifiers need to read the generator's diagnostics.</summary>
internal static class GeneratorLocations
{
    /// <summary>Generated kernels pin spans: the test project allows unsafe code, as the package does.</summary>
    public static Solution AllowUnsafe(Solution solution, ProjectId projectId)
    {
        var options = (CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
        return solution.WithProjectCompilationOptions(projectId, options.WithAllowUnsafe(true));
    }

    /// <summary>
    /// The generator reports its locations as file path + span (its models keep no syntax trees,
    /// for incremental caching); the IDE maps such a location to the document with that path, the
    /// testing library only follows source trees, so the same mapping is done here.
    /// </summary>
    public static ImmutableArray<(Project project, Diagnostic diagnostic)> ToSource(IEnumerable<(Project project, Diagnostic diagnostic)> diagnostics)
        => diagnostics.Select(d => (d.project, ToSourceAsync(d.project, d.diagnostic, CancellationToken.None).GetAwaiter().GetResult())).ToImmutableArray();

    private static async Task<Diagnostic> ToSourceAsync(Project project, Diagnostic diagnostic, CancellationToken cancellationToken)
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
}
