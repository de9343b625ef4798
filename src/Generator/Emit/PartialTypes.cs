using KeOpsGen.Generator.Models;

namespace KeOpsGen.Generator.Emit;

/// <summary>Opens and closes the namespace and containing partial types of a [Reduction] method, for files beside ApiEmitter's.</summary>
internal static class PartialTypes
{
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

    /// <summary>The modifiers of a generated method: the user's accessibility, none when the user wrote none.</summary>
    public static string Static(string accessibility) => accessibility.Length == 0 ? "static" : accessibility + " static";

    public const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"KeOpsGen\", \"" + GeneratorInfo.Version + "\")]";
}
