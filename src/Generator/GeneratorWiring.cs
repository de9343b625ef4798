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

    /// <summary>
    /// One tracked step: the pure function <paramref name="stage"/> on each value, under the
    /// tracking name <paramref name="stepName"/>. Cancellation is checked as the step starts, so an
    /// edit made while a large formula is analyzed stops the run between steps.
    /// </summary>
    public static IncrementalValuesProvider<TOut> Stage<TIn, TOut>(this IncrementalValuesProvider<TIn> source, Func<TIn, TOut> stage, string stepName)
        => source
            .Select((input, cancellationToken) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return stage(input);
            })
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
