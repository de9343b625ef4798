using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KeOpsGen.CodeFixes;

/// <summary>
/// KEOPS0308 (a gradient method called but not requested): sets <c>GradientOrder = n</c> on the
/// [Reduction] or [KernelSolve] attribute the diagnostic points to (its additional location), adding
/// the named argument or raising the one there. The attribute may be in another document.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GradientOrderCodeFix)), Shared]
public sealed class GradientOrderCodeFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.GradientsNotRequested.Id);

    // Several calls of one method's gradients point to the same attribute; the batch fixer would
    // merge conflicting edits of it, so fix-all is not offered.
    public override FixAllProvider? GetFixAllProvider() => null;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.AdditionalLocations.Count == 0 || diagnostic.AdditionalLocations[0].SourceTree is not { } tree
                || !diagnostic.Properties.TryGetValue(GradientRequestAnalyzer.OrderProperty, out string? value) || !int.TryParse(value, out int order))
            {
                continue;
            }

            Document? document = context.Document.Project.Solution.GetDocument(tree);
            if (document is null)
            {
                continue;
            }

            Microsoft.CodeAnalysis.Text.TextSpan span = diagnostic.AdditionalLocations[0].SourceSpan;
            context.RegisterCodeFix(
                CodeAction.Create($"Generate the gradient methods (GradientOrder = {order})", ct => SetOrderAsync(document, span, order, ct), equivalenceKey: nameof(GradientOrderCodeFix) + order),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Solution> SetOrderAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, int order, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        AttributeSyntax? attribute = root?.FindNode(span).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
        if (root is null || attribute is null)
        {
            return document.Project.Solution;
        }

        ExpressionSyntax literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(order));
        AttributeArgumentListSyntax list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        AttributeArgumentSyntax? existing = list.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == GradientRequestAnalyzer.OrderProperty);
        AttributeArgumentListSyntax updated = existing is not null
            ? list.ReplaceNode(existing, existing.WithExpression(literal.WithTriviaFrom(existing.Expression)))
            : list.AddArguments(SyntaxFactory.AttributeArgument(
                SyntaxFactory.NameEquals(
                    SyntaxFactory.IdentifierName(GradientRequestAnalyzer.OrderProperty).WithTrailingTrivia(SyntaxFactory.Space),
                    SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space)),
                null,
                literal).WithLeadingTrivia(SyntaxFactory.Space));
        return document.WithSyntaxRoot(root.ReplaceNode(attribute, attribute.WithArgumentList(updated))).Project.Solution;
    }
}
