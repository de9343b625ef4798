using KeOpsGen.Generator.Planning;

namespace KeOpsGen.Generator.Emit;

/// <summary>The XML summary of a generated method, written from its <see cref="MethodDoc"/>.</summary>
internal static class MethodDocs
{
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
