using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// The one way tests build a C# compilation for the generator: the running runtime's assemblies
/// (the trusted platform assemblies, never downloaded reference packs) plus the KeOpsGen runtime,
/// latest language version, unsafe code allowed unless asked otherwise (the test project has
/// hand-written unsafe tests; generated code itself must compile without it).
/// Used directly (CSharpGeneratorDriver tests) and through <see cref="ReferenceAssemblies"/> by
/// the Microsoft.CodeAnalysis.Testing verifiers.
/// </summary>
internal static class TestCompilation
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        // The test host loads the KeOpsGen assemblies too; only the runtime is referenced, once.
        return trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !Path.GetFileName(p).StartsWith("KeOpsGen", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(ReductionAttribute).Assembly.Location))
            .ToImmutableArray();
    });

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>
    /// For the testing library: no reference package at all (so nothing is resolved or downloaded);
    /// the verifier test adds <see cref="References"/> as additional references.
    /// </summary>
    public static ReferenceAssemblies ReferenceAssemblies { get; } = new("net10.0");

    public static CSharpCompilation Create(string assemblyName, params string[] sources)
        => Create(assemblyName, OptimizationLevel.Debug, sources);

    public static CSharpCompilation Create(string assemblyName, OptimizationLevel optimization, params string[] sources)
        => Create(assemblyName, optimization, allowUnsafe: true, sources);

    /// <summary>
    /// With <paramref name="allowUnsafe"/> false: a consumer as the package leaves it (no
    /// AllowUnsafeBlocks), which generated code must compile in.
    /// </summary>
    public static CSharpCompilation Create(string assemblyName, OptimizationLevel optimization, bool allowUnsafe, params string[] sources)
        => CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Input{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: allowUnsafe, optimizationLevel: optimization,
                nullableContextOptions: NullableContextOptions.Enable));
}
