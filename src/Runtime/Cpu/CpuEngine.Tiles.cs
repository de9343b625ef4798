using System.Runtime.Intrinsics;

namespace KeOpsGen.Cpu;

public static unsafe partial class CpuEngine
{
    /// <summary>
    /// Picks the widest SIMD width the machine and the reduced size allow, as <see cref="Sum{TKernel, T}(KernelData{T}, int, int, T*, ReductionSettings)"/> does.
    /// </summary>
    internal interface ITileJobFactory<TKernel, T>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        void Run<TLane>()
            where TLane : unmanaged, IEngineLane<TLane, T>;
    }

    internal static void RunWidest<TKernel, T, TFactory>(int innerCount, TFactory factory)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFactory : ITileJobFactory<TKernel, T>
    {
        if (Vector512.IsHardwareAccelerated && innerCount >= Vector512<T>.Count)
        {
            factory.Run<Vector512Lane<T>>();
        }
        else if (Vector256.IsHardwareAccelerated && innerCount >= Vector256<T>.Count)
        {
            factory.Run<Vector256Lane<T>>();
        }
        else
        {
            factory.Run<ScalarLane<T>>();
        }
    }

    /// <summary>
    /// The driver shared by the non-Sum reductions: for each chunk of output rows and each tile of
    /// the reduced axis, F is evaluated (SIMD over the reduced index) into a per-row scratch of
    /// the whole tile, and the reduction consumes the tile. Tiles are visited in increasing
    /// reduced index, lanes within a tile too, so "first index wins" needs no extra bookkeeping.
    /// </summary>
    /// <remarks>
    /// Lanes past the reduced size in the last vector of a tile are overwritten with the
    /// reduction's neutral values (<c>padFirst</c> for component 0, <c>padRest</c> for the others),
    /// so reductions never see the padding.
    /// </remarks>
    internal abstract class TileJob<TKernel, T, TLane> : SweepJob<TKernel, T>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IEngineLane<TLane, T>
    {
        private readonly T _padFirst;
        private readonly T _padRest;

        protected TileJob(KernelData<T> kernel, int outerCount, int innerCount, ReductionSettings settings, T padFirst, T padRest)
            : base(kernel, outerCount, innerCount, settings)
        {
            _padFirst = padFirst;
            _padRest = padRest;
        }

        protected abstract class RowsState
        {
            /// <summary>Folds one tile of a row into the accumulators.</summary>
            /// <param name="row">The row, relative to the chunk.</param>
            /// <param name="tileStart">Reduced index of the tile's first term.</param>
            /// <param name="count">Number of terms in the tile.</param>
            /// <param name="values">FormulaDim vectors per group of <c>TLane.Count</c> reduced indices.</param>
            public abstract void Tile(int row, int tileStart, int count, TLane* values);

            public abstract void Finish(int firstRow, int rows);

            /// <summary>Returns pooled buffers; called once the chunk is done, also on failure.</summary>
            public virtual void Release()
            {
            }
        }

        /// <summary>
        /// The state of a selecting reduction (Min, Max, KMin): pooled (value, index) slot lists
        /// starting at the reduction's identity, and where the job writes them.
        /// </summary>
        protected abstract class SelectionState : RowsState
        {
            private readonly SlotLists<T> _lists;

            protected SelectionState(SelectionOutput<T> output, int slots, T identity)
            {
                Output = output;
                _lists = new SlotLists<T>(slots, identity);
            }

            protected SelectionOutput<T> Output { get; }

            protected T[] Best => _lists.Values;

            protected int[] Index => _lists.Indices;

            public sealed override void Release() => _lists.Release();
        }

        protected abstract RowsState CreateState(int rows);

        protected override void RunChunk(int chunk)
        {
            (int firstRow, int rows) = ChunkBounds(chunk);
            int dimF = TKernel.FormulaDim;
            int outerDim = TKernel.OuterDim;
            int width = TLane.Count;
            int maxGroups = (TileRowCount + width - 1) / width;
            // Pooled: a call allocates a small constant, not memory proportional to its rows.
            T[] outerArray = ArrayPool<T>.Shared.Rent(Math.Max(1, rows * outerDim));
            TLane[] valueArray = ArrayPool<TLane>.Shared.Rent(maxGroups * dimF);
            RowsState state = CreateState(rows);
            try
            {
            fixed (T* outer = outerArray)
            fixed (TLane* values = valueArray)
            {
                GatherOuterRows(firstRow, rows, outer);

                TLane padFirst = TLane.Create(_padFirst);
                TLane padRest = TLane.Create(_padRest);
                foreach ((int tile, int tileEnd) in Tiles(chunk))
                {
                    int count = tileEnd - tile;
                    int groups = (count + width - 1) / width;
                    int tail = count - ((groups - 1) * width);
                    for (int r = 0; r < rows; r++)
                    {
                        CheckCancellation(r);
                        T* row = outer + (r * outerDim);
                        for (int g = 0; g < groups; g++)
                        {
                            Evaluate(Params, row, Inner + tile + (g * width), Stride, ref values[g * dimF]);
                        }

                        if (tail < width)
                        {
                            TLane* last = values + ((groups - 1) * dimF);
                            last[0] = Lanes.KeepFirst(tail, last[0], padFirst);
                            for (int k = 1; k < dimF; k++)
                            {
                                last[k] = Lanes.KeepFirst(tail, last[k], padRest);
                            }
                        }

                        state.Tile(r, tile, count, values);
                    }

                    Settings.CancellationToken.ThrowIfCancellationRequested();
                }

                state.Finish(firstRow, rows);
            }
            }
            finally
            {
                state.Release();
                ArrayPool<T>.Shared.Return(outerArray);
                ArrayPool<TLane>.Shared.Return(valueArray);
            }
        }
    }
}
