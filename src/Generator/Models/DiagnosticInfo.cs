namespace KeOpsGen.Generator.Models;

/// <summary>A diagnostic as a value: descriptor id, message arguments and where.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo location, params string[] arguments)
        => new(descriptor.Id, location, new EquatableArray<string>(arguments));

    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location.ToLocation(), Arguments.AsArray());
}

/// <summary>A diagnostic found inside a formula or declaration string, before it is mapped to C#.</summary>
internal sealed record FormulaDiagnostic(DiagnosticDescriptor Descriptor, Span Span, string[] Arguments)
{
    public string Message => string.Format(Descriptor.MessageFormat.ToString(), Arguments);
}
