using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Reductions;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// Writes the generated parts of docs/operations.md and README.md from the operation table and
/// the reduction registry: the text between a "generated:NAME" marker pair is owned by this
/// class. OperationsDocTests fails when the committed text differs; KEOPSGEN_ACCEPT_SNAPSHOTS=1
/// rewrites it.
/// </summary>
internal static class ReferenceDocs
{
    private static readonly (OpGroup Group, string Title)[] Groups =
    {
        (OpGroup.Constant, "Constants"),
        (OpGroup.Arithmetic, "Arithmetic"),
        (OpGroup.Elementwise, "Elementwise"),
        (OpGroup.Comparison, "Comparison"),
        (OpGroup.Vector, "Vector"),
        (OpGroup.Norm, "Norms and distances"),
        (OpGroup.Indexing, "Indexing"),
        (OpGroup.Tensor, "Tensor"),
        (OpGroup.Complex, "Complex (interleaved re, im)"),
        (OpGroup.Calculus, "Calculus"),
    };

    /// <summary>The public operations, by group, each group in declaration order.</summary>
    public static IReadOnlyList<Operation> Operations()
    {
        List<Operation> declared = typeof(Ops).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(Operation))
            .OrderBy(f => f.MetadataToken)
            .Select(f => (Operation)f.GetValue(null)!)
            .ToList();
        return Groups.SelectMany(g => declared.Where(op => op.Group == g.Group)).ToList();
    }

    /// <summary>docs/operations.md's table: one row per operation.</summary>
    public static string OperationsTable()
    {
        var b = new StringBuilder();
        b.Append("| Name | Signature | Dimension rule | Meaning |\n|---|---|---|---|\n");
        foreach (Operation op in Operations())
        {
            b.Append($"| `{op.Name}` | `{Cell(op.Signature)}` | {Cell(op.DimensionRule)} | {Cell(op.Description ?? op.Summary)} |\n");
        }

        return b.ToString();
    }

    /// <summary>docs/operations.md's reduction table: one row per registry entry.</summary>
    public static string ReductionsTable()
    {
        var b = new StringBuilder();
        b.Append("| Reduction | Values per row | Indices per row | Merge | Writes | Weight | Gradient methods |\n|---|---|---|---|---|---|---|\n");
        foreach (ReductionInfo r in ReductionRegistry.All)
        {
            string values = Width(r, o => o.ValueWidth);
            string indices = Width(r, o => o.IndexWidth);
            string weight = r.Weight switch { WeightUse.Required => "required", WeightUse.Optional => "optional", _ => "–" };
            string gradient = r.Gradient switch
            {
                GradientRule.Sum => "Sum reductions (GradientOrder 1 or 2)",
                GradientRule.SelectedPairs => "at the selected pairs",
                GradientRule.SavedForward => "Sum reductions over the saved forward pass",
                _ => "none",
            };
            b.Append($"| `{r.Name}` | {values} | {indices} | {r.Merge} | {Cell(r.Finalization)} | {weight} | {gradient} |\n");
        }

        return b.ToString();
    }

    /// <summary>README.md's overview: the operations of each group.</summary>
    public static string ReadmeTable()
    {
        var b = new StringBuilder();
        b.Append("| Group | Operations |\n|---|---|\n");
        List<Operation> all = Operations().ToList();
        foreach ((OpGroup group, string title) in Groups)
        {
            // Operations with integer arguments show them; the others are known by name.
            IEnumerable<string> names = all.Where(op => op.Group == group)
                .Select(op => op.Parameters.All(p => p == ParamKind.Formula) ? op.Name : op.Signature.Split(new[] { "  or  " }, StringSplitOptions.None)[0]);
            b.Append($"| {title} | {string.Join(", ", names.Select(n => $"`{Cell(n)}`"))} |\n");
        }

        return b.ToString();
    }

    /// <summary>Every generated region: (file relative to the repository root, marker name, text).</summary>
    public static IEnumerable<(string File, string Marker, string Text)> Regions()
    {
        yield return ("docs/operations.md", "operations", OperationsTable());
        yield return ("docs/operations.md", "reductions", ReductionsTable());
        yield return ("README.md", "operation-groups", ReadmeTable());
    }

    /// <summary>The text between the marker pair in <paramref name="document"/>, or null without markers.</summary>
    public static string? Region(string document, string marker)
    {
        (int start, int end)? bounds = Bounds(document, marker);
        return bounds is { } b ? document.Substring(b.start, b.end - b.start) : null;
    }

    /// <summary><paramref name="document"/> with the region replaced.</summary>
    public static string Replace(string document, string marker, string text)
    {
        (int start, int end) = Bounds(document, marker) ?? throw new InvalidOperationException($"no generated:{marker} markers");
        return document.Substring(0, start) + text + document.Substring(end);
    }

    public static string Begin(string marker) => $"<!-- generated:{marker} (from the generator's tables by ReferenceDocs; edit the table, then run the tests with KEOPSGEN_ACCEPT_SNAPSHOTS=1) -->\n";

    public static string End(string marker) => $"<!-- end generated:{marker} -->";

    private static (int, int)? Bounds(string document, string marker)
    {
        int begin = document.IndexOf(Begin(marker), StringComparison.Ordinal);
        int end = document.IndexOf(End(marker), StringComparison.Ordinal);
        return begin < 0 || end < begin ? null : (begin + Begin(marker).Length, end);
    }

    private static string Width(ReductionInfo r, Func<ReductionOutputs, int> part)
    {
        // Probe with distinct sizes so each rule reads back as a formula of d(F), d(G) and K.
        const int F = 3, G = 5, K = 7;
        string Describe(int w) => w switch
        {
            0 => "–",
            F => "d(F)",
            K * F => "K·d(F)",
            G => "d(G)",
            1 + G => "1 + d(G)",
            _ => w.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        string plain = Describe(part(r.Outputs(F, 0, K)));
        if (r.Weight != WeightUse.Optional)
        {
            return r.Weight == WeightUse.Required ? Describe(part(r.Outputs(F, G, K))) : plain;
        }

        string weighted = Describe(part(r.Outputs(F, G, K)));
        return weighted == plain ? plain : $"{plain} (with a weight: {weighted})";
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
