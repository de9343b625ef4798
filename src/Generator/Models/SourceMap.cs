using Microsoft.CodeAnalysis.Text;

namespace KeOpsGen.Generator.Models;

/// <summary>A place in a C# file, kept as plain values so models stay equatable.</summary>
internal readonly record struct LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public Location ToLocation() => Location.Create(
        FilePath,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));

    public static LocationInfo From(Location location)
    {
        FileLinePositionSpan line = location.GetLineSpan();
        return new LocationInfo(
            line.Path ?? string.Empty,
            location.SourceSpan.Start,
            location.SourceSpan.Length,
            line.StartLinePosition.Line,
            line.StartLinePosition.Character,
            line.EndLinePosition.Line,
            line.EndLinePosition.Character);
    }
}

/// <summary>
/// Maps positions in a string's value (a formula or a declaration) back to the characters of the
/// C# source that produced them: through escapes, verbatim and raw literals, and concatenations.
/// Characters that come from something other than a literal (a const reference) map to that
/// whole expression; a string that cannot be followed maps to the whole argument.
/// </summary>
internal sealed record SourceMap(LocationInfo Whole, EquatableArray<LocationInfo> Characters)
{
    /// <summary>The location of <paramref name="span"/> in the value; the whole argument if unmapped.</summary>
    public LocationInfo Map(Span span)
    {
        int count = Characters.Count;
        if (count == 0)
        {
            return Whole;
        }

        int start = span.Start < 0 ? 0 : (span.Start >= count ? count - 1 : span.Start);
        int last = span.Length <= 0 ? start : span.End - 1;
        if (last >= count)
        {
            last = count - 1;
        }

        if (last < start)
        {
            last = start;
        }

        LocationInfo first = Characters[start];
        LocationInfo end = Characters[last];
        int endOffset = end.Start + end.Length;
        if (endOffset < first.Start)
        {
            return first;
        }

        return new LocationInfo(first.FilePath, first.Start, endOffset - first.Start, first.StartLine, first.StartColumn, end.EndLine, end.EndColumn);
    }
}
