using KeOpsGen.Generator.Formulas;

namespace KeOpsGen.CodeFixes;

/// <summary>KEOPS0101 (unknown operation): one fix per nearest operation name.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OperationNameCodeFix)), Shared]
public sealed class OperationNameCodeFix : CodeFixProvider
{
    private const int Choices = 3;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnknownOperation.Id);

    /// <summary>No fix-all: each misspelling has its own choice of names.</summary>
    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SourceText text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            TextSpan span = diagnostic.Location.SourceSpan;
            if (span.End > text.Length || span.IsEmpty)
            {
                continue;
            }

            // The span covers exactly the name's characters, which an identifier never escapes,
            // so the name is replaced in place whatever kind of literal holds it.
            string name = text.ToString(span);
            if (!name.All(c => char.IsLetterOrDigit(c) || c == '_'))
            {
                continue;
            }

            foreach (string candidate in OperationTable.Nearest(name, OperationTable.All.Select(o => o.Name).Append("Var"), Choices))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Use '{candidate}'",
                        _ => Task.FromResult(context.Document.WithText(text.WithChanges(new TextChange(span, candidate)))),
                        equivalenceKey: nameof(OperationNameCodeFix) + "." + candidate),
                    diagnostic);
            }
        }
    }
}
