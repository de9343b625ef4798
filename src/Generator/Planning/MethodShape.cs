namespace KeOpsGen.Generator.Planning;

/// <summary>
/// What a generated method's declaration must be, whatever its attribute: static, partial without
/// a body, the attribute's return type, not generic, in partial non-generic types. [Reduction]
/// and [KernelSolve] word their errors alike.
/// </summary>
internal static class MethodShape
{
    /// <summary>
    /// The first thing wrong with <paramref name="d"/>'s declaration, or null. <paramref
    /// name="returnProblem"/> is what is wrong with its return type (null when it fits), worded
    /// to follow "method 'Name'".
    /// </summary>
    public static string? Problem(ReductionDeclaration d, string attribute, string declaredReturnType, string? returnProblem)
    {
        string method = $"[{attribute}] method '{d.MethodName}'";
        if (!d.IsStatic)
        {
            return $"{method} must be static";
        }

        if (!d.IsPartialDefinition)
        {
            return $"{method} must be a partial method without a body: declare it 'static partial {declaredReturnType} {d.MethodName}(...);'";
        }

        if (d.HasImplementation)
        {
            return $"{method} already has an implementation; KeOpsGen generates the body";
        }

        if (returnProblem is not null)
        {
            return $"{method} {returnProblem}";
        }

        if (d.IsGeneric)
        {
            return $"{method} cannot be generic: kernels are compiled for float or double";
        }

        if (d.ContainingTypes.Any(t => !t.IsPartial))
        {
            return $"The types containing {method} must all be partial";
        }

        return d.ContainingTypes.Any(t => t.IsGeneric) ? $"{method} cannot be declared in a generic type" : null;
    }
}
