using System.Threading.Tasks;

namespace KeOpsGen.Cpu;

public static unsafe partial class CpuEngine
{
    /// <summary>
    /// How a call is cut into work items: chunks of output rows, each with the list of reduced-side
    /// intervals [start, end) its rows are reduced over. A dense call is one run of rows [0, M)
    /// over the one interval [0, N); a block-sparse call (<see cref="Ranges"/>) has one run per
    /// output block, and rows no block covers are a run with no interval (the reduction of
    /// nothing). This is the only place that reads ranges: every job walks the intervals it gets.
    /// </summary>
    /// <remarks>
    /// Adjacent reduced ranges are merged and neighbouring runs with the same intervals joined, so
    /// a mask that keeps everything yields exactly the dense plan (same chunks, same tiles) and
    /// hence bitwise the dense result. Chunks never straddle two runs.
    /// </remarks>
    internal sealed class SweepPlan
    {
        private readonly int[] _chunkFirstRow;
        private readonly int[] _chunkRows;
        private readonly int[] _chunkIntervalStart;
        private readonly int[] _chunkIntervalEnd;
        private readonly int[] _intervals;

        private SweepPlan(List<int> firstRows, List<int> rows, List<int> intervalStart, List<int> intervalEnd, int[] intervals, long pairs)
        {
            _chunkFirstRow = firstRows.ToArray();
            _chunkRows = rows.ToArray();
            _chunkIntervalStart = intervalStart.ToArray();
            _chunkIntervalEnd = intervalEnd.ToArray();
            _intervals = intervals;
            Pairs = pairs;
        }

        /// <summary>Number of (output row, reduced row) pairs the call evaluates.</summary>
        public long Pairs { get; }

        public int ChunkCount => _chunkRows.Length;

        public (int FirstRow, int Rows) Bounds(int chunk) => (_chunkFirstRow[chunk], _chunkRows[chunk]);

        /// <summary>The reduced-side intervals of a chunk: (start, end) pairs flat, sorted, disjoint.</summary>
        public ReadOnlySpan<int> Intervals(int chunk)
            => _intervals.AsSpan(_chunkIntervalStart[chunk], _chunkIntervalEnd[chunk] - _chunkIntervalStart[chunk]);

        /// <summary>
        /// The plan of a call: dense without ranges, else from the half of <paramref name="settings"/>'s
        /// ranges that belongs to the kernel's output side.
        /// </summary>
        /// <exception cref="ArgumentException">Ranges reaching past the call's rows.</exception>
        public static SweepPlan Create(int outerCount, int innerCount, ReductionSettings settings)
        {
            var runs = new List<(int First, int End, int[] Intervals)>();
            if (settings.BatchCount > 1)
            {
                int batch = settings.BatchCount;
                if (outerCount % batch != 0 || innerCount % batch != 0)
                {
                    throw new ArgumentException(
                        $"options.BatchCount = {batch} must divide the rows of both sides; this call has {outerCount} {(settings.OuterIsI ? "i" : "j")} rows and {innerCount} {(settings.OuterIsI ? "j" : "i")} rows (spans hold BatchCount × rows × dim values).",
                        "options");
                }

                int outer = outerCount / batch;
                int inner = innerCount / batch;
                for (int b = 0; b < batch; b++)
                {
                    AddRun(runs, b * outer, (b + 1) * outer, inner > 0 ? new[] { b * inner, (b + 1) * inner } : Array.Empty<int>());
                }
            }
            else if (settings.Ranges is not { } ranges)
            {
                runs.Add((0, outerCount, innerCount > 0 ? new[] { 0, innerCount } : Array.Empty<int>()));
            }
            else
            {
                (int[] blocks, int[] slices, int[] reduced) = ranges.Half(settings.OuterIsI);
                CheckAgainstCall(blocks, reduced, outerCount, innerCount, settings.OuterIsI);
                int row = 0;
                int from = 0;
                for (int k = 0; k < slices.Length; k++)
                {
                    int start = blocks[2 * k];
                    int end = blocks[(2 * k) + 1];
                    if (start > row)
                    {
                        AddRun(runs, row, start, Array.Empty<int>());
                    }

                    AddRun(runs, start, end, Merge(reduced, from, slices[k]));
                    from = slices[k];
                    row = Math.Max(row, end);
                }

                if (row < outerCount)
                {
                    AddRun(runs, row, outerCount, Array.Empty<int>());
                }
            }

            long pairs = 0;
            foreach ((int first, int end, int[] intervals) in runs)
            {
                pairs += (long)(end - first) * Length(intervals);
            }

            // Rows per chunk as for a dense call with the same work per row, so a mask that keeps
            // everything chunks exactly like the dense call.
            int perRow = outerCount == 0 ? 0 : (int)Math.Min(int.MaxValue, pairs / outerCount);
            int chunkRows = ChunkRows(outerCount, perRow);
            var firstRows = new List<int>();
            var rowCounts = new List<int>();
            var intervalStart = new List<int>();
            var intervalEnd = new List<int>();
            var pool = new List<int>();
            foreach ((int first, int end, int[] intervals) in runs)
            {
                int at = pool.Count;
                pool.AddRange(intervals);
                // Rows with nothing to reduce only write identities: big chunks, bounded buffers.
                int step = intervals.Length == 0 ? Math.Max(chunkRows, 4096) : chunkRows;
                // In long: a run ending near int.MaxValue must not wrap the row counter.
                for (long r = first; r < end; r += step)
                {
                    firstRows.Add((int)r);
                    rowCounts.Add((int)Math.Min(step, end - r));
                    intervalStart.Add(at);
                    intervalEnd.Add(pool.Count);
                }
            }

            return new SweepPlan(firstRows, rowCounts, intervalStart, intervalEnd, pool.ToArray(), pairs);
        }

