namespace KeOpsGen.Generator.Models;

/// <summary>A span inside a formula or declaration string (not inside the C# file).</summary>
internal readonly record struct Span(int Start, int Length)
{
    public int End => Start + Length;

    public static Span FromBounds(int start, int end) => new(start, end - start);

    public Span Union(Span other)
    {
        int start = Start < other.Start ? Start : other.Start;
        int end = End > other.End ? End : other.End;
        return FromBounds(start, end);
    }
}
