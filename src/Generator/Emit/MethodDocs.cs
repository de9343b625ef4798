namespace KeOpsGen.Generator.Emit;

/// <summary>The XML docs of a generated method, written from its <see cref="MethodDoc"/>.</summary>
internal static class MethodDocs
{
    /// <summary>What the options parameter of a span method takes; said once, on the method that documents each family.</summary>
    private const string OptionsDoc = "Per-call sum scheme, accumulation, ranges, batch, backend and cancellation (a CancellationToken or Ranges converts to options); null members (or null) keep the attribute's choices.";

    private const string ArgumentExceptionDoc = "/// <exception cref=\"global::System.ArgumentException\">A span's length does not fit its declaration, an output overlaps another span, an option does not apply to this reduction, or the ranges reach past the rows of the call.</exception>";

    /// <summary>
    /// The docs of <paramref name="method"/>'s span method (the options overload beside a user's
    /// partial declaration): every parameter in full, except for a first-order gradient of the
    /// user's method, whose inputs, options and exceptions are the forward method's and are
    /// inherited from it (one inheritdoc with a path, not a param tag each: next to its own param
    /// tags an inheritdoc is CS1573), so only what the gradient adds is spelled out.
    /// </summary>
    /// <param name="w">The writer.</param>
    /// <param name="model">The method's file.</param>
    /// <param name="method">The documented method.</param>
    /// <param name="retype">How its parameters appear in the public signature (Half), if not as planned.</param>
    public static void Write(IndentedWriter w, ReductionModel model, MethodPlan method, System.Func<ParameterInfo, ParameterInfo>? retype = null)
    {
        string? ofCref = ApiEmitter.OfCref(model, method, retype);
        MethodPlan? of = method.Doc.Kind == MethodDocKind.Reduction ? null : model.Methods.FirstOrDefault(m => m.Name == method.Doc.Of);
        if (of is { IsUserPartial: true } && ofCref is not null)
        {
            var outputs = new HashSet<string?> { of.OutputParameter, of.IndexParameter };
            var inherited = new HashSet<string>(of.Parameters.Where(p => !outputs.Contains(p.Name)).Select(p => p.Name));
            IEnumerable<string> added = method.Parameters.Where(p => !inherited.Contains(p.Name)).Select(p => $" <paramref name=\"{p.Name}\"/> = {ApiEmitter.ParameterDoc(method, p)}");
            string excluded = string.Join(" and ", outputs.Where(o => o is not null).Select(o => $"@name!='{o}'"));
            w.Line($"/// <summary>{method.Summary(ofCref)}{string.Concat(added)}</summary>");
            w.Line($"/// <inheritdoc cref=\"{ofCref}\" path=\"/param[{excluded}]|/exception\"/>");
            return;
        }

        w.Line($"/// <summary>{method.Summary(ofCref)}</summary>");
        foreach (ParameterInfo p in method.Parameters)
        {
            w.Line($"/// <param name=\"{p.Name}\">{ApiEmitter.ParameterDoc(method, p)}</param>");
        }

        w.Line($"/// <param name=\"options\">{OptionsDoc}</param>");
        w.Line(ArgumentExceptionDoc);
    }

    /// <param name="method">The documented method.</param>
    /// <param name="ofCref">The cref of the method a gradient is taken of (one overload, as its bare name is ambiguous, CS0419); null: the bare name.</param>
    public static string Summary(this MethodPlan method, string? ofCref = null)
    {
        MethodDoc doc = method.Doc;
        string over = method.Axis == 1 ? "j" : "i";
        string gradient = doc.Gradient is null ? string.Empty : Escape(doc.Gradient.ToString());
        string summed = doc.SummedOverRows ? ", summed over all rows" : string.Empty;
        string respect = $"Gradient of <see cref=\"{ofCref ?? doc.Of}\"/> with respect to <paramref name=\"{doc.WithRespectTo}\"/>";
        return doc.Kind switch
        {
            MethodDocKind.Reduction =>
                $"Computes the {doc.ReductionName} reduction over {over} of <c>{Escape(doc.Of)}</c>{(doc.Weight is null ? string.Empty : $" with weight <c>{Escape(doc.Weight)}</c>")}.",
            MethodDocKind.SumGradient =>
                $"{respect}{(doc.ContractedWith is null ? string.Empty : $", contracted with <paramref name=\"{doc.ContractedWith}\"/> (shaped like {doc.Of}'s result)")}: the sum reduction over {over} of <c>{gradient}</c>{summed}.",
            MethodDocKind.SelectedPairsGradient =>
                $"{respect}: <c>{gradient}</c> with {doc.Adjoint} = g_ik e_k, evaluated only at the pairs (i, j) the forward {doc.ReductionName} selects{summed}.",
            _ =>
                $"{respect}: the sum reduction over {over} of <c>{gradient}</c>, where {doc.Saved} is the forward pass{(doc.SavesSoftMax ? " (log Σ exp F, then the output)" : string.Empty)}{summed}.",
        };
    }

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
