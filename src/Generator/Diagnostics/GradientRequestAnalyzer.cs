using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KeOpsGen.Generator.Diagnostics;

/// <summary>
/// KEOPS0308 on a call of a gradient method that does not exist because it was not requested:
/// <c>K.ConvGradX(...)</c> where <c>Conv</c> is a [Reduction] (or [KernelSolve]) method of K whose
/// GradientOrder is below what the name needs. Gradient methods are generated on request, so the
/// compiler's own error (no member 'ConvGradX') would not say how to get them; this one does, and
/// the code fix (KeOpsGen.CodeFixes.GradientOrderCodeFix) sets the order on the attribute.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GradientRequestAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property holding the GradientOrder the call needs.</summary>
    public const string OrderProperty = "GradientOrder";

    private const string Grad = "Grad";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.GradientsNotRequested);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? reduction = start.Compilation.GetTypeByMetadataName("KeOpsGen.ReductionAttribute");
            INamedTypeSymbol? solve = start.Compilation.GetTypeByMetadataName("KeOpsGen.KernelSolveAttribute");
            if (reduction is null && solve is null)
            {
                return;
            }

            start.RegisterSyntaxNodeAction(c => Analyze(c, reduction, solve), SyntaxKind.InvocationExpression);
        });
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, INamedTypeSymbol? reduction, INamedTypeSymbol? solve)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        SimpleNameSyntax? name;
        IEnumerable<INamedTypeSymbol> types;
        switch (invocation.Expression)
        {
            case MemberAccessExpressionSyntax { Name: var member } access:
                name = member;
                types = context.SemanticModel.GetSymbolInfo(access.Expression, context.CancellationToken).Symbol is INamedTypeSymbol type
                    ? new[] { type }
                    : Enumerable.Empty<INamedTypeSymbol>();
                break;
            case IdentifierNameSyntax identifier:
                // An unqualified call inside the declaring type (or a type nested in it).
                name = identifier;
                types = Outwards(context.ContainingSymbol?.ContainingType);
                break;
            default:
                return;
        }

        string text = name.Identifier.ValueText;
        if (text.IndexOf(Grad, 1, System.StringComparison.Ordinal) < 0)
        {
            return;
        }

        // Only a name that binds to nothing at all: a wrong argument list is the compiler's to report.
        SymbolInfo bound = context.SemanticModel.GetSymbolInfo(invocation.Expression, context.CancellationToken);
        if (bound.Symbol is not null || !bound.CandidateSymbols.IsEmpty)
        {
            return;
        }

        foreach (INamedTypeSymbol type in types)
        {
            if (Find(type, text, reduction, solve) is { } found)
            {
                var properties = ImmutableDictionary<string, string?>.Empty.Add(OrderProperty, found.Order.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Location? attribute = found.Attribute.ApplicationSyntaxReference is { } reference
                    ? Location.Create(reference.SyntaxTree, reference.Span)
                    : null;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GradientsNotRequested, name.GetLocation(),
                    attribute is null ? null : new[] { attribute }, properties,
                    text, found.Method.Name, found.Order, found.IsSolve ? "KernelSolve" : "Reduction"));
                return;
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> Outwards(INamedTypeSymbol? type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            yield return t;
        }
    }

    /// <summary>
    /// The method of <paramref name="type"/> whose gradient method <paramref name="name"/> would be,
    /// with the GradientOrder that would generate it, when its attribute asks for less.
    /// </summary>
    private static (IMethodSymbol Method, AttributeData Attribute, int Order, bool IsSolve)? Find(INamedTypeSymbol type, string name, INamedTypeSymbol? reduction, INamedTypeSymbol? solve)
    {
        for (int at = name.IndexOf(Grad, 1, System.StringComparison.Ordinal); at > 0; at = name.IndexOf(Grad, at + 1, System.StringComparison.Ordinal))
        {
            string prefix = name.Substring(0, at);
            string rest = name.Substring(at + Grad.Length);
            // A [KernelSolve] method's operator M + "Operator" has the operator's gradients.
            IEnumerable<IMethodSymbol> candidates = type.GetMembers(prefix).OfType<IMethodSymbol>();
            if (prefix.EndsWith("Operator", System.StringComparison.Ordinal))
            {
                candidates = candidates.Concat(type.GetMembers(prefix.Substring(0, prefix.Length - "Operator".Length)).OfType<IMethodSymbol>());
            }

            foreach (IMethodSymbol method in candidates)
            {
                foreach (AttributeData attribute in method.GetAttributes())
                {
                    bool isReduction = reduction is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, reduction);
                    bool isSolve = solve is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, solve);
                    if (!isReduction && !isSolve)
                    {
                        continue;
                    }

                    int needed = Needed(method, rest);
                    if (needed == 0 || (isSolve && needed > 1))
                    {
                        continue;
                    }

                    int order = 0;
                    foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
                    {
                        if (argument.Key == OrderProperty && argument.Value.Value is int value)
                        {
                            order = value;
                        }
                    }

                    if (order < needed)
                    {
                        return (method, attribute, needed, isSolve);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The GradientOrder that generates M + "Grad" + <paramref name="rest"/>: 1 for the combined
    /// method (rest empty) and M + "Grad" + P, 2 for M + "Grad" + P + "Grad" + Q, 0 when no
    /// parameter P of <paramref name="method"/> fits (not one of its gradient names).
    /// </summary>
    private static int Needed(IMethodSymbol method, string rest)
    {
        if (rest.Length == 0)
        {
            return 1;
        }

        int needed = 0;
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            string p = ReductionAnalyzer.Pascal(parameter.Name);
            if (rest == p)
            {
                return 1;
            }

            if (rest.StartsWith(p + Grad, System.StringComparison.Ordinal))
            {
                needed = 2;
            }
        }

        return needed;
    }
}
