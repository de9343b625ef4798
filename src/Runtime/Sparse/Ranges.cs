namespace KeOpsGen;

/// <summary>
/// A block-sparse description of which (i, j) pairs a reduction visits: KeOps's six-part
/// <c>(ranges_i, slices_i, redranges_j, ranges_j, slices_j, redranges_i)</c> format.
/// </summary>
/// <remarks>
/// <para>
/// The first half serves reductions over j (axis 1, and gradients with respect to Vi variables):
/// block <c>k</c> of i rows, <c>[ranges_i[k].start, ranges_i[k].end)</c>, is reduced over the j
/// ranges <c>redranges_j[slices_i[k-1] .. slices_i[k])</c> (with <c>slices_i[-1] = 0</c>). The
/// second half is the same description transposed, for reductions over i (axis 0, and gradients
/// with respect to Vj variables). Both halves should describe the same set of pairs;
/// <see cref="FromMatrix"/> guarantees it, the constructor trusts the caller.
/// </para>
/// <para>
/// Ranges are (start, end) pairs, end exclusive, given flat: <c>{ s0, e0, s1, e1, ... }</c>.
/// Row blocks must be sorted and non-overlapping; the reduced ranges of one block too (so that
/// ties in Min/ArgMin still go to the first index). Output rows that no block covers get the
/// reduction of nothing: 0 for Sum, +∞ for Min with index −1, −∞ for LogSumExp, ...
/// </para>
/// <para>Row counts are checked against the call when a generated method runs.</para>
/// </remarks>
public sealed class Ranges
{
    private readonly int[] _rangesI;
    private readonly int[] _slicesI;
    private readonly int[] _redRangesJ;
    private readonly int[] _rangesJ;
    private readonly int[] _slicesJ;
    private readonly int[] _redRangesI;

    /// <summary>Builds ranges from KeOps's six arrays, checking their structure.</summary>
    /// <param name="rangesI">Blocks of i rows: Mc (start, end) pairs, flat (2·Mc values).</param>
    /// <param name="slicesI">Mc cumulative end indices into <paramref name="redRangesJ"/>.</param>
    /// <param name="redRangesJ">The j ranges each i block is reduced over: (start, end) pairs.</param>
    /// <param name="rangesJ">Blocks of j rows: Nc (start, end) pairs.</param>
    /// <param name="slicesJ">Nc cumulative end indices into <paramref name="redRangesI"/>.</param>
    /// <param name="redRangesI">The i ranges each j block is reduced over.</param>
    /// <exception cref="ArgumentException">An array that is not of this form; the message says where.</exception>
    public Ranges(ReadOnlySpan<int> rangesI, ReadOnlySpan<int> slicesI, ReadOnlySpan<int> redRangesJ,
                  ReadOnlySpan<int> rangesJ, ReadOnlySpan<int> slicesJ, ReadOnlySpan<int> redRangesI)
        : this(rangesI.ToArray(), slicesI.ToArray(), redRangesJ.ToArray(), rangesJ.ToArray(), slicesJ.ToArray(), redRangesI.ToArray(), validate: true)
    {
    }

    private Ranges(int[] rangesI, int[] slicesI, int[] redRangesJ, int[] rangesJ, int[] slicesJ, int[] redRangesI, bool validate)
    {
        if (validate)
        {
            CheckHalf(rangesI, slicesI, redRangesJ, "rangesI", "slicesI", "redRangesJ");
            CheckHalf(rangesJ, slicesJ, redRangesI, "rangesJ", "slicesJ", "redRangesI");
        }

        _rangesI = rangesI;
        _slicesI = slicesI;
        _redRangesJ = redRangesJ;
        _rangesJ = rangesJ;
        _slicesJ = slicesJ;
        _redRangesI = redRangesI;
    }

    /// <summary>Blocks of i rows, (start, end) pairs flat.</summary>
    public ReadOnlySpan<int> RangesI => _rangesI;

    /// <summary>Cumulative end index into <see cref="RedRangesJ"/> of each i block.</summary>
    public ReadOnlySpan<int> SlicesI => _slicesI;

    /// <summary>The j ranges reduced for the i blocks, (start, end) pairs flat.</summary>
    public ReadOnlySpan<int> RedRangesJ => _redRangesJ;

    /// <summary>Blocks of j rows, (start, end) pairs flat.</summary>
    public ReadOnlySpan<int> RangesJ => _rangesJ;

    /// <summary>Cumulative end index into <see cref="RedRangesI"/> of each j block.</summary>
    public ReadOnlySpan<int> SlicesJ => _slicesJ;

