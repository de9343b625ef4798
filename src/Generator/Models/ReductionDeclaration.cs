namespace KeOpsGen.Generator.Models;

/// <summary>How a parameter is passed, as far as binding cares.</summary>
internal enum ParameterShape
{
    ReadOnlySpan,
    Span,
    Scalar,
    Other,
}

/// <summary>A method parameter as plain values.</summary>
internal sealed record ParameterInfo(string Name, ParameterShape Shape, string ElementType, string DisplayType, bool IsByRef, LocationInfo Location);

/// <summary>A type enclosing the method: needed to re-open it as partial in generated code.</summary>
internal sealed record ContainingType(string Keyword, string Name, bool IsPartial, bool IsGeneric, bool IsStatic)
{
    /// <summary>
    /// Where the type's name is when its accessibility (private, protected, private protected)
    /// keeps ILGPU's dynamic assembly from loading kernels nested in it; null for public and
    /// internal types (InternalsVisibleTo reaches those).
    /// </summary>
    public LocationInfo? HiddenAt { get; init; }

    /// <summary>The declared accessibility behind <see cref="HiddenAt"/> ("private", ...), empty otherwise.</summary>
    public string HiddenAccessibility { get; init; } = string.Empty;
}

/// <summary>
/// Everything the generator reads from a [Reduction] method, extracted once from Roslyn symbols
/// into equatable values: the input of the pure pipeline stages.
/// </summary>
/// <remarks><c>Accessibility</c> is the written accessibility, empty when the method has none.</remarks>
internal sealed record ReductionDeclaration(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string MethodName,
    string Accessibility,
    bool IsStatic,
    bool IsPartialDefinition,
    bool HasImplementation,
    bool ReturnsVoid,
    bool IsGeneric,
    bool IsOverloaded,
    LocationInfo MethodLocation,
    LocationInfo AttributeLocation,
    EquatableArray<ParameterInfo> Parameters,
    string? Formula,
    SourceMap FormulaMap,
    EquatableArray<string> Variables,
    EquatableArray<SourceMap> VariableMaps,
    string? Weight,
    SourceMap? WeightMap,
    int Op,
    int Axis,
    int K,
    int SumScheme,
    int Accumulation,
    EquatableArray<(string Name, LocationInfo Location)> NamedArguments)
{
    /// <summary>KeOpsGen.Backend as an int (0 Auto, 1 Cpu, 2 Gpu, 3 IlgpuCpu).</summary>
    public int Backend { get; init; }

    /// <summary>ReductionAttribute.GradientOrder: 0 (no gradient methods), 1, or 2 for the gradients of the gradient methods.</summary>
    public int GradientOrder { get; init; }

    /// <summary>The location of a named attribute argument, or the attribute itself.</summary>
    public LocationInfo NamedArgumentLocation(string name)
    {
        foreach ((string Name, LocationInfo Location) argument in NamedArguments)
        {
            if (argument.Name == name)
            {
                return argument.Location;
            }
        }

        return AttributeLocation;
    }
}
