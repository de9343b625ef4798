namespace KeOpsGen.Generator.Emit;

/// <summary>
/// The aliasing check at the top of a generated body: every output span against every other
/// span parameter (inputs and the other outputs), so an in-place or partially overlapping call is
/// an ArgumentException naming both parameters instead of schedule-dependent results. The checks are
/// outputs × spans, linear in the parameters for the one or two outputs of a method, and an
/// output's read-only inputs are checked by one runtime call per eight of them.
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
        List<ParameterInfo> inputs = spans.Where(p => !outputs.Contains(p.Name)).ToList();
        for (int o = 0; o < outputs.Count; o++)
        {
            foreach (string other in outputs.Skip(o + 1))
            {
                w.Line($"global::KeOpsGen.Validate.Disjoint({outputs[o]}, \"{outputs[o]}\", {other}, \"{other}\");");
            }

            // Read-only inputs of one element type go eight to a call; any other span is checked on its own line.
            foreach (IGrouping<string, ParameterInfo> group in inputs.Where(p => p.Shape == ParameterShape.ReadOnlySpan).GroupBy(p => p.ElementType))
            {
                List<ParameterInfo> all = group.ToList();
                for (int start = 0; start < all.Count; start += InputsPerCall)
                {
                    List<string> names = all.Skip(start).Take(InputsPerCall).Select(p => p.Name).ToList();
                    w.Line($"global::KeOpsGen.Validate.DisjointFrom({outputs[o]}, \"{outputs[o]}\", \"{string.Join(",", names)}\", {string.Join(", ", names)});");
                }
            }

            foreach (ParameterInfo other in inputs.Where(p => p.Shape != ParameterShape.ReadOnlySpan))
            {
                w.Line($"global::KeOpsGen.Validate.Disjoint({outputs[o]}, \"{outputs[o]}\", {other.Name}, \"{other.Name}\");");
            }
        }
    }

    /// <summary>The inputs one <c>Validate.DisjointFrom</c> call takes.</summary>
    private const int InputsPerCall = 8;

    /// <summary>Checks each of <paramref name="outputs"/> against the other outputs and every one of <paramref name="inputs"/>.</summary>
    public static void EmitAll(IndentedWriter w, IReadOnlyList<string> outputs, IReadOnlyList<string> inputs, string? elementType = null)
    {
        // MemoryExtensions-style checks on pinned pairs: right whatever the garbage collector moves
        // meanwhile. One line per (output, other span) for the one or two outputs of a method; a
        // combined gradient method (one output per variable) hands every span to one runtime call
        // instead, so its text stays linear in the parameters.
        if (outputs.Count <= 2)
        {
            for (int o = 0; o < outputs.Count; o++)
            {
                foreach (string other in outputs.Skip(o + 1).Concat(inputs))
                {
                    w.Line($"global::KeOpsGen.Validate.Disjoint({outputs[o]}, \"{outputs[o]}\", {other}, \"{other}\");");
                }
            }

            return;
        }

        string t = elementType ?? throw new System.ArgumentNullException(nameof(elementType), "internal: many outputs need the spans' element type");

        // Groups of at most KernelSpans' capacity (128): each output group against itself, the
        // later output groups and every input group (one group each up to 128 parameters).
        List<List<string>> outputGroups = Groups(outputs), inputGroups = Groups(inputs);
        for (int g = 0; g < outputGroups.Count; g++)
        {
            string group = Fill(w, t, "__outputs" + g, outputGroups[g]);
            w.Line($"global::KeOpsGen.Validate.Disjoint(in __outputs{g}, \"{group}\", default, string.Empty);");
        }

        for (int g = 0; g < inputGroups.Count; g++)
        {
            Fill(w, t, "__inputs" + g, inputGroups[g]);
        }

        for (int g = 0; g < outputGroups.Count; g++)
        {
            string outputNames = string.Join(",", outputGroups[g]);
            for (int h = g + 1; h < outputGroups.Count; h++)
            {
                w.Line($"global::KeOpsGen.Validate.Disjoint(in __outputs{g}, \"{outputNames}\", in __outputs{h}, \"{string.Join(",", outputGroups[h])}\");");
            }

            for (int h = 0; h < inputGroups.Count; h++)
            {
                w.Line($"global::KeOpsGen.Validate.Disjoint(in __outputs{g}, \"{outputNames}\", in __inputs{h}, \"{string.Join(",", inputGroups[h])}\");");
            }
        }
    }

    private const int GroupSize = 128;

    private static List<List<string>> Groups(IReadOnlyList<string> names)
        => Enumerable.Range(0, (names.Count + GroupSize - 1) / GroupSize)
            .Select(g => names.Skip(g * GroupSize).Take(GroupSize).ToList())
            .ToList();

    private static string Fill(IndentedWriter w, string elementType, string local, List<string> names)
    {
        w.Line($"scoped global::KeOpsGen.Cpu.KernelSpans<{elementType}> {local} = default;");
        foreach (string name in names)
        {
            w.Line($"{local}.Add({name});");
        }

        return string.Join(",", names);
    }
}