    /// <summary>The i ranges reduced for the j blocks, (start, end) pairs flat.</summary>
    public ReadOnlySpan<int> RedRangesI => _redRangesI;

    /// <summary>Number of i blocks.</summary>
    public int BlockCountI => _rangesI.Length / 2;

    /// <summary>Number of j blocks.</summary>
    public int BlockCountJ => _rangesJ.Length / 2;

    /// <summary>
    /// KeOps's <c>from_matrix</c>: the ranges of the pairs (i block a, j block b) with
    /// <c>keep[a · (clusters of j) + b]</c> true.
    /// </summary>
    /// <param name="rangesI">Clusters of i rows: (start, end) pairs flat, sorted and non-overlapping.</param>
    /// <param name="rangesJ">Clusters of j rows, likewise.</param>
    /// <param name="keep">Row-major (clusters of i) × (clusters of j) mask.</param>
    /// <exception cref="ArgumentException">Malformed cluster ranges, or a mask of the wrong length.</exception>
    public static Ranges FromMatrix(ReadOnlySpan<int> rangesI, ReadOnlySpan<int> rangesJ, ReadOnlySpan<bool> keep)
    {
        CheckBlocks(rangesI, "rangesI");
        CheckBlocks(rangesJ, "rangesJ");
        int ci = rangesI.Length / 2;
        int cj = rangesJ.Length / 2;
        if (keep.Length != (long)ci * cj)
        {
            throw new ArgumentException(
                $"'keep' must hold (clusters of i) × (clusters of j) = {ci} × {cj} = {(long)ci * cj} values, row-major; got {keep.Length}.",
                nameof(keep));
        }

        (int[] slicesI, int[] redJ) = Kept(rangesJ, ci, cj, keep, aIsRow: true);
        (int[] slicesJ, int[] redI) = Kept(rangesI, cj, ci, keep, aIsRow: false);
        return new Ranges(rangesI.ToArray(), slicesI, redJ, rangesJ.ToArray(), slicesJ, redI, validate: false);
    }

    // One side of FromMatrix: for each of the side's `count` blocks a, the other side's blocks b
    // kept with it (keep is row-major over i blocks, so a and b swap roles between the two sides),
    // as the flat ranges of those blocks and the running count that ends each block's slice.
    private static (int[] Slices, int[] Reduced) Kept(ReadOnlySpan<int> otherRanges, int count, int otherCount, ReadOnlySpan<bool> keep, bool aIsRow)
    {
        var slices = new int[count];
        var reduced = new List<int>();
        for (int a = 0; a < count; a++)
        {
            for (int b = 0; b < otherCount; b++)
            {
                if (keep[aIsRow ? (a * otherCount) + b : (b * count) + a])
                {
                    reduced.Add(otherRanges[2 * b]);
                    reduced.Add(otherRanges[(2 * b) + 1]);
                }
            }

            slices[a] = reduced.Count / 2;
        }

        return (slices, reduced.ToArray());
    }

    /// <summary>
    /// The ranges of a batch of <paramref name="batch"/> independent problems stacked along both
    /// sides (batch b owns i rows [b·rowsI, (b+1)·rowsI) and j rows [b·rowsJ, (b+1)·rowsJ)):
    /// the block-diagonal pattern that runs one reduction per batch element in a single call.
    /// </summary>
    /// <param name="batch">Number of batch elements (≥ 1).</param>
    /// <param name="rowsI">i rows per batch element.</param>
    /// <param name="rowsJ">j rows per batch element.</param>
    public static Ranges BlockDiagonal(int batch, int rowsI, int rowsJ)
    {
        if (batch < 1)
        {
            throw new ArgumentException($"'batch' must be at least 1; got {batch}.", nameof(batch));
        }

        if (rowsI < 0 || rowsJ < 0 || (long)batch * rowsI > int.MaxValue || (long)batch * rowsJ > int.MaxValue)
        {
            throw new ArgumentException(
                $"Rows per batch element must be ≥ 0 with batch × rows below 2^31; got batch {batch}, rowsI {rowsI}, rowsJ {rowsJ}.",
                rowsI < 0 || (long)batch * rowsI > int.MaxValue ? nameof(rowsI) : nameof(rowsJ));
        }

        var rangesI = new int[2 * batch];
        var rangesJ = new int[2 * batch];
        var slices = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            rangesI[2 * b] = b * rowsI;
            rangesI[(2 * b) + 1] = (b + 1) * rowsI;
            rangesJ[2 * b] = b * rowsJ;
            rangesJ[(2 * b) + 1] = (b + 1) * rowsJ;
            slices[b] = b + 1;
        }

