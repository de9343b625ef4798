using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using KeOpsGen.Generator;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KeOpsGen.Tests.Generator;

/// <summary>What one run of the generator produced.</summary>
internal sealed record GeneratorOutput(
    ImmutableArray<GeneratedSourceResult> Sources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilationDiagnostics,
    Compilation OutputCompilation,
    GeneratorDriver Driver)
{
    public IEnumerable<Diagnostic> Errors => GeneratorDiagnostics.Concat(CompilationDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error);

    public string Source(string hintNameEnd)
    {
        GeneratedSourceResult[] matches = Sources.Where(s => s.HintName.EndsWith(hintNameEnd, StringComparison.Ordinal)).ToArray();
        if (matches.Length != 1)
        {
            throw new InvalidOperationException($"Expected one generated source ending in '{hintNameEnd}', found: {string.Join(", ", Sources.Select(s => s.HintName))}");
        }

        return matches[0].SourceText.ToString();
    }

    public string DescribeErrors() => string.Join("\n", Errors.Select(d => d.ToString()));
}

/// <summary>
/// Runs <see cref="ReductionGenerator"/> in memory on C# source (compilations from
/// <see cref="TestCompilation"/>), with step tracking on for the incrementality tests.
/// </summary>
internal static class GeneratorDriverHelper
{
    public static readonly CSharpParseOptions ParseOptions = TestCompilation.ParseOptions;

    public static CSharpCompilation Compilation(params string[] sources) => TestCompilation.Create("KeOpsGen.SnapshotInput", sources);

    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            new[] { new ReductionGenerator().AsSourceGenerator(), new KernelSolveGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorOutput Run(params string[] sources) => Run(CreateDriver(), Compilation(sources));

    /// <summary>
    /// The generators' sources and diagnostics only, without binding the output compilation: for
    /// probes where the size or a KEOPS diagnostic is what matters, not whether C# accepts it.
    /// </summary>
    public static (ImmutableArray<GeneratedSourceResult> Sources, ImmutableArray<Diagnostic> Diagnostics) Generate(params string[] sources)
    {
        GeneratorDriverRunResult result = CreateDriver().RunGenerators(Compilation(sources)).GetRunResult();
        return (result.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray(), result.Diagnostics);
    }

    public static GeneratorOutput Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        return new GeneratorOutput(
            result.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray(),
            generatorDiagnostics,
            output.GetDiagnostics(),
            output,
            driver);
    }
}
