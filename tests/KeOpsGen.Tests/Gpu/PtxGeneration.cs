using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using KeOpsGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KeOpsGen.Tests.Gpu;

/// <summary>One kernel's PTX as found in generated code, with the entry's expected parameter count.</summary>
internal sealed record GeneratedPtx(string KernelName, string Entry, string Text, int ExpectedParameters);

/// <summary>Runs the generator on a source text and reads back the generated files, diagnostics and embedded PTX.</summary>
internal sealed class PtxGeneration
{
    private static readonly Lazy<List<MetadataReference>> s_references = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).ToList();
        paths.Add(typeof(ReductionAttribute).Assembly.Location);
        return paths.Distinct(StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    });

    private PtxGeneration(string input, string source, ImmutableArray<Diagnostic> generatorDiagnostics, ImmutableArray<Diagnostic> compileDiagnostics)
    {
        Input = input;
        Source = source;
        GeneratorDiagnostics = generatorDiagnostics;
        CompileErrors = compileDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
    }

    /// <summary>The C# source given to the generator.</summary>
    public string Input { get; }

    /// <summary>All generated files, concatenated.</summary>
    public string Source { get; }

    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>Errors compiling the user code together with the generated code.</summary>
    public ImmutableArray<Diagnostic> CompileErrors { get; }

    /// <summary>Generates for one [Reduction] declared as <paramref name="declaration"/> inside a static partial class.</summary>
    public static PtxGeneration Run(string declaration)
    {
        string text = "using System;\nusing KeOpsGen;\nnamespace Probe;\npublic static partial class K\n{\n" + declaration + "\n}\n";
        var compilation = CSharpCompilation.Create(
            "Probe",
            new[] { CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest)) },
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new ReductionGenerator());
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> _);
        GeneratorDriverRunResult result = driver.GetRunResult();
        string source = string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
        return new PtxGeneration(text, source, result.Diagnostics, output.GetDiagnostics());
    }

    /// <summary>The PTX of every kernel, from the <c>public const string Ptx = @"..."</c> constants.</summary>
    public List<GeneratedPtx> Kernels()
    {
        var kernels = new List<GeneratedPtx>();
        foreach (Match m in Regex.Matches(Source, "private static class (?<kernel>\\w+)Gpu\\s*\\{.*?public const string Ptx = @\"(?<ptx>(?:[^\"]|\"\")*)\";.*?CudaKernelInfo\\(Ptx, \"(?<entry>\\w+)\", \\d+, \\d+, new int\\[\\] \\{(?<o>[^}]*)\\}, new int\\[\\] \\{(?<i>[^}]*)\\}, new int\\[\\] \\{(?<p>[^}]*)\\}\\)", RegexOptions.Singleline))
        {
            int variables = new[] { "o", "i", "p" }.Sum(g => m.Groups[g].Value.Split(',').Count(s => s.Trim().Length > 0));
            kernels.Add(new GeneratedPtx(m.Groups["kernel"].Value, m.Groups["entry"].Value, m.Groups["ptx"].Value.Replace("\"\"", "\""), variables + 3));
        }

        return kernels;
    }
}
