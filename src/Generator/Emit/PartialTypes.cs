namespace KeOpsGen.Generator.Emit;

/// <summary>Opens and closes the namespace and containing partial types of a [Reduction] method, for files beside ApiEmitter's.</summary>
internal static class PartialTypes
{
    /// <summary>
    /// One generated file of extra members for <paramref name="model"/>'s type: the header, the
    /// namespace and partial types around <paramref name="body"/>, and the hint name
    /// <c>{Type}.{Method}.{suffix}.g.cs</c>.
    /// </summary>
    public static (string HintName, string Source) File(ReductionModel model, string what, string suffix, Action<IndentedWriter> body)
    {
        var w = new IndentedWriter();
        GeneratedFile.Header(w, $"KeOpsGen {what}.");
        w.Line();
        Open(w, model.Namespace, model.ContainingTypes);
        body(w);
        Close(w, model.Namespace, model.ContainingTypes);
        string typeName = string.Join(".", model.ContainingTypes.Select(t => t.Name));
        return ($"{typeName}.{model.MethodName}.{suffix}.g.cs", w.ToString());
    }

    public static void Open(IndentedWriter w, string? ns, EquatableArray<ContainingType> types)
    {
        if (ns is not null)
        {
            w.Line($"namespace {ns}");
            w.Line("{");
        }

        foreach (ContainingType type in types)
        {
            w.Open($"{(type.IsStatic ? "static " : string.Empty)}partial {type.Keyword} {type.Name}");
        }
    }

    public static void Close(IndentedWriter w, string? ns, EquatableArray<ContainingType> types)
    {
        foreach (ContainingType _ in types)
        {
            w.Close();
        }

        if (ns is not null)
        {
            w.Line("}");
        }
    }

    /// <summary>
    /// The implementation part of a method whose analysis failed (<paramref name="attribute"/>
    /// names its kind): it only throws. The KEOPS error already fails the build; this keeps Roslyn
    /// from also reporting the missing implementation.
    /// </summary>
    public static string ThrowingStub(string attribute, string? ns, EquatableArray<ContainingType> types, string accessibility, string returnType, string methodName, EquatableArray<ParameterInfo> parameters, string message)
    {
        var w = new IndentedWriter();
        GeneratedFile.Header(w, $"KeOpsGen could not compile this {attribute} method; see the KEOPS error.");
        w.Line();
        Open(w, ns, types);
        w.Line(GeneratedCode);
        w.Open($"{Static(accessibility)} partial {returnType} {methodName}({string.Join(", ", parameters.Select(p => $"{p.DisplayType} {p.Name}"))})");
        w.Line($"throw new global::System.InvalidOperationException({ApiEmitter.Literal($"KeOpsGen: '{methodName}' did not compile: {message}")});");
        w.Close();
        Close(w, ns, types);
        return w.ToString();
    }

    /// <summary>The modifiers of a generated method: the user's accessibility, none when the user wrote none.</summary>
    public static string Static(string accessibility) => accessibility.Length == 0 ? "static" : accessibility + " static";

    public const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"KeOpsGen\", \"" + GeneratorInfo.Version + "\")]";
}
