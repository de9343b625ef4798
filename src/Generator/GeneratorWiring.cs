using System.Threading;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KeOpsGen.Generator;

/// <summary>The wiring both generators ([Reduction] and [KernelSolve]) start and report with.</summary>
internal static class GeneratorWiring
{
    /// <summary>The methods carrying one attribute, as equatable declarations: the tracked Extract step.</summary>
    public static IncrementalValuesProvider<T> Declarations<T>(
        IncrementalGeneratorInitializationContext context,
        string attributeName,
        Func<GeneratorAttributeSyntaxContext, CancellationToken, T?> extract,
        string stepName)
        where T : class
        => context.SyntaxProvider
            .ForAttributeWithMetadataName(attributeName, static (node, _) => node is MethodDeclarationSyntax, extract)
            .Where(static d => d is not null)
            .Select(static (d, _) => d!)
            .WithTrackingName(stepName);

    /// <summary>Reports each declaration's diagnostics (values with their locations) as they stand.</summary>
    public static void ReportDiagnostics(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics)
        => context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (DiagnosticInfo d in list)
            {
                spc.ReportDiagnostic(d.ToDiagnostic());
            }
        });
}