        /// <summary>Runs <paramref name="body"/> for every chunk, in parallel when the call is big enough.</summary>
        public void Run(CancellationToken cancellationToken, Action<int> body)
        {
            if (ChunkCount <= 1 || Pairs < ParallelThreshold)
            {
                for (int c = 0; c < ChunkCount; c++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    body(c);
                }

                cancellationToken.ThrowIfCancellationRequested();
                return;
            }

            Parallel.For(0, ChunkCount, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = WorkerCount() }, body);
        }

        private static void AddRun(List<(int First, int End, int[] Intervals)> runs, int first, int end, int[] intervals)
        {
            if (end <= first)
            {
                return;
            }

            if (runs.Count > 0 && runs[^1].End == first && runs[^1].Intervals.AsSpan().SequenceEqual(intervals))
            {
                runs[^1] = (runs[^1].First, end, runs[^1].Intervals);
                return;
            }

            runs.Add((first, end, intervals));
        }

        /// <summary>The ranges reduced[from..to) with empty ones dropped and touching ones joined.</summary>
        private static int[] Merge(int[] reduced, int from, int to)
        {
            var merged = new List<int>(2 * (to - from));
            for (int s = from; s < to; s++)
            {
                int start = reduced[2 * s];
                int end = reduced[(2 * s) + 1];
                if (end <= start)
                {
                    continue;
                }

                if (merged.Count > 0 && merged[^1] == start)
                {
                    merged[^1] = end;
                }
                else
                {
                    merged.Add(start);
                    merged.Add(end);
                }
            }

            return merged.ToArray();
        }

        private static long Length(int[] intervals)
        {
            long total = 0;
            for (int k = 0; k < intervals.Length; k += 2)
            {
                total += intervals[k + 1] - intervals[k];
            }

            return total;
        }

        private static void CheckAgainstCall(int[] blocks, int[] reduced, int outerCount, int innerCount, bool outerIsI)
        {
            string outerSide = outerIsI ? "i" : "j";
            string innerSide = outerIsI ? "j" : "i";
            string blocksName = outerIsI ? "RangesI" : "RangesJ";
            string reducedName = outerIsI ? "RedRangesJ" : "RedRangesI";
            for (int k = 0; k < blocks.Length / 2; k++)
            {
                if (blocks[(2 * k) + 1] > outerCount)
                {
                    throw new ArgumentException(
                        $"ranges.{blocksName} block {k} [{blocks[2 * k]}, {blocks[(2 * k) + 1]}) reaches past the {outerCount} rows of the {outerSide} side of this call.",
                        "ranges");
                }
            }

            for (int s = 0; s < reduced.Length / 2; s++)
            {
                if (reduced[(2 * s) + 1] > innerCount)
                {
                    throw new ArgumentException(
                        $"ranges.{reducedName} range {s} [{reduced[2 * s]}, {reduced[(2 * s) + 1]}) reaches past the {innerCount} rows of the {innerSide} side of this call.",
                        "ranges");
                }
            }
        }
    }
}
