using System.Numerics;

namespace KeOpsGen.Cpu;

public static unsafe partial class CpuEngine
{
    /// <summary>
    /// The <paramref name="k"/> smallest values of F per component, ascending, and/or their indices
    /// (KMin, ArgKMin, KMinArgKMin).
    /// </summary>
    /// <param name="kernel">The generated kernel.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="k">How many smallest values to keep (at least 1).</param>
    /// <param name="values">outerCount × K × FormulaDim values, laid out [row][k][component]; or null.</param>
    /// <param name="indices">outerCount × K × FormulaDim indices in the same layout; or null.</param>
    /// <param name="settings">Cancellation.</param>
    /// <remarks>
    /// Comparisons are strict: among equal values the lower index comes first, and NaN terms are
    /// never kept. Slots that no term fills (K larger than the reduced size, or too few terms
    /// below +∞) hold +∞ and index −1.
    /// </remarks>
    public static void KMin<TKernel, T>(TKernel kernel, int outerCount, int innerCount, int k, T* values, int* indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        System.ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        RunWidest<TKernel, T, KMinFactory<TKernel, T>>(innerCount, new KMinFactory<TKernel, T>(kernel, outerCount, innerCount, k, values, indices, settings));
    }

    private readonly struct KMinFactory<TKernel, T>(TKernel kernel, int outerCount, int innerCount, int k, T* values, int* indices, ReductionSettings settings)
        : ITileJobFactory<TKernel, T>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TVec, TLanes>()
            where TVec : unmanaged
            where TLanes : ILanes<TVec, T>
            => new KMinJob<TKernel, T, TVec, TLanes>(kernel, outerCount, innerCount, k, values, indices, settings).Run();
    }

    private sealed class KMinJob<TKernel, T, TVec, TLanes> : TileJob<TKernel, T, TVec, TLanes>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TLanes : ILanes<TVec, T>
    {
        private readonly int _k;
        private readonly T* _values;
        private readonly int* _indices;

        public KMinJob(TKernel kernel, int outerCount, int innerCount, int k, T* values, int* indices, ReductionSettings settings)
            : base(kernel, outerCount, innerCount, settings, T.PositiveInfinity, T.PositiveInfinity)
        {
            _k = k;
            _values = values;
            _indices = indices;
        }

        protected override RowsState CreateState(int rows) => new State(this, rows);

        /// <summary>Per row and component, a sorted list of K (value, index) slots: [row][component][k].</summary>
        private sealed class State : RowsState
        {
            private readonly KMinJob<TKernel, T, TVec, TLanes> _job;
            private readonly T[] _best;
            private readonly int[] _index;

            public State(KMinJob<TKernel, T, TVec, TLanes> job, int rows)
            {
                _job = job;
                int slots = rows * TKernel.FormulaDim * job._k;
                _best = new T[slots];
                _index = new int[slots];
                System.Array.Fill(_best, T.PositiveInfinity);
                System.Array.Fill(_index, -1);
            }

            public override void Tile(int row, int tileStart, int count, TVec* values)
            {
                int dimF = TKernel.FormulaDim;
                int width = TLanes.Count;
                int kk = _job._k;
                int groups = (count + width - 1) / width;
                fixed (T* bestAll = _best)
                fixed (int* indexAll = _index)
                {
                    for (int c = 0; c < dimF; c++)
                    {
                        T* best = bestAll + (((row * dimF) + c) * kk);
                        int* index = indexAll + (((row * dimF) + c) * kk);
                        T threshold = best[kk - 1];
                        for (int g = 0; g < groups; g++)
                        {
                            TVec v = values[(g * dimF) + c];
                            // Most groups hold nothing below the current K-th value: skip them whole.
                            if (!TLanes.AnyLess(v, threshold))
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

                                // Insert after every slot holding a value <= this one: equal values
                                // keep increasing indices, so the first index wins ties.
                                int position = kk - 1;
                                while (position > 0 && best[position - 1] > value)
                                {
                                    best[position] = best[position - 1];
                                    index[position] = index[position - 1];
                                    position--;
                                }

                                best[position] = value;
                                index[position] = tileStart + (g * width) + l;
                                threshold = best[kk - 1];
                            }
                        }
                    }
                }
            }

            public override void Finish(int firstRow, int rows)
            {
                int dimF = TKernel.FormulaDim;
                int kk = _job._k;
                for (int r = 0; r < rows; r++)
                {
                    // Public layout is [row][k][component]; the lists are [row][component][k].
                    nint output = ((nint)(firstRow + r)) * kk * dimF;
                    for (int c = 0; c < dimF; c++)
                    {
                        for (int s = 0; s < kk; s++)
                        {
                            int slot = (((r * dimF) + c) * kk) + s;
                            nint destination = output + (s * dimF) + c;
                            if (_job._values != null)
                            {
                                _job._values[destination] = _best[slot];
                            }

                            if (_job._indices != null)
                            {
                                _job._indices[destination] = _index[slot];
                            }
                        }
                    }
                }
            }
        }
    }
}
