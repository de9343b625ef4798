using KeOpsGen.Generator.Parsing;

namespace KeOpsGen.Generator.Planning;

// The values passed between the generator's tracked steps (ReductionGenerator): each is an
// equatable record, so a step whose input equals the last run's is Cached. Everything up to
// Differentiate carries source locations (its diagnostics need them); from Plan on nothing does,
// so moving a method's text leaves its Plan and Emit steps Cached.

/// <summary>The Parse step's result: the declarations, parsed and checked, or the diagnostics that stopped them.</summary>
internal sealed record ParsedReduction(
    ReductionDeclaration Declaration,
    bool Succeeded,
    EquatableArray<VariableDeclaration> Declarations,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The formula, weight and variables bound to the method's parameters.</summary>
internal sealed record BoundFormula(Formula Formula, Formula? Weight, EquatableArray<VariableModel> Variables, string ElementType, bool IsHalf);

/// <summary>The Bind step's result: <see cref="Bound"/> is null when binding failed.</summary>
internal sealed record BoundReduction(ReductionDeclaration Declaration, BoundFormula? Bound, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// The Differentiate step's result, split in two: what needs source locations (diagnostics, the
/// failure stub, the anchors that later diagnostics resolve against) and the location-free
/// <see cref="Plan"/> input, null when analysis failed.
/// </summary>
internal sealed record DifferentiatedReduction(
    EquatableArray<DiagnosticInfo> Diagnostics,
    FailedMethodStub? Stub,
    PlanInput? Plan,
    MethodAnchors? Anchors);

/// <summary>
/// All the Plan step reads: the forward and gradient methods with their formulas, no source
/// locations. <see cref="Key"/> names the method for the diagnostics resolved after Plan and Emit.
/// </summary>
internal sealed record PlanInput(
    string Key,
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string MethodName,
    string Accessibility,
    string ElementType,
    bool IsHalf,
    string FormulaText,
    int Backend,
    EquatableArray<MethodPlan> Methods)
{
    /// <summary>ReductionAttribute.GradientOrder (0: the gradient methods were not requested).</summary>
    public int GradientOrder { get; init; }
}

/// <summary>The Plan step's result: the model every emitter reads, and the diagnostics planning found.</summary>
internal sealed record PlannedReduction(string Key, ReductionModel Model, EquatableArray<PendingDiagnostic> Pending);

/// <summary>Where a diagnostic found after the location split goes, resolved by <see cref="MethodAnchors"/>.</summary>
internal enum DiagnosticAnchor
{
    /// <summary>The method's name.</summary>
    Method,

    /// <summary>The whole formula string.</summary>
    Formula,

    /// <summary>The <c>Backend = ...</c> argument (the attribute when absent).</summary>
    Backend,

    /// <summary>The attribute.</summary>
    Attribute,
}

/// <summary>A diagnostic without a location yet: descriptor id, anchor, message arguments.</summary>
internal sealed record PendingDiagnostic(string Id, DiagnosticAnchor Anchor, EquatableArray<string> Arguments);

/// <summary>The source locations a method's pending diagnostics resolve to (the only located part after the split).</summary>
internal sealed record MethodAnchors(string Key, LocationInfo Method, LocationInfo Formula, LocationInfo Backend, LocationInfo Attribute)
{
    public DiagnosticInfo Resolve(PendingDiagnostic pending) => new(pending.Id, pending.Anchor switch
    {
        DiagnosticAnchor.Method => Method,
        DiagnosticAnchor.Formula => Formula,
        DiagnosticAnchor.Backend => Backend,
        _ => Attribute,
    }, pending.Arguments);
}
