namespace KeOpsGen.Cpu;

public static unsafe partial class CpuEngine
{
    private sealed class KMinJob<TKernel, T, TLane>(KernelData<T> kernel, int outerCount, int innerCount, SelectionOutput<T> output, ReductionSettings settings)
        : TileJob<TKernel, T, TLane>(kernel, outerCount, innerCount, settings, T.PositiveInfinity, T.PositiveInfinity)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IEngineLane<TLane, T>
    {
        protected override RowsState CreateState(int rows) => new State(output, rows);

        /// <summary>Per row and component, a sorted list of K (value, index) slots: [row][component][k].</summary>
        private sealed class State(SelectionOutput<T> output, int rowCount)
            : SelectionState(output, rowCount * TKernel.FormulaDim * output.K, T.PositiveInfinity)
        {
            public override void Tile(int row, int tileStart, int count, TLane* values)
            {
                int dimF = TKernel.FormulaDim;
                int width = TLane.Count;
                int kk = Output.K;
                int groups = (count + width - 1) / width;
                fixed (T* bestAll = Best)
                fixed (int* indexAll = Index)
                {
                    for (int c = 0; c < dimF; c++)
                    {
                        T* best = bestAll + (((row * dimF) + c) * kk);
                        int* index = indexAll + (((row * dimF) + c) * kk);
                        T threshold = best[kk - 1];
                        for (int g = 0; g < groups; g++)
                        {
                            TLane v = values[(g * dimF) + c];
                            // Most groups hold nothing below the current K-th value: skip them whole.
                            if (!TLane.AnyLess(v, threshold))
                            {
                                continue;
                            }

                            T* lanes = (T*)(values + (g * dimF) + c);
                            for (int l = 0; l < width; l++)
                            {
                                T value = lanes[l];
                                if (!(value < threshold))
                                {
                                    continue;
                                }

                                InsertSorted(value, tileStart + (g * width) + l, best, index, kk);
                                threshold = best[kk - 1];
                            }
                        }
                    }
                }
            }

            public override void Finish(int firstRow, int rows)
            {
                int dimF = TKernel.FormulaDim;
                int kk = Output.K;
                T[] best = Best;
                int[] index = Index;
                for (int r = 0; r < rows; r++)
                {
                    // Public layout is [row][k][component]; the lists are [row][component][k].
                    nint rowStart = ((nint)(firstRow + r)) * kk * dimF;
                    for (int c = 0; c < dimF; c++)
                    {
                        for (int s = 0; s < kk; s++)
                        {
                            int slot = (((r * dimF) + c) * kk) + s;
                            Output.Write(rowStart + (s * dimF) + c, best[slot], index[slot]);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// KMin of a scalar F (k-nearest neighbours): F is evaluated and tested against each row's
    /// current K-th value in registers, with no tile scratch; only vectors holding a lane below
    /// that threshold (rare once the lists fill up) go through the insertion.
    /// </summary>
    private sealed class KMinScalarJob<TKernel, T, TLane>(KernelData<T> kernel, int outerCount, int innerCount, SelectionOutput<T> output, ReductionSettings settings)
        : SweepJob<TKernel, T>(kernel, outerCount, innerCount, settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IEngineLane<TLane, T>
    {
        protected override void RunChunk(int chunk)
        {
            (int firstRow, int rows) = ChunkBounds(chunk);
            int outerDim = TKernel.OuterDim;
            int kk = output.K;
            T[] outerArray = ArrayPool<T>.Shared.Rent(Math.Max(1, rows * outerDim));
            var lists = new SlotLists<T>(rows * kk, T.PositiveInfinity);
            try
            {
                fixed (T* outer = outerArray)
                fixed (T* best = lists.Values)
                fixed (int* index = lists.Indices)
                {
                    GatherOuterRows(firstRow, rows, outer);

                    foreach ((int tile, int tileEnd) in Tiles(chunk))
                    {
                        for (int r = 0; r < rows; r += RowBlock)
                        {
                            CheckCancellation(r);
                            int blockRows = Math.Min(RowBlock, rows - r);
                            ScanTile(outer + (r * outerDim), blockRows, tile, tileEnd, best + (r * kk), index + (r * kk));
                        }

                        Settings.CancellationToken.ThrowIfCancellationRequested();
                    }

                    for (int r = 0; r < rows; r++)
                    {
                        nint destination = (nint)(firstRow + r) * kk;
                        for (int s = 0; s < kk; s++)
                        {
                            output.Write(destination + s, best[(r * kk) + s], index[(r * kk) + s]);
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(outerArray);
                lists.Release();
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ScanTile(T* outer, int blockRows, int tile, int tileEnd, T* best, int* index)
        {
            int outerDim = TKernel.OuterDim;
            int width = TLane.Count;
            int kk = output.K;
            T* parameters = Params;
            nint stride = Stride;
            TLane f = TLane.Zero;
            for (int j = tile; j < tileEnd; j += width)
            {
                T* inner = Inner + j;
                int valid = tileEnd - j;
                for (int r = 0; r < blockRows; r++)
                {
                    Evaluate(parameters, outer + (r * outerDim), inner, stride, ref f);
                    if (valid < width)
                    {
                        f = Lanes.KeepFirst(valid, f, TLane.Create(T.PositiveInfinity));
                    }

                    T* rowBest = best + (r * kk);
                    if (TLane.AnyLess(f, rowBest[kk - 1]))
                    {
                        Insert(f, j, rowBest, index + (r * kk), kk);
                    }
                }
            }
        }

        /// <summary>Inserts the lanes below the K-th value, keeping the list ascending; equal values keep increasing indices.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Insert(TLane f, int j, T* best, int* index, int kk)
        {
            int width = TLane.Count;
            for (int l = 0; l < width; l++)
            {
                T value = TLane.GetElement(f, l);
                if (!(value < best[kk - 1]))
                {
                    continue;
                }

                InsertSorted(value, j + l, best, index, kk);
            }
        }
    }

    /// <summary>
    /// Inserts (value, index) into an ascending K-list whose last value is above it. It goes after
    /// every slot holding a value ≤ it: equal values keep increasing indices, so the first index
    /// wins ties.
    /// </summary>
    internal static void InsertSorted<T>(T value, int index, T* best, int* indices, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int position = k - 1;
        while (position > 0 && best[position - 1] > value)
        {
            best[position] = best[position - 1];
            indices[position] = indices[position - 1];
            position--;
        }

        best[position] = value;
        indices[position] = index;
    }
}
