using KeOpsGen.Distributed;

namespace KeOpsGen.Cpu;

public static unsafe partial class CpuEngine
{
    /// <summary>
    /// The selection reductions, by <paramref name="kind"/>: the component-wise minimum or maximum
    /// of F over the reduced axis and/or its index (Min, ArgMin, MinArgMin; Max, ArgMax, MaxArgMax),
    /// or the <paramref name="k"/> smallest values per component, ascending, and/or their indices
    /// (KMin, ArgKMin, KMinArgKMin). Under a current <see cref="Distributed.ReductionExchange"/> the
    /// local result is merged with the other ranks'.
    /// </summary>
    /// <param name="kind">Min, Max or KMin.</param>
    /// <param name="kernel">The generated kernel.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="k">For KMin, how many smallest values to keep (at least 1); else unused (0).</param>
    /// <param name="values">outerCount × FormulaDim values (× K for KMin, laid out [row][k][component]), or null when only indices are wanted.</param>
    /// <param name="indices">The indices in the same layout, or null when only values are wanted.</param>
    /// <param name="settings">Cancellation (sum options do not apply).</param>
    /// <remarks>
    /// Comparisons are strict, so ties go to the first (lower) index and NaN terms are never selected.
    /// A row or slot that no term fills (empty reduced axis, K larger than the reduced size, or only
    /// ±∞/NaN terms) gives +∞ (−∞ for Max) and index −1.
    /// </remarks>
    internal static void Selection<TKernel, T>(PartialStateKind kind, KernelData<T> kernel, int outerCount, int innerCount, int k, T* values, int* indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (kind == PartialStateKind.KMin)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        }

        if (ReductionExchange.Current is { } exchange)
        {
            DistributedSelect<TKernel, T>(exchange, kind, kernel, outerCount, innerCount, k, values, indices, settings);
            return;
        }

        if (kind == PartialStateKind.KMin)
        {
            RunWidest<TKernel, T, KMinFactory<TKernel, T>>(innerCount, new KMinFactory<TKernel, T>(kernel, outerCount, innerCount, k, values, indices, settings));
        }
        else
        {
            RunWidest<TKernel, T, MinMaxFactory<TKernel, T>>(innerCount, new MinMaxFactory<TKernel, T>(kernel, outerCount, innerCount, values, indices, settings, max: kind == PartialStateKind.Max));
        }
    }

    private readonly struct MinMaxFactory<TKernel, T>(KernelData<T> kernel, int outerCount, int innerCount, T* values, int* indices, ReductionSettings settings, bool max)
        : ITileJobFactory<TKernel, T>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TVec, TLanes>()
            where TVec : unmanaged
            where TLanes : ILanes<TVec, T>
            => new MinMaxJob<TKernel, T, TVec, TLanes>(kernel, outerCount, innerCount, values, indices, settings, max).Run();
    }

    private sealed class MinMaxJob<TKernel, T, TVec, TLanes> : TileJob<TKernel, T, TVec, TLanes>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : unmanaged
        where TLanes : ILanes<TVec, T>
    {
        private readonly T* _values;
        private readonly int* _indices;
        private readonly bool _max;

        public MinMaxJob(KernelData<T> kernel, int outerCount, int innerCount, T* values, int* indices, ReductionSettings settings, bool max)
            : base(kernel, outerCount, innerCount, settings, Identity(max), Identity(max))
        {
            _values = values;
            _indices = indices;
            _max = max;
        }

        private static T Identity(bool max) => max ? T.NegativeInfinity : T.PositiveInfinity;

        protected override RowsState CreateState(int rows) => new State(this, rows);

        private sealed class State : RowsState
        {
            private readonly MinMaxJob<TKernel, T, TVec, TLanes> _job;
            private readonly SlotLists<T> _lists;
            private readonly T[] _best;
            private readonly int[] _index;

            public State(MinMaxJob<TKernel, T, TVec, TLanes> job, int rows)
            {
                _job = job;
                int dimF = TKernel.FormulaDim;
                _lists = new SlotLists<T>(rows * dimF, Identity(job._max));
                _best = _lists.Values;
                _index = _lists.Indices;
            }

            public override void Tile(int row, int tileStart, int count, TVec* values)
            {
                int dimF = TKernel.FormulaDim;
                int width = TLanes.Count;
                int groups = (count + width - 1) / width;
                bool max = _job._max;
                for (int k = 0; k < dimF; k++)
                {
                    // The tile's extreme value first (SIMD), then, only when it beats the row's
                    // best, the first index holding it: earlier tiles already won any tie.
                    TVec extreme = TLanes.Splat(Identity(max));
                    for (int g = 0; g < groups; g++)
                    {
                        extreme = max ? TLanes.GreaterOf(values[(g * dimF) + k], extreme) : TLanes.LessOf(values[(g * dimF) + k], extreme);
                    }

                    T tileBest = Identity(max);
                    for (int l = 0; l < width; l++)
                    {
                        T v = TLanes.Lane(extreme, l);
                        if (max ? v > tileBest : v < tileBest)
                        {
                            tileBest = v;
                        }
                    }

                    int slot = (row * dimF) + k;
                    if (!(max ? tileBest > _best[slot] : tileBest < _best[slot]))
                    {
                        continue;
                    }

                    _best[slot] = tileBest;
                    for (int g = 0; g < groups; g++)
                    {
                        T* lanes = (T*)(values + (g * dimF) + k);
                        for (int l = 0; l < width; l++)
                        {
                            if (lanes[l] == tileBest)
                            {
                                _index[slot] = tileStart + (g * width) + l;
                                goto found;
                            }
                        }
                    }

                found:;
                }
            }

            public override void Release() => _lists.Release();

            public override void Finish(int firstRow, int rows)
            {
                int count = rows * TKernel.FormulaDim;
                nint offset = (nint)firstRow * TKernel.FormulaDim;
                for (int i = 0; i < count; i++)
                {
                    if (_job._values != null)
                    {
                        _job._values[offset + i] = _best[i];
                    }

                    if (_job._indices != null)
                    {
                        _job._indices[offset + i] = _index[i];
                    }
                }
            }
        }
    }
}
