using System.Threading;
using KeOpsGen.Generator.Emit;

namespace KeOpsGen.Generator;

/// <summary>
/// [KernelSolve] methods in; out: the solve method (conjugate gradient in the runtime), its
/// gradients, and the linear operator K·v as an ordinary generated Sum reduction
/// (<c>{Method}Operator</c>, with kernels and gradient reductions from the same pipeline as
/// [Reduction]).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KernelSolveGenerator : IIncrementalGenerator
{
    public const string ExtractStep = "KeOpsGen.KernelSolve.Extract";
    public const string AnalyzeStep = "KeOpsGen.KernelSolve.Analyze";
    public const string EmitStep = "KeOpsGen.KernelSolve.Emit";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<KernelSolveDeclaration> declarations = GeneratorWiring.Declarations<KernelSolveDeclaration>(context, GeneratorInfo.KernelSolveAttributeName, Extract, ExtractStep);

        IncrementalValuesProvider<KernelSolveAnalysis> analyzed = declarations
            .Select(static (d, _) => KernelSolveAnalyzer.Analyze(d))
            .WithTrackingName(AnalyzeStep);

        GeneratorWiring.ReportDiagnostics(context, analyzed.Select(static (r, _) => r.Diagnostics));

        IncrementalValuesProvider<EquatableArray<(string HintName, string Source)>> sources = analyzed
            .Where(static r => r.Model is not null)
            .Select(static (r, _) => new EquatableArray<(string, string)>(new[] { KernelSolveEmitter.Emit(r.Model!), ApiEmitter.Emit(r.Model!.Operator with { KeepsPerVariableGradients = true }) }))
            .WithTrackingName(EmitStep);

        context.RegisterSourceOutput(sources, static (spc, files) =>
        {
            foreach ((string hintName, string source) in files)
            {
                spc.AddSource(hintName, source);
            }
        });

        // The operator has GPU kernels too; the [Reduction] generator may add the same attribute
        // (InternalsVisibleTo allows repeats), a project with only [KernelSolve] methods needs this one.
        ReductionGenerator.RegisterIlgpuAccess(context, sources);

        context.RegisterSourceOutput(analyzed.Where(static r => r.Stub is not null), static (spc, r) =>
        {
            (string hintName, string source) = KernelSolveEmitter.EmitStub(r.Stub!);
            spc.AddSource(hintName, source);
        });
    }

    private static KernelSolveDeclaration? Extract(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        ReductionDeclaration? core = ReductionGenerator.Extract(context, cancellationToken);
        if (core is null || context.TargetSymbol is not IMethodSymbol method)
        {
            return null;
        }

        string unknown = "B";
        foreach (var argument in context.Attributes[0].NamedArguments)
        {
            if (argument.Key == "Variable" && argument.Value.Value is string name)
            {
                unknown = name;
            }
        }

        // The generated parts must repeat nullable annotations exactly (CS8611 otherwise).
        var parameters = core.Parameters.Select((p, k) =>
            method.Parameters[k].Type.IsReferenceType && method.Parameters[k].NullableAnnotation == NullableAnnotation.Annotated
                ? p with { DisplayType = p.DisplayType + "?" }
                : p).ToEquatableArray();
        string returnType = method.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return new KernelSolveDeclaration(core with { Parameters = parameters }, unknown, returnType);
    }
}
