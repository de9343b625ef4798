namespace KeOpsGen.Distributed;

/// <summary>
/// The merge of each reduction's partial states: what one process's threads do with their row
/// partials, applied to the states of several processes. Pieces are merged in order (the piece of
/// the process holding the lowest reduced rows first), so ties go to the first index exactly as
/// in a single process.
/// </summary>
public static unsafe class PartialStateMerge
{
    /// <summary>
    /// Merges the states (one per entry of <paramref name="indexOffsets"/>) of <paramref name="rows"/> × <paramref name="width"/>
    /// values laid one after the other (piece p at p · rows · width) into <paramref name="values"/>
    /// (and <paramref name="indices"/>).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="kind">The merge rule.</param>
    /// <param name="rows">Rows per piece.</param>
    /// <param name="width">Values per row.</param>
    /// <param name="k">K of the KMin family.</param>
    /// <param name="pieceValues">The pieces' values.</param>
    /// <param name="pieceIndices">The pieces' indices (Min, Max, KMin), each relative to its piece's first reduced row.</param>
    /// <param name="indexOffsets">Per piece, the global index of its first reduced row.</param>
    /// <param name="values">Merged values (rows × width).</param>
    /// <param name="indices">Merged global indices, or null.</param>
    public static void Merge<T>(PartialStateKind kind, int rows, int width, int k, ReadOnlySpan<T> pieceValues, ReadOnlySpan<int> pieceIndices, ReadOnlySpan<int> indexOffsets, Span<T> values, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pieces = indexOffsets.Length;
        int n = checked(rows * width);
        if (pieceValues.Length < (long)n * pieces || values.Length < n)
        {
            throw new ArgumentException($"Expected {pieces} pieces of {rows} × {width} values.", nameof(pieceValues));
        }

        bool indexed = kind is PartialStateKind.Min or PartialStateKind.Max or PartialStateKind.KMin;
        if (indexed && (pieceIndices.Length < (long)n * pieces || indices.Length < n))
        {
            throw new ArgumentException($"The {kind} merge needs {pieces} pieces of {rows} × {width} indices.", nameof(pieceIndices));
        }

        switch (kind)
        {
            case PartialStateKind.Sum:
                MergeSums(n, pieces, pieceValues, values);
                break;
            case PartialStateKind.Min:
            case PartialStateKind.Max:
                MergeExtremes(kind == PartialStateKind.Max, n, pieceValues, pieceIndices, indexOffsets, values, indices);
                break;
            case PartialStateKind.KMin:
                if (k < 1 || width % k != 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(k), $"K = {k} does not divide the width {width}.");
                }

                MergeLists(rows, k, width / k, pieceValues, pieceIndices, indexOffsets, values, indices);
                break;
            case PartialStateKind.ShiftExp:
                MergeShifted(rows, width, pieces, pieceValues, values);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown partial state kind.");
        }
    }

    /// <summary>Sums in double, in piece order, rounded once.</summary>
    private static void MergeSums<T>(int n, int pieces, ReadOnlySpan<T> pieceValues, Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
        {
            double total = 0;
            for (int p = 0; p < pieces; p++)
            {
                total += double.CreateTruncating(pieceValues[(p * n) + i]);
            }

            values[i] = T.CreateTruncating(total);
        }
    }

    /// <summary>Strict comparisons in piece order: an equal value from a later piece never wins.</summary>
    private static void MergeExtremes<T>(bool max, int n, ReadOnlySpan<T> pieceValues, ReadOnlySpan<int> pieceIndices, ReadOnlySpan<int> offsets, Span<T> values, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i++)
        {
            T best = max ? T.NegativeInfinity : T.PositiveInfinity;
            int index = -1;
            for (int p = 0; p < offsets.Length; p++)
            {
                int local = pieceIndices[(p * n) + i];
                T v = pieceValues[(p * n) + i];
                if (local >= 0 && (max ? v > best : v < best))
                {
                    best = v;
                    index = offsets[p] + local;
                }
            }

            values[i] = best;
            indices[i] = index;
        }
    }

    /// <summary>
    /// A k-way merge of sorted K-lists per (row, component): the smallest head wins, the earliest
    /// piece on ties, and a list's order is kept, so the result is ordered by (value, global index).
    /// </summary>
    private static void MergeLists<T>(int rows, int k, int dim, ReadOnlySpan<T> pieceValues, ReadOnlySpan<int> pieceIndices, ReadOnlySpan<int> offsets, Span<T> values, Span<int> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pieces = offsets.Length;
        int n = rows * k * dim;
        Span<int> heads = pieces <= 256 ? stackalloc int[pieces] : new int[pieces];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < dim; c++)
            {
                heads.Clear();
                for (int slot = 0; slot < k; slot++)
                {
                    int from = -1;
                    T best = T.PositiveInfinity;
                    for (int p = 0; p < pieces; p++)
                    {
                        if (heads[p] >= k)
                        {
                            continue;
                        }

                        int at = (p * n) + (((r * k) + heads[p]) * dim) + c;
                        // −1 marks an unfilled slot; the rest of that list is unfilled too.
                        if (pieceIndices[at] >= 0 && (from < 0 || pieceValues[at] < best))
                        {
                            from = p;
                            best = pieceValues[at];
                        }
                    }

                    int target = (((r * k) + slot) * dim) + c;
                    if (from < 0)
                    {
                        values[target] = T.PositiveInfinity;
                        indices[target] = -1;
                        continue;
                    }

                    int source = (from * n) + (((r * k) + heads[from]) * dim) + c;
                    values[target] = best;
                    indices[target] = offsets[from] + pieceIndices[source];
                    heads[from]++;
                }
            }
        }
    }

    /// <summary>
    /// (m, s) pairs: M = max m, s = Σ s_p e^(m_p − M), in double. A piece with m = −∞ (nothing
    /// summed) adds 0, or NaN if it summed a NaN term.
    /// </summary>
    private static void MergeShifted<T>(int rows, int width, int pieces, ReadOnlySpan<T> pieceValues, Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * width;
        Span<double> sums = width <= 64 ? stackalloc double[width] : new double[width];
        for (int r = 0; r < rows; r++)
        {
            double m = double.NegativeInfinity;
            for (int p = 0; p < pieces; p++)
            {
                m = Math.Max(m, double.CreateTruncating(pieceValues[(p * n) + (r * width)]));
            }

            sums.Clear();
            for (int p = 0; p < pieces; p++)
            {
                int at = (p * n) + (r * width);
                double mp = double.CreateTruncating(pieceValues[at]);
                double scale = double.IsNegativeInfinity(mp) ? 0 : Math.Exp(mp - m);
                for (int c = 1; c < width; c++)
                {
                    sums[c] += double.CreateTruncating(pieceValues[at + c]) * scale;
                }
            }

            values[r * width] = T.CreateTruncating(m);
            for (int c = 1; c < width; c++)
            {
                values[(r * width) + c] = T.CreateTruncating(sums[c]);
            }
        }
    }
}
