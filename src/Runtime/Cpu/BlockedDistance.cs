using System.Runtime.Intrinsics;
using System.Threading.Tasks;

namespace KeOpsGen.Cpu;

/// <summary>
/// k-nearest-neighbour selection at large dimensions (the Min and KMin families on
/// <c>SqDist(X,Y)</c> or <c>-(X|Y)</c>, X and Y single variables of dimension D on the two
/// sides): the D-dimensional products are computed like a small matrix product, several output
/// rows against a panel of reduced rows with the dimension streamed through registers, then the
/// K smallest values are selected. The generator dispatches here when it recognizes the pattern
/// (Planning: BlockedKnnPlan); every other formula runs through <see cref="CpuEngine"/>.
/// </summary>
/// <remarks>
/// <para>A squared distance is computed as ‖x‖² + ‖y‖² − 2 x·y (the norms accumulated in double
/// once per row), so its inner loop is one fused multiply-add per pair and component. That form
/// loses absolute accuracy around D·ε·(‖x‖² + ‖y‖²) against Σ(x − y)², so it only chooses the
/// candidates: the K values reported are recomputed from their rows as Σ(x − y)² (or −Σ x·y) in
/// double, rounded to T, and the K slots re-sorted by (value, index). Two neighbours whose
/// distances differ by less than that bound may therefore swap places or membership relative to
/// the generic path; everything else (strict comparisons, ties to the smallest index, NaN and
/// +∞ terms never kept, empty slots +∞ with index −1) is the generic path's rule.</para>
/// <para>Memory: the reduced side is repacked once into panels (its own size) and the output
/// rows of each work item into row blocks; both pooled. Runs on all cores like the engine.</para>
/// </remarks>
public static unsafe class BlockedDistance
{
    /// <summary>The smallest dimension the generator dispatches here (below it the unrolled kernel wins).</summary>
    public const int MinimumDimension = 64;

    /// <summary>Output rows computed together against one panel load (register block).</summary>
    private const int Rows = 8;

