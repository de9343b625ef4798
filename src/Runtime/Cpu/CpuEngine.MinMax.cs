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

        var output = new SelectionOutput<T>(k, values, indices);
        RunWidest<TKernel, T, SelectionFactory<TKernel, T>>(innerCount, new SelectionFactory<TKernel, T>(kind, kernel, outerCount, innerCount, output, settings));
    }

    /// <summary>The job of each selection at a SIMD width: KMin of a scalar F runs in registers (<see cref="KMinScalarJob{TKernel, T, TLane}"/>).</summary>
    private readonly struct SelectionFactory<TKernel, T>(PartialStateKind kind, KernelData<T> kernel, int outerCount, int innerCount, SelectionOutput<T> output, ReductionSettings settings)
        : ITileJobFactory<TKernel, T>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TLane>()
            where TLane : unmanaged, IEngineLane<TLane, T>
        {
            if (kind != PartialStateKind.KMin)
            {
                new MinMaxJob<TKernel, T, TLane>(kernel, outerCount, innerCount, output, settings, max: kind == PartialStateKind.Max).Run();
            }
            else if (TKernel.FormulaDim == 1)
            {
                new KMinScalarJob<TKernel, T, TLane>(kernel, outerCount, innerCount, output, settings).Run();
            }
            else
            {
                new KMinJob<TKernel, T, TLane>(kernel, outerCount, innerCount, output, settings).Run();
            }
        }
    }

    private sealed class MinMaxJob<TKernel, T, TLane> : TileJob<TKernel, T, TLane>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLane : unmanaged, IEngineLane<TLane, T>
    {
        private readonly SelectionOutput<T> _output;
        private readonly bool _max;

        public MinMaxJob(KernelData<T> kernel, int outerCount, int innerCount, SelectionOutput<T> output, ReductionSettings settings, bool max)
            : base(kernel, outerCount, innerCount, settings, Identity(max), Identity(max))
        {
            _output = output;
            _max = max;
        }

        private static T Identity(bool max) => max ? T.NegativeInfinity : T.PositiveInfinity;

        protected override RowsState CreateState(int rows) => new State(_output, rows, _max);

        /// <summary>Per row and component, the best value so far and its index: [row][component].</summary>
        private sealed class State : SelectionState
        {
            private readonly bool _max;

            public State(SelectionOutput<T> output, int rows, bool max)
                : base(output, rows * TKernel.FormulaDim, Identity(max))
            {
                _max = max;
            }

            public override void Tile(int row, int tileStart, int count, TLane* values)
            {
                int dimF = TKernel.FormulaDim;
                int width = TLane.Count;
                int groups = (count + width - 1) / width;
                bool max = _max;
                T[] best = Best;
                for (int k = 0; k < dimF; k++)
                {
                    // The tile's extreme value first (SIMD), then, only when it beats the row's
                    // best, the first index holding it: earlier tiles already won any tie.
                    TLane extreme = TLane.Create(Identity(max));
                    for (int g = 0; g < groups; g++)
                    {
                        extreme = max ? Lanes.GreaterOf(values[(g * dimF) + k], extreme) : Lanes.LessOf(values[(g * dimF) + k], extreme);
                    }

                    T tileBest = Identity(max);
                    for (int l = 0; l < width; l++)
                    {
                        T v = TLane.GetElement(extreme, l);
                        if (max ? v > tileBest : v < tileBest)
                        {
                            tileBest = v;
                        }
                    }

                    int slot = (row * dimF) + k;
                    if (!(max ? tileBest > best[slot] : tileBest < best[slot]))
                    {
                        continue;
                    }

                    best[slot] = tileBest;
                    for (int g = 0; g < groups; g++)
                    {
                        T* lanes = (T*)(values + (g * dimF) + k);
                        for (int l = 0; l < width; l++)
                        {
                            if (lanes[l] == tileBest)
                            {
                                Index[slot] = tileStart + (g * width) + l;
                                goto found;
                            }
                        }
                    }

                found:;
                }
            }

            public override void Finish(int firstRow, int rows)
            {
                int count = rows * TKernel.FormulaDim;
                nint offset = (nint)firstRow * TKernel.FormulaDim;
                for (int i = 0; i < count; i++)
                {
                    Output.Write(offset + i, Best[i], Index[i]);
                }
            }
        }
    }
}
