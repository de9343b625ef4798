using KeOpsGen.Cpu;

namespace KeOpsGen.Gpu;

/// <summary>
/// The thread groups of a block-sparse or batched launch: which output rows each group holds and
/// which reduced-side ranges it walks (the <see cref="GpuLaunch{T}.Groups"/> and
/// <see cref="GpuLaunch{T}.Ranges"/> tables). Built from the CPU engine's
/// <see cref="CpuEngine.SweepPlan"/>, so both engines read ranges and batches the same way (same
/// merging of touching ranges, same identities for uncovered rows, same error messages); each of
/// its chunks, which never straddle two blocks, is cut into groups of at most the group size.
/// </summary>
internal sealed class GpuGroupPlan
{
    private GpuGroupPlan(int[] groups, int[] ranges)
    {
        Groups = groups;
        Ranges = ranges;
    }

    /// <summary>Four values per group: first row, end row, first range, end range.</summary>
    public int[] Groups { get; }

    /// <summary>The reduced ranges the groups index: (start, end) pairs flat.</summary>
    public int[] Ranges { get; }

    public int GroupCount => Groups.Length / 4;

    /// <summary>
    /// The groups of a call, or null when the call reduces every pair (no ranges and no batch, or
    /// ranges that keep everything): the dense launch then runs, so a mask that keeps everything
    /// gives the dense result bit for bit.
    /// </summary>
    /// <exception cref="ArgumentException">Ranges past the rows of the call, or a batch count that does not divide them.</exception>
    public static GpuGroupPlan? Create(int outerCount, int innerCount, in ReductionSettings settings, int groupSize)
    {
        if (settings.AllPairs)
        {
            return null;
        }

        CpuEngine.SweepPlan plan = CpuEngine.SweepPlan.Create(outerCount, innerCount, settings);
        if (IsDense(plan, innerCount))
        {
            return null;
        }

        var groups = new List<int>();
        var ranges = new List<int>();
        int at = -1, end = -1;
        for (int c = 0; c < plan.ChunkCount; c++)
        {
            (int first, int rows) = plan.Bounds(c);
            ReadOnlySpan<int> intervals = plan.Intervals(c);
            // Chunks of one block share its intervals: store them once.
            if (at < 0 || !intervals.SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ranges)[at..end]))
            {
                at = ranges.Count;
                foreach (int value in intervals)
                {
                    ranges.Add(value);
                }

                end = ranges.Count;
            }

            long stop = (long)first + rows;
            for (long row = first; row < stop; row += groupSize)
            {
                groups.Add((int)row);
                groups.Add((int)Math.Min(row + groupSize, stop));
                groups.Add(at / 2);
                groups.Add(end / 2);
            }
        }

        return new GpuGroupPlan(groups.ToArray(), ranges.ToArray());
    }

    /// <summary>Every chunk reduced over exactly [0, innerCount): what the dense launch does.</summary>
    private static bool IsDense(CpuEngine.SweepPlan plan, int innerCount)
    {
        for (int c = 0; c < plan.ChunkCount; c++)
        {
            ReadOnlySpan<int> intervals = plan.Intervals(c);
            bool whole = innerCount == 0 ? intervals.Length == 0 : intervals.Length == 2 && intervals[0] == 0 && intervals[1] == innerCount;
            if (!whole)
            {
                return false;
            }
        }

        return true;
    }
}
