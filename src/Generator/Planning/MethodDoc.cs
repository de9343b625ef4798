namespace KeOpsGen.Generator.Planning;

/// <summary>Which sentence documents a generated method (Emit/MethodDocs writes it).</summary>
internal enum MethodDocKind
{
    /// <summary>The user's reduction.</summary>
    Reduction,

    /// <summary>A gradient computed by one Sum kernel (Sum reductions, first and second order).</summary>
    SumGradient,

    /// <summary>A gradient of Min/Max/KMin and their Arg pairs: the formula's gradient at the selected pairs.</summary>
    SelectedPairsGradient,

    /// <summary>A gradient of the LogSumExp family: a Sum kernel reading the saved forward pass.</summary>
    ForwardPassGradient,
}

/// <summary>
/// The facts a generated method's XML summary states, as data: the plan says what a method is,
/// the emitter says it in words.
/// </summary>
/// <param name="Kind">Which sentence.</param>
/// <param name="ReductionName">The forward reduction (KeOpsGen.ReductionOp's name).</param>
/// <param name="Of">The formula text (<see cref="MethodDocKind.Reduction"/>) or the method differentiated.</param>
internal sealed record MethodDoc(MethodDocKind Kind, string ReductionName, string Of)
{
    /// <summary>The weight formula's text, for a weighted reduction.</summary>
    public string? Weight { get; init; }

    /// <summary>The parameter a gradient is taken with respect to.</summary>
    public string? WithRespectTo { get; init; }

    /// <summary>The gradient formula, as differentiated.</summary>
    public Formula? Gradient { get; init; }

    /// <summary>Second order: the adjoint the gradient is contracted with.</summary>
    public string? ContractedWith { get; init; }

    /// <summary>The adjoint input of a selected-pairs gradient.</summary>
    public string? Adjoint { get; init; }

    /// <summary>The internal variable holding the saved forward pass.</summary>
    public string? Saved { get; init; }

    /// <summary>The saved forward pass is (log Σ exp F, output) (SumSoftMaxWeight).</summary>
    public bool SavesSoftMax { get; init; }

    /// <summary>The gradient is summed over all rows (with respect to a parameter).</summary>
    public bool SummedOverRows { get; init; }
}
