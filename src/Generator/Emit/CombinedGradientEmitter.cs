namespace KeOpsGen.Generator.Emit;

/// <summary>
/// M + "Grad": every first-order gradient of M in one call, as PyKeOps's backward computes every
/// needed gradient at once. It names each parameter once (the inputs, gradOutput, one output span
/// per variable), checks them once, and runs each requested gradient's own kernel through a body
/// that names only the variables that kernel reads, so its size is linear in the variable count.
/// </summary>
internal static class CombinedGradientEmitter
{
    public static void Emit(IndentedWriter w, ReductionModel model)
    {
        if (!GradientSurface.HasCombined(model))
        {
            return;
        }

        List<MethodPlan> gradients = GradientSurface.FirstOrder(model);
        MethodPlan forward = model.Methods[0];
        MethodPlan first = gradients[0];

        // The gradient methods' parameters: the inputs, gradOutput, then their result.
        List<ParameterInfo> inputs = first.Parameters.Take(first.Parameters.Count - 1).ToList();
        var taken = new HashSet<string>(inputs.Select(p => p.Name)) { "options" };
        var outputs = new List<(MethodPlan Method, string Name, ParameterInfo Result)>();
        foreach (MethodPlan g in gradients)
        {
            string name = "grad" + ReductionAnalyzer.Pascal(g.Doc.WithRespectTo!);
            while (!taken.Add(name))
            {
                name += "_";
            }

            ParameterInfo result = g.Parameters.First(p => p.Name == g.OutputParameter);
            outputs.Add((g, name, result with { Name = name }));
        }

        string t = model.ElementType;
        w.Line();
        w.Line($"/// <summary>The gradient of <see cref=\"{ApiEmitter.OptionsCref(forward)}\"/> with respect to every input whose span is not empty, in one call: each is the vector-Jacobian product with <paramref name=\"{inputs[inputs.Count - 1].Name}\"/>, computed by its own gradient kernel (the one {model.MethodName}Grad&lt;Input&gt; runs), so the results do not depend on which others are asked for.</summary>");
        foreach (ParameterInfo p in inputs)
        {
            w.Line($"/// <param name=\"{p.Name}\">{ApiEmitter.ParameterDoc(first, p)}</param>");
        }

        foreach ((MethodPlan g, string name, ParameterInfo result) in outputs)
        {
            w.Line($"/// <param name=\"{name}\">Receives the gradient with respect to <paramref name=\"{g.Doc.WithRespectTo}\"/> ({ApiEmitter.ParameterDoc(g, g.Parameters.First(p => p.Name == g.OutputParameter))}); empty to skip it.</param>");
        }

        w.Line("/// <param name=\"options\">Per-call sum scheme, accumulation, ranges and cancellation, for every gradient; null members (or null) keep the attribute's choices.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length does not fit its declaration, an output overlaps another span, or an option does not apply to this reduction.</exception>");
        w.Line(ApiEmitter.Generated);
        string parameters = string.Join(", ", inputs.Concat(outputs.Select(o => o.Result)).Select(p => $"{p.DisplayType} {p.Name}"));
        w.Open($"{ApiEmitter.Static(model.Accessibility)} void {model.MethodName}Grad({parameters}, global::KeOpsGen.ReductionOptions? options = null)");

        // Every input once; each gradient's body below checks gradOutput and its own output.
        ApiEmitter.EmitRowChecks(w, forward.Variables.Where(v => v.Category == VariableCategory.I).ToEquatableArray(), "__rowsI");
        ApiEmitter.EmitRowChecks(w, forward.Variables.Where(v => v.Category == VariableCategory.J).ToEquatableArray(), "__rowsJ");
        foreach (VariableModel v in forward.Variables.Where(v => v.Category == VariableCategory.Parameter))
        {
            if (forward.Parameters.First(p => p.Name == v.ParameterName).Shape != ParameterShape.Scalar)
            {
                w.Line($"global::KeOpsGen.Validate.ParameterLength({v.ParameterName}.Length, {v.Dim}, \"{v.ParameterName}\");");
            }
        }

        OverlapChecks.EmitAll(w, outputs.Select(o => o.Name).ToList(), inputs.Where(p => p.Shape is ParameterShape.Span or ParameterShape.ReadOnlySpan).Select(p => p.Name).ToList(), t);
        // Public per-variable methods run each gradient (their calls, bounded by the threshold, are
        // shorter than bodies); past it, each gradient's body names only its kernels' variables.
        bool calls = GradientSurface.HasPerVariableMethods(model);
        string arguments = string.Join(", ", inputs.Select(p => p.Name));
        foreach ((MethodPlan g, string name, ParameterInfo _) in outputs)
        {
            w.Open($"if (!{name}.IsEmpty)");
            if (calls)
            {
                w.Line($"{g.Name}({arguments}, {name}, options);");
            }
            else
            {
                ApiEmitter.EmitBody(w, model, Pruned(g, name, forward.Variables.Count));
            }

            w.Close();
        }

        w.Close();
    }

    /// <summary>
    /// <paramref name="gradient"/> with only what its body needs: the variables its kernels read,
    /// the first i- and j-variable (the row counts), gradOutput and the forward pass's saved
    /// values, and its result renamed to <paramref name="output"/>. The combined method has
    /// checked every other input already.
    /// </summary>
    private static MethodPlan Pruned(MethodPlan gradient, string output, int userVariables)
    {
        var used = new HashSet<int>(MethodVariables.Used(gradient).Select(v => v.Position));
        var rows = new HashSet<int>();
        foreach (VariableCategory category in new[] { VariableCategory.I, VariableCategory.J })
        {
            if (gradient.Variables.Take(userVariables).FirstOrDefault(v => v.Category == category) is { } head)
            {
                rows.Add(head.Position);
            }
        }

        EquatableArray<VariableModel> kept = gradient.Variables
            .Where((v, index) => index >= userVariables || used.Contains(v.Position) || rows.Contains(v.Position))
            .ToEquatableArray();
        var names = new HashSet<string>(kept.Select(v => v.ParameterName));
        EquatableArray<ParameterInfo> parameters = gradient.Parameters
            .Where(p => names.Contains(p.Name) || p.Name == gradient.OutputParameter)
            .Select(p => p.Name == gradient.OutputParameter ? p with { Name = output } : p)
            .ToEquatableArray();
        return gradient with { Variables = kept, Parameters = parameters, OutputParameter = output };
    }
}
