using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KeOpsGen;

/// <summary>
/// Where a span lies in memory (start address and byte length), for the one-call overlap check of
/// a generated method: <see cref="Validate.Disjoint(int, string, int, ReadOnlySpan{SpanExtent})"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct SpanExtent
{
    internal SpanExtent(ulong start, ulong bytes)
    {
        Start = start;
        Bytes = bytes;
    }

    internal ulong Start { get; }

    internal ulong Bytes { get; }

    internal bool Overlaps(SpanExtent other)
        => Bytes != 0 && other.Bytes != 0 && Start < other.Start + other.Bytes && other.Start < Start + Bytes;
}

public static partial class Validate
{
    /// <summary>The extent of <paramref name="span"/> (its address is only compared, never dereferenced).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static unsafe SpanExtent Extent<T>(ReadOnlySpan<T> span)
        where T : unmanaged
        => new((ulong)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span)), (ulong)span.Length * (ulong)sizeof(T));

    /// <inheritdoc cref="Extent{T}(ReadOnlySpan{T})"/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static SpanExtent Extent<T>(Span<T> span)
        where T : unmanaged
        => Extent((ReadOnlySpan<T>)span);

    /// <summary>The garbage collector's count of collections, taken before the extents of one check.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static int CollectionStamp() => GC.CollectionCount(0);

    /// <summary>
    /// Rejects an output that shares memory with any other span of the call, in one call whatever
    /// the number of parameters: the first <paramref name="outputs"/> extents are the outputs, the
    /// rest the inputs, named in order by the comma-separated <paramref name="names"/>.
    /// </summary>
    /// <remarks>
    /// The extents hold addresses read one after the other without pinning, and only a
    /// collection can move managed memory between two reads: when one ran since
    /// <paramref name="stamp"/> (<see cref="CollectionStamp"/>) this returns false and the caller
    /// reads the extents again. Otherwise every pair was where the extents say at once.
    /// </remarks>
    /// <returns>True when the check was made (and passed); false when it must be made again.</returns>
    /// <exception cref="ArgumentException">An output shares at least one byte with another span; names both parameters.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool Disjoint(int stamp, string names, int outputs, ReadOnlySpan<SpanExtent> extents)
    {
        if (GC.CollectionCount(0) != stamp)
        {
            return false;
        }

        for (int o = 0; o < outputs; o++)
        {
            // Each pair of outputs once; every output against every input.
            for (int k = o + 1; k < extents.Length; k++)
            {
                if (extents[o].Overlaps(extents[k]))
                {
                    string[] split = names.Split(',');
                    string output = split[o], other = split[k];
                    throw new ArgumentException(
                        $"Output '{output}' overlaps '{other}' in memory: an output must not share memory with an input or another output (in-place use is not supported, as rows are computed in parallel); pass a separate buffer.",
                        output);
                }
            }
        }

        return true;
    }
}
