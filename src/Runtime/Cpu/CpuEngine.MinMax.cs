using System.Buffers;
using System.Numerics;

namespace KeOpsGen.Cpu;

public static unsafe partial class CpuEngine
{
    /// <summary>
    /// Component-wise minimum of F over the reduced axis and/or its index (Min, ArgMin, MinArgMin).
    /// </summary>
    /// <param name="kernel">The generated kernel.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="values">outerCount × FormulaDim minima, or null when only indices are wanted.</param>
    /// <param name="indices">outerCount × FormulaDim indices, or null when only values are wanted.</param>
    /// <param name="settings">Cancellation (sum options do not apply).</param>
    /// <remarks>
    /// Comparisons are strict, so ties go to the first index and NaN terms are never selected.
    /// A row with no term below +∞ (empty reduced axis, or only +∞/NaN terms) gives +∞ and index −1.
    /// </remarks>
    internal static void Min<TKernel, T>(KernelData<T> kernel, int outerCount, int innerCount, T* values, int* indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (global::KeOpsGen.Distributed.ReductionExchange.Current is { } exchange)
        {
            DistributedSelect<TKernel, T>(exchange, global::KeOpsGen.Distributed.PartialStateKind.Min, kernel, outerCount, innerCount, 0, values, indices, settings);
            return;
        }

        RunWidest<TKernel, T, MinMaxFactory<TKernel, T>>(innerCount, new MinMaxFactory<TKernel, T>(kernel, outerCount, innerCount, values, indices, settings, max: false));
    }

    /// <summary>
    /// Component-wise maximum of F and/or its index (Max, ArgMax, MaxArgMax): the mirror of
    /// <see cref="Min{TKernel, T}(KernelData{T}, int, int, T*, int*, ReductionSettings)"/>, with −∞ and index −1 for rows with no term above −∞.
    /// </summary>
    /// <param name="kernel">The generated kernel.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="values">outerCount × FormulaDim maxima, or null.</param>
    /// <param name="indices">outerCount × FormulaDim indices, or null.</param>
    /// <param name="settings">Cancellation.</param>
    internal static void Max<TKernel, T>(KernelData<T> kernel, int outerCount, int innerCount, T* values, int* indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (global::KeOpsGen.Distributed.ReductionExchange.Current is { } exchange)
        {
            DistributedSelect<TKernel, T>(exchange, global::KeOpsGen.Distributed.PartialStateKind.Max, kernel, outerCount, innerCount, 0, values, indices, settings);
            return;
        }

        RunWidest<TKernel, T, MinMaxFactory<TKernel, T>>(innerCount, new MinMaxFactory<TKernel, T>(kernel, outerCount, innerCount, values, indices, settings, max: true));
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
