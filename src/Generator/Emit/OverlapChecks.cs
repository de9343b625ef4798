using System.Linq;
using KeOpsGen.Generator.Models;
using KeOpsGen.Generator.Planning;

namespace KeOpsGen.Generator.Emit;

/// <summary>
/// The aliasing checks at the top of a generated body: every output span against every other
/// span parameter (inputs and the other output), so an in-place or partially overlapping call is
/// an ArgumentException naming both parameters instead of schedule-dependent results.
/// </summary>
internal static class OverlapChecks
{
    public static void Emit(IndentedWriter w, MethodPlan method)
    {
        string?[] outputs = { method.OutputParameter, method.IndexParameter };
        var spans = method.Parameters.Where(p => p.Shape is ParameterShape.Span or ParameterShape.ReadOnlySpan).ToList();
        for (int o = 0; o < outputs.Length; o++)
        {
            ParameterInfo? output = spans.FirstOrDefault(p => p.Name == outputs[o] && p.Shape == ParameterShape.Span);
            if (output is null)
            {
                continue;
            }

            foreach (ParameterInfo other in spans)
            {
                // Each pair of outputs once: the values output checks against the index output.
                bool laterOutput = o == 1 && other.Name == method.OutputParameter;
                if (other.Name != output.Name && !laterOutput)
                {
                    w.Line($"global::KeOpsGen.Validate.Disjoint({output.Name}, \"{output.Name}\", {other.Name}, \"{other.Name}\");");
                }
            }
        }
    }
}
