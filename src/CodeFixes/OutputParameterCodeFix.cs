using System.Collections.Generic;
using KeOpsGen.Generator.Reductions;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace KeOpsGen.CodeFixes;

/// <summary>
/// KEOPS0202 when only the outputs are missing (one parameter per declaration and nothing after):
/// appends <c>Span&lt;T&gt; result</c>, <c>Span&lt;int&gt; indices</c> or both, as the reduction writes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OutputParameterCodeFix)), Shared]
public sealed class OutputParameterCodeFix : CodeFixProvider
{
    private const string AttributeName = "KeOpsGen.ReductionAttribute";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ParameterCountMismatch.Id);

    /// <summary>Each method is fixed on its own, so batching them is safe.</summary>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            MethodDeclarationSyntax? method = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
            if (method is null || model.GetDeclaredSymbol(method, context.CancellationToken) is not IMethodSymbol symbol)
            {
                continue;
            }

            List<(string Type, string Name)>? missing = MissingOutputs(symbol);
            if (missing is null || missing.Count == 0)
            {
                continue;
            }

            string title = "Add the output parameter" + (missing.Count > 1 ? "s " : " ") + string.Join(", ", missing.Select(m => $"Span<{m.Type}> {m.Name}"));
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => AddAsync(context.Document, root, method, missing, ct), equivalenceKey: nameof(OutputParameterCodeFix)),
                diagnostic);
        }
    }

    /// <summary>The outputs to append, or null when the parameters are wrong in some other way.</summary>
    internal static List<(string Type, string Name)>? MissingOutputs(IMethodSymbol method)
    {
        AttributeData? attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == AttributeName);
        if (attribute is null || attribute.ConstructorArguments.Length != 2 || attribute.ConstructorArguments[1].Kind != TypedConstantKind.Array)
        {
            return null;
        }

        int declarations = attribute.ConstructorArguments[1].Values.Length;
        string op = "Sum";
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Op" && named.Value.Type is INamedTypeSymbol enumType)
            {
                op = enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, named.Value.Value))?.Name ?? op;
            }
        }

        // Which outputs the reduction writes, from the generator's reduction table (any dims > 0 tell).
        ReductionInfo? reduction = ReductionRegistry.All.FirstOrDefault(r => r.Name == op);
        ReductionOutputs outputs = reduction?.Outputs(1, 1, 1) ?? new ReductionOutputs(1, 0);
        bool values = outputs.ValueWidth > 0;
        bool indices = outputs.IndexWidth > 0;
        string element = ElementType(method) ?? "float";
        var taken = new HashSet<string>(method.Parameters.Select(p => p.Name));
        var missing = new List<(string Type, string Name)>();
        int present = method.Parameters.Length;
        if (present == declarations)
        {
            if (values)
            {
                missing.Add((element, Unique(indices ? "values" : "result", taken)));
            }

            if (indices)
            {
                missing.Add(("int", Unique("indices", taken)));
            }

            return missing;
        }

        // Values given, indices forgotten: the last parameter is already the Span<T> output.
        if (values && indices && present == declarations + 1 && IsSpanOf(method.Parameters[present - 1].Type, element))
        {
            missing.Add(("int", Unique("indices", taken)));
            return missing;
        }

        return null;
    }

    private static async Task<Document> AddAsync(Document document, SyntaxNode root, MethodDeclarationSyntax method, List<(string Type, string Name)> missing, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        IEnumerable<ParameterSyntax> added = missing.Select(m => SyntaxFactory.Parameter(SyntaxFactory.Identifier(m.Name))
            .WithType(SyntaxFactory.ParseTypeName($"global::System.Span<{m.Type}>").WithAdditionalAnnotations(Simplifier.Annotation))
            .WithLeadingTrivia(SyntaxFactory.Space));
        ParameterListSyntax list = method.ParameterList;
        SeparatedSyntaxList<ParameterSyntax> parameters = list.Parameters;
        foreach (ParameterSyntax parameter in added)
        {
            parameters = parameters.Count == 0 ? parameters.Add(parameter.WithoutLeadingTrivia()) : parameters.Add(parameter);
        }

        return document.WithSyntaxRoot(root.ReplaceNode(list, list.WithParameters(parameters)));
    }

    private static string? ElementType(IMethodSymbol method)
    {
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            ITypeSymbol type = parameter.Type;
            if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
                && generic.ConstructedFrom.ToDisplayString() is "System.ReadOnlySpan<T>" or "System.Span<T>")
            {
                type = generic.TypeArguments[0];
            }

            if (type.SpecialType == SpecialType.System_Single)
            {
                return "float";
            }

            if (type.SpecialType == SpecialType.System_Double)
            {
                return "double";
            }
        }

        return null;
    }

    private static bool IsSpanOf(ITypeSymbol type, string element)
        => type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
           && generic.ConstructedFrom.ToDisplayString() == "System.Span<T>"
           && generic.TypeArguments[0].ToDisplayString() == element;

    private static string Unique(string name, HashSet<string> taken)
    {
        string candidate = name;
        for (int n = 2; taken.Contains(candidate); n++)
        {
            candidate = name + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        taken.Add(candidate);
        return candidate;
    }
}