    /// <summary>The span form of <see cref="TryKMin{T}(int, T*, T*, int, int, int, int, T*, int*, ReductionSettings)"/>, what generated code calls: the spans are pinned here.</summary>
    /// <param name="metric">As in the pointer form.</param>
    /// <param name="outer">Outer rows × dim.</param>
    /// <param name="inner">Inner rows × dim.</param>
    /// <param name="outerCount">Outer rows.</param>
    /// <param name="innerCount">Inner rows.</param>
    /// <param name="dim">Dimension of both variables.</param>
    /// <param name="k">K.</param>
    /// <param name="values">outerCount × K values, or empty.</param>
    /// <param name="indices">outerCount × K indices, or empty.</param>
    /// <param name="settings">The call's settings.</param>
    /// <returns>False when the call is not for this path (the engine then runs it).</returns>
    public static bool TryKMin<T>(int metric, ReadOnlySpan<T> outer, ReadOnlySpan<T> inner, int outerCount, int innerCount, int dim, int k, Span<T> values, Span<int> indices, ReductionSettings settings)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* o = outer, i = inner, v = values)
        fixed (int* x = indices)
        {
            return TryKMin(metric, o, i, outerCount, innerCount, dim, k, v, x, settings);
        }
    }

    /// <summary>
    /// The K smallest values of <paramref name="metric"/>(outer row, inner row) for every outer
    /// row, ascending, and/or their indices; false (nothing written) when this path does not
    /// apply to the call (block-sparse ranges, batches, a distributed run, no SIMD), in which case
    /// the caller runs the generic engine.
    /// </summary>
    /// <param name="metric">0: squared Euclidean distance; 1: the negated scalar product.</param>
    /// <param name="outer">outerCount × dim values, row-major.</param>
    /// <param name="inner">innerCount × dim values, row-major.</param>
    /// <param name="outerCount">Output rows.</param>
    /// <param name="innerCount">Rows on the reduced axis.</param>
    /// <param name="dim">D.</param>
    /// <param name="k">K (1 for Min/ArgMin).</param>
    /// <param name="values">outerCount × K values or null.</param>
    /// <param name="indices">outerCount × K indices or null.</param>
    /// <param name="settings">The call's settings (cancellation; ranges and batches send the call back to the engine).</param>
    public static bool TryKMin<T>(int metric, T* outer, T* inner, int outerCount, int innerCount, int dim, int k, T* values, int* indices, ReductionSettings settings)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (!settings.AllPairs || global::KeOpsGen.Distributed.ReductionExchange.Current is not null
            || (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            || metric is not (0 or 1) || dim < 1 || outerCount < 1 || innerCount < 1
            || (((long)innerCount + 63) / 64 * 64 * dim) > Array.MaxLength)
        {
            return false;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            new Job<T, Vector512Lane<T>>(metric, outer, inner, outerCount, innerCount, dim, new CpuEngine.SelectionOutput<T>(k, values, indices), settings).Run();
            return true;
        }

        if (Vector256.IsHardwareAccelerated)
        {
            new Job<T, Vector256Lane<T>>(metric, outer, inner, outerCount, innerCount, dim, new CpuEngine.SelectionOutput<T>(k, values, indices), settings).Run();
            return true;
        }

        return false;
    }

    private sealed class Job<T, TLane>(int metric, T* outer, T* inner, int outerCount, int innerCount, int dim, CpuEngine.SelectionOutput<T> output, ReductionSettings settings)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IEngineLane<TLane, T>
    {
        private T* _panels;
        private T* _offsets;

        /// <summary>Output rows per work item: enough items for every core, each a multiple of the register block.</summary>
        private int ChunkRows
        {
            get
            {
                long perWorker = ((long)outerCount + (4L * Environment.ProcessorCount) - 1) / (4L * Environment.ProcessorCount);
                return (int)Math.Clamp((perWorker + Rows - 1) / Rows * Rows, Rows, 64);
            }
        }

        /// <summary>Reduced rows per panel: two vectors, so the register block holds Rows × 2 accumulators.</summary>
        private static int PanelWidth => 2 * TLane.Count;

        public void Run()
        {
            int width = PanelWidth;
            int panels = (int)(((long)innerCount + width - 1) / width);
            long panelValues = checked((long)panels * width * dim);
            T[] panelArray = ArrayPool<T>.Shared.Rent(checked((int)panelValues));
            T[] offsetArray = ArrayPool<T>.Shared.Rent(panels * width);
            try
            {
                fixed (T* panelsPointer = panelArray)
                fixed (T* offsets = offsetArray)
                {
                    _panels = panelsPointer;
                    _offsets = offsets;
                    Pack(panels);
                    int chunks = (int)(((long)outerCount + ChunkRows - 1) / ChunkRows);
                    var token = settings.CancellationToken;
                    if (chunks <= 1 || (long)outerCount * innerCount < CpuEngine.ParallelThreshold)
                    {
                        for (int c = 0; c < chunks; c++)
                        {
                            token.ThrowIfCancellationRequested();
                            RunChunk(c, panels);
                        }

                        token.ThrowIfCancellationRequested();
                    }
                    else
                    {
                        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = token, MaxDegreeOfParallelism = CpuEngine.WorkerCount() }, c => RunChunk(c, panels));
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(panelArray);
                ArrayPool<T>.Shared.Return(offsetArray);
            }
        }

        /// <summary>
        /// Inner rows transposed into panels [panel][component][lane] (zeros past the last row), and
        /// per inner row the term added to every candidate: ‖y‖² for distances, 0 for products,
        /// +∞ for padding lanes so that they are never selected.
        /// </summary>
        private void Pack(int panels)
        {
            int width = PanelWidth;
            for (int p = 0; p < panels; p++)
            {
                T* panel = _panels + ((nint)p * width * dim);
                for (int lane = 0; lane < width; lane++)
                {
                    long j = ((long)p * width) + lane;
                    T term = Interleave(j < innerCount ? inner + (j * dim) : null, panel + lane, width);
                    _offsets[j] = j < innerCount ? term : T.PositiveInfinity;
                }
            }
        }

        private void RunChunk(int chunk, int panels)
        {
            int firstRow = chunk * ChunkRows;
            int rows = Math.Min(ChunkRows, outerCount - firstRow);
            int blocks = (rows + Rows - 1) / Rows;
            int kk = output.K;
            int width = PanelWidth;
            int count = TLane.Count;
            using var blockBuffer = new PooledBuffer<T>(blocks * Rows * dim);
            using var rowTermBuffer = new PooledBuffer<T>(blocks * Rows);
            var lists = new CpuEngine.SlotLists<T>(blocks * Rows * kk, T.PositiveInfinity);
            try
            {
                T* block = blockBuffer.Pointer;
                T* rowTerm = rowTermBuffer.Pointer;
                fixed (T* best = lists.Values)
                fixed (int* index = lists.Indices)
                {
                    // Output rows interleaved by block, [block][component][row], so one cache line
                    // holds the Rows broadcasts of a component; padding rows are zero and ignored.
                    for (int r = 0; r < blocks * Rows; r++)
                    {
                        T* target = block + ((r / Rows) * Rows * dim) + (r % Rows);
                        rowTerm[r] = Interleave(r < rows ? outer + ((nint)(firstRow + r) * dim) : null, target, Rows);
                    }

                    T scale = metric == 0 ? T.CreateTruncating(-2.0) : T.NegativeOne;
                    var token = settings.CancellationToken;
                    for (int p = 0; p < panels; p++)
                    {
                        if ((p & 15) == 0)
                        {
                            token.ThrowIfCancellationRequested();
                        }

                        T* panel = _panels + ((nint)p * width * dim);
                        TLane offset0 = TLane.Load(in *_offsets, (nint)p * width);
                        TLane offset1 = TLane.Load(in *_offsets, ((nint)p * width) + count);
                        for (int b = 0; b < blocks; b++)
                        {
                            Block(block + ((nint)b * Rows * dim), panel, dim, offset0, offset1, scale, rowTerm + (b * Rows), best + (b * Rows * kk), index + (b * Rows * kk), kk, p * width);
                        }
                    }

                    Finish(firstRow, rows, best, index);
                }
            }
            finally
            {
                lists.Release();
            }
        }

        /// <summary>
        /// Copies one row into a component-major layout (component c at <paramref name="target"/>
        /// + c · <paramref name="stride"/>; zeros for a padding row, <paramref name="row"/> null)
        /// and returns the term the row adds to each of its candidates: its squared norm (in
        /// double, rounded once) for distances, 0 for products and padding.
        /// </summary>
        private T Interleave(T* row, T* target, int stride)
        {
            double norm = 0;
            for (int c = 0; c < dim; c++)
            {
                T value = row == null ? T.Zero : row[c];
                target[c * stride] = value;
                double v = double.CreateTruncating(value);
                norm += v * v;
            }

            return metric == 0 ? T.CreateTruncating(norm) : T.Zero;
        }

        /// <summary>
        /// Rows × 2 vectors of products over the whole dimension, then each row's candidates
        /// tested against its current K-th value.
        /// </summary>
        private static void Block(T* rows, T* panel, int dim, TLane offset0, TLane offset1, T scale, T* rowTerm, T* best, int* index, int kk, int firstJ)
        {
            TLane* products = stackalloc TLane[2 * Rows];
            Products(rows, panel, dim, products);
            TLane s = TLane.Create(scale);
            for (int r = 0; r < Rows; r++)
            {
                Select(products[2 * r], products[(2 * r) + 1], s, offset0, offset1, rowTerm[r], best + (r * kk), index + (r * kk), kk, firstJ);
            }
        }

        /// <summary>
        /// The register block: Rows × 2 accumulators over the dimension. No call follows the
        /// loop in this method, so the JIT keeps the accumulators in registers instead of
        /// spilling them on every iteration (it does when a call comes after).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
        private static void Products(T* rows, T* panel, int dim, TLane* products)
        {
            int count = TLane.Count;
            int width = 2 * count;
            TLane a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
            TLane a40 = default, a41 = default, a50 = default, a51 = default, a60 = default, a61 = default, a70 = default, a71 = default;
            T* y = panel;
            T* x = rows;
            for (int c = 0; c < dim; c++, y += width, x += Rows)
            {
                TLane y0 = TLane.Load(in *y);
                TLane y1 = TLane.Load(in *y, count);
                TLane b = TLane.Create(x[0]);
                a00 = TLane.Fma(b, y0, a00);
                a01 = TLane.Fma(b, y1, a01);
                b = TLane.Create(x[1]);
                a10 = TLane.Fma(b, y0, a10);
                a11 = TLane.Fma(b, y1, a11);
                b = TLane.Create(x[2]);
                a20 = TLane.Fma(b, y0, a20);
                a21 = TLane.Fma(b, y1, a21);
                b = TLane.Create(x[3]);
                a30 = TLane.Fma(b, y0, a30);
                a31 = TLane.Fma(b, y1, a31);
                b = TLane.Create(x[4]);
                a40 = TLane.Fma(b, y0, a40);
                a41 = TLane.Fma(b, y1, a41);
                b = TLane.Create(x[5]);
                a50 = TLane.Fma(b, y0, a50);
                a51 = TLane.Fma(b, y1, a51);
                b = TLane.Create(x[6]);
                a60 = TLane.Fma(b, y0, a60);
                a61 = TLane.Fma(b, y1, a61);
                b = TLane.Create(x[7]);
                a70 = TLane.Fma(b, y0, a70);
                a71 = TLane.Fma(b, y1, a71);
            }

            products[0] = a00;
            products[1] = a01;
            products[2] = a10;
            products[3] = a11;
            products[4] = a20;
            products[5] = a21;
            products[6] = a30;
            products[7] = a31;
            products[8] = a40;
            products[9] = a41;
            products[10] = a50;
            products[11] = a51;
            products[12] = a60;
            products[13] = a61;
            products[14] = a70;
            products[15] = a71;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Select(TLane product0, TLane product1, TLane scale, TLane offset0, TLane offset1, T rowTerm, T* best, int* index, int kk, int firstJ)
        {
            // value = rowTerm + offset_j + scale · product; padding lanes have offset +∞.
            TLane term = TLane.Create(rowTerm);
            TLane v0 = TLane.Fma(scale, product0, term + offset0);
            TLane v1 = TLane.Fma(scale, product1, term + offset1);
            T threshold = best[kk - 1];
            if (TLane.AnyLess(v0, threshold))
            {
                Insert(v0, firstJ, best, index, kk);
            }

            if (TLane.AnyLess(v1, best[kk - 1]))
            {
                Insert(v1, firstJ + TLane.Count, best, index, kk);
            }
        }

        /// <summary>Lanes below the K-th value, in increasing j: equal values keep increasing indices.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Insert(TLane v, int j, T* best, int* index, int kk)
        {
            for (int l = 0; l < TLane.Count; l++)
            {
                T value = TLane.GetElement(v, l);
                if (!(value < best[kk - 1]))
                {
                    continue;
                }

                CpuEngine.InsertSorted(value, j + l, best, index, kk);
            }
        }

        /// <summary>
        /// Recomputes each kept value from its two rows (Σ(x − y)² or −Σ x·y, in double), re-sorts
        /// the slots by (value, index) and writes the public [row][k] layout.
        /// </summary>
        private void Finish(int firstRow, int rows, T* best, int* index)
        {
            int kk = output.K;
            for (int r = 0; r < rows; r++)
            {
                T* rowBest = best + (r * kk);
                int* rowIndex = index + (r * kk);
                T* x = outer + ((nint)(firstRow + r) * dim);
                int filled = 0;
                while (filled < kk && rowIndex[filled] >= 0)
                {
                    T* y = inner + ((nint)rowIndex[filled] * dim);
                    double total = 0;
                    for (int c = 0; c < dim; c++)
                    {
                        double xc = double.CreateTruncating(x[c]), yc = double.CreateTruncating(y[c]);
                        total += metric == 0 ? (xc - yc) * (xc - yc) : -(xc * yc);
                    }

                    rowBest[filled] = T.CreateTruncating(total);
                    filled++;
                }

                for (int s = 1; s < filled; s++)
                {
                    T value = rowBest[s];
                    int at = rowIndex[s];
                    int position = s;
                    while (position > 0 && (rowBest[position - 1] > value || (rowBest[position - 1] == value && rowIndex[position - 1] > at)))
                    {
                        rowBest[position] = rowBest[position - 1];
                        rowIndex[position] = rowIndex[position - 1];
                        position--;
                    }

                    rowBest[position] = value;
                    rowIndex[position] = at;
                }

                nint destination = (nint)(firstRow + r) * kk;
                for (int s = 0; s < kk; s++)
                {
                    output.Write(destination + s, rowBest[s], rowIndex[s]);
                }
            }
        }
    }
}