        return new Ranges(rangesI, slices, rangesJ, (int[])rangesJ.Clone(), (int[])slices.Clone(), (int[])rangesI.Clone(), validate: false);
    }

    /// <summary>The transposed problem (i and j exchanged): KeOps's <c>swap_axes</c>.</summary>
    public Ranges Swap() => new(_rangesJ, _slicesJ, _redRangesI, _rangesI, _slicesI, _redRangesJ, validate: false);

    /// <summary>Number of (i, j) pairs the first half visits (the axis-1 reductions).</summary>
    public long PairCountI() => PairCount(_rangesI, _slicesI, _redRangesJ);

    /// <summary>Number of (i, j) pairs the second half visits (the axis-0 reductions).</summary>
    public long PairCountJ() => PairCount(_rangesJ, _slicesJ, _redRangesI);

    /// <summary>The half a kernel whose output rows are on axis <paramref name="outerIsI"/> uses.</summary>
    internal (int[] Blocks, int[] Slices, int[] Reduced) Half(bool outerIsI)
        => outerIsI ? (_rangesI, _slicesI, _redRangesJ) : (_rangesJ, _slicesJ, _redRangesI);

    private static long PairCount(int[] blocks, int[] slices, int[] reduced)
    {
        long total = 0;
        int from = 0;
        for (int k = 0; k < slices.Length; k++)
        {
            long inner = 0;
            for (int s = from; s < slices[k]; s++)
            {
                inner += reduced[(2 * s) + 1] - reduced[2 * s];
            }

            total += inner * (blocks[(2 * k) + 1] - blocks[2 * k]);
            from = slices[k];
        }

        return total;
    }

    private static void CheckHalf(int[] blocks, int[] slices, int[] reduced, string blocksName, string slicesName, string reducedName)
    {
        CheckBlocks(blocks, blocksName);
        CheckPairs(reduced, reducedName);
        int count = blocks.Length / 2;
        if (slices.Length != count)
        {
            throw new ArgumentException(
                $"'{slicesName}' must hold one cumulative end index per block of '{blocksName}' ({count} values); got {slices.Length}.",
                slicesName);
        }

        int previous = 0;
        for (int k = 0; k < count; k++)
        {
            if (slices[k] < previous)
            {
                throw new ArgumentException(
                    $"'{slicesName}' must be non-decreasing from 0: {slicesName}[{k}] = {slices[k]} is below {(k == 0 ? "0" : $"{slicesName}[{k - 1}] = {previous}")}.",
                    slicesName);
            }

            // The reduced ranges of one block are visited in order; "first index wins" needs them sorted.
            for (int s = previous + 1; s < slices[k] && s < reduced.Length / 2; s++)
            {
                if (reduced[2 * s] < reduced[(2 * s) - 1])
                {
                    throw new ArgumentException(
                        $"'{reducedName}' ranges of block {k} must be sorted and non-overlapping: range {s} [{reduced[2 * s]}, {reduced[(2 * s) + 1]}) starts before range {s - 1} ends ({reduced[(2 * s) - 1]}).",
                        reducedName);
                }
            }

            previous = slices[k];
        }

        if (previous != reduced.Length / 2)
        {
            throw new ArgumentException(
                $"The last value of '{slicesName}' must be the number of ranges in '{reducedName}' ({reduced.Length / 2}); got {previous}.",
                slicesName);
        }
    }

    /// <summary>(start, end) pairs with 0 ≤ start ≤ end, sorted and non-overlapping.</summary>
    private static void CheckBlocks(ReadOnlySpan<int> blocks, string name)
    {
        CheckPairs(blocks, name);
        for (int k = 1; k < blocks.Length / 2; k++)
        {
            if (blocks[2 * k] < blocks[(2 * k) - 1])
            {
                throw new ArgumentException(
                    $"'{name}' blocks must be sorted and non-overlapping: block {k} [{blocks[2 * k]}, {blocks[(2 * k) + 1]}) starts before block {k - 1} ends ({blocks[(2 * k) - 1]}).",
                    name);
            }
        }
    }

    private static void CheckPairs(ReadOnlySpan<int> pairs, string name)
    {
        if (pairs.Length % 2 != 0)
        {
            throw new ArgumentException(
                $"'{name}' must hold (start, end) pairs, flat: its length {pairs.Length} is odd.",
                name);
        }

        for (int k = 0; k < pairs.Length / 2; k++)
        {
            int start = pairs[2 * k];
            int end = pairs[(2 * k) + 1];
            if (start < 0 || end < start)
            {
                throw new ArgumentException(
                    $"'{name}' range {k} is [{start}, {end}): expected 0 ≤ start ≤ end.",
                    name);
            }
        }
    }
}
