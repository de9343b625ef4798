using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Generator.Models;
using KeOpsGen.Generator.Planning;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// The aliasing check at the top of a generated body: every output span against every other
/// span parameter (inputs and the other outputs), so an in-place or partially overlapping call is
/// an ArgumentException naming both parameters instead of schedule-dependent results. One runtime
/// call names each span once, so the check grows linearly with the parameters.
/// </summary>
internal static class OverlapChecks
{
    public static void Emit(IndentedWriter w, MethodPlan method)
    {
        var spans = method.Parameters.Where(p => p.Shape is ParameterShape.Span or ParameterShape.ReadOnlySpan).ToList();
        var outputs = new[] { method.OutputParameter, method.IndexParameter }
            .Where(o => spans.Any(p => p.Name == o && p.Shape == ParameterShape.Span))
            .Select(o => o!)
            .ToList();
        EmitAll(w, outputs, spans.Select(p => p.Name).Where(n => !outputs.Contains(n)).ToList());
    }

    /// <summary>Checks each of <paramref name="outputs"/> against the other outputs and every one of <paramref name="inputs"/>.</summary>
    public static void EmitAll(IndentedWriter w, IReadOnlyList<string> outputs, IReadOnlyList<string> inputs)
    {
        if (outputs.Count == 0 || outputs.Count + inputs.Count < 2)
        {
            return;
        }

        var all = outputs.Concat(inputs).ToList();
        string extents = string.Join(", ", all.Select(n => $"global::KeOpsGen.Validate.Extent({n})"));

        // The addresses are read unpinned: Disjoint returns false (read them again) if a collection ran meanwhile.
        w.Line($"while (!global::KeOpsGen.Validate.Disjoint(global::KeOpsGen.Validate.CollectionStamp(), \"{string.Join(",", all)}\", {outputs.Count}, stackalloc global::KeOpsGen.SpanExtent[] {{ {extents} }}))");
        w.Line("{");
        w.Line("}");
    }
}
