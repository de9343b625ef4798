namespace KeOpsGen.Cpu;

public static unsafe partial class CpuEngine
{
    /// <summary>How a log-sum-exp job turns its (m, s) accumulators into the output.</summary>
    private enum ShiftExpOutput
    {
        LogSumExp,
        MaxSumShiftExp,
        SumSoftMaxWeight,
        SoftMaxWithLogSumExp,

        /// <summary>The accumulators themselves, (m, s_0..s_d) per row, for a distributed merge.</summary>
        State,
    }

    /// <summary>
    /// The log-sum-exp family (<see cref="CpuReduction.LogSumExp"/>,
    /// <see cref="CpuReduction.MaxSumShiftExp"/>, <see cref="CpuReduction.SumSoftMaxWeight"/>,
    /// <see cref="CpuReduction.SumSoftMaxWeightWithLogSumExp"/>): one (m, s) accumulation per row,
    /// written in <paramref name="mode"/>'s form.
    /// </summary>
    /// <param name="kernel">The generated kernel: FormulaDim = 1 (F) or 1 + dim(G) (Concat(F, G)).</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="output">outerCount × the mode's width values.</param>
    /// <param name="settings">Summation scheme, precision and cancellation.</param>
    /// <param name="mode">What is written from the accumulators.</param>
    /// <remarks>
    /// The running maximum m shifts every exponential, so F in the thousands neither overflows nor
    /// underflows. An empty reduced axis gives −∞ (LogSumExp), (−∞, 0...) (MaxSumShiftExp) or NaN,
    /// 0/0 (SumSoftMaxWeight); a NaN term gives NaN.
    /// </remarks>
    private static void ShiftExp<TKernel, T>(KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings, ShiftExpOutput mode)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (mode != ShiftExpOutput.State && global::KeOpsGen.Distributed.ReductionExchange.Current is { } exchange)
        {
            DistributedShiftExp<TKernel, T>(exchange, kernel, outerCount, innerCount, output, settings, mode);
            return;
        }

        if (typeof(T) == typeof(double) || settings.Accumulation == Accumulation.Double)
        {
            RunWidest<TKernel, T, ShiftExpFactory<TKernel, T, double>>(innerCount, new ShiftExpFactory<TKernel, T, double>(kernel, outerCount, innerCount, output, settings, mode));
        }
        else
        {
            RunWidest<TKernel, T, ShiftExpFactory<TKernel, T, T>>(innerCount, new ShiftExpFactory<TKernel, T, T>(kernel, outerCount, innerCount, output, settings, mode));
        }
    }

    private readonly struct ShiftExpFactory<TKernel, T, TAcc>(KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings, ShiftExpOutput mode)
        : ITileJobFactory<TKernel, T>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAcc : unmanaged, IFloatingPointIeee754<TAcc>
    {
        public void Run<TLane>()
            where TLane : unmanaged, IEngineLane<TLane, T>
            => new ShiftExpJob<TKernel, T, TAcc, TLane>(kernel, outerCount, innerCount, output, settings, mode).Run();
    }

    /// <summary>
    /// Per row: m (running max of F) and s_0 = Σ e^{F−m}, s_k = Σ e^{F−m} G_k. Each tile is summed
    /// under its own max (a block partial, in SIMD lanes), then rescaled into the row's running
    /// sums: the KeOps pair-combination rule applied per tile. Direct and Block schemes coincide
    /// here, since the shift forces a per-tile partial; Kahan compensates the fold.
    /// </summary>
    private sealed class ShiftExpJob<TKernel, T, TAcc, TLane> : TileJob<TKernel, T, TLane>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAcc : unmanaged, IFloatingPointIeee754<TAcc>
        where TLane : unmanaged, IEngineLane<TLane, T>
    {
        private readonly T* _output;
        private readonly ShiftExpOutput _mode;

        public ShiftExpJob(KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings, ShiftExpOutput mode)
            : base(kernel, outerCount, innerCount, settings, T.NegativeInfinity, T.Zero)
        {
            _output = output;
            _mode = mode;
        }

        protected override RowsState CreateState(int rows) => new State(this, rows);

        private sealed class State : RowsState
        {
            private readonly ShiftExpJob<TKernel, T, TAcc, TLane> _job;
            private readonly TAcc[] _max;
            private readonly TAcc[] _sums;
            private readonly TAcc[] _compensation;
            private readonly TAcc[] _partial;
            private readonly TLane[] _lanes;
            private readonly bool _kahan;

            public State(ShiftExpJob<TKernel, T, TAcc, TLane> job, int rows)
            {
                _job = job;
                int dimF = TKernel.FormulaDim;
                _max = new TAcc[rows];
                Array.Fill(_max, TAcc.NegativeInfinity);
                _sums = new TAcc[rows * dimF];
                _compensation = new TAcc[rows * dimF];
                _partial = new TAcc[dimF];
                _lanes = new TLane[dimF];
                _kahan = job.Settings.SumScheme == SumScheme.Kahan;
            }

            public override void Tile(int row, int tileStart, int count, TLane* values)
            {
                int dimF = TKernel.FormulaDim;
                int width = TLane.Count;
                int groups = (count + width - 1) / width;

                // The tile's max of F; NaN is skipped here and propagates through exp below.
                TLane extreme = TLane.Create(T.NegativeInfinity);
                for (int g = 0; g < groups; g++)
                {
                    extreme = Lanes.GreaterOf(values[g * dimF], extreme);
                }

                T tileMax = T.NegativeInfinity;
                for (int l = 0; l < width; l++)
                {
                    T v = TLane.GetElement(extreme, l);
                    if (v > tileMax)
                    {
                        tileMax = v;
                    }
                }

                // An all −∞ tile adds e^{−∞} = 0 (or NaN from a NaN term): no shift needed.
                bool empty = T.IsNegativeInfinity(tileMax);
                TLane shift = TLane.Create(empty ? T.Zero : tileMax);
                Span<TLane> lanes = _lanes;
                lanes.Fill(TLane.Zero);
                for (int g = 0; g < groups; g++)
                {
                    TLane* group = values + (g * dimF);
                    TLane e = TLane.Exp(group[0] - shift);
                    lanes[0] += e;
                    for (int k = 1; k < dimF; k++)
                    {
                        lanes[k] += e * group[k];
                    }
                }

                for (int k = 0; k < dimF; k++)
                {
                    _partial[k] = typeof(TAcc) == typeof(double)
                        ? TAcc.CreateTruncating(TLane.SumAsDouble(lanes[k]))
                        : TAcc.CreateTruncating(TLane.Sum(lanes[k]));
                }

                TAcc m = _max[row];
                TAcc candidate = TAcc.CreateTruncating(tileMax);
                TAcc partialScale = TAcc.One;
                if (!empty)
                {
                    if (candidate > m)
                    {
                        // Rescale what is already summed (and its compensation) to the new max.
                        TAcc scale = TAcc.Exp(m - candidate);
                        for (int k = 0; k < dimF; k++)
                        {
                            _sums[(row * dimF) + k] *= scale;
                            _compensation[(row * dimF) + k] *= scale;
                        }

                        _max[row] = candidate;
                    }
                    else
                    {
                        partialScale = TAcc.Exp(candidate - m);
                    }
                }

                for (int k = 0; k < dimF; k++)
                {
                    int slot = (row * dimF) + k;
                    TAcc term = _partial[k] * partialScale;
                    Accumulate(ref _sums[slot], ref _compensation[slot], term, _kahan);
                }
            }

            public override void Finish(int firstRow, int rows)
            {
                int dimF = TKernel.FormulaDim;
                for (int r = 0; r < rows; r++)
                {
                    WriteShiftExpRow(_job._mode, _max[r], new ReadOnlySpan<TAcc>(_sums, r * dimF, dimF), _job._output, firstRow + r);
                }
            }
        }
    }

    /// <summary>One output row from its (m, s) accumulators: s[0] = Σ e^{F−m}, s[1 + k] = Σ e^{F−m} G_k.</summary>
    private static void WriteShiftExpRow<T, TAcc>(ShiftExpOutput mode, TAcc m, ReadOnlySpan<TAcc> sums, T* output, nint row)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAcc : unmanaged, IFloatingPointIeee754<TAcc>
    {
        int dimF = sums.Length;
        int weights = dimF - 1;
        switch (mode)
        {
            case ShiftExpOutput.MaxSumShiftExp when weights == 0:
                output[row * 2] = T.CreateTruncating(m);
                output[(row * 2) + 1] = T.CreateTruncating(sums[0]);
                break;
            case ShiftExpOutput.MaxSumShiftExp:
                // Weighted (Max_SumShiftExpWeight): m, then the weighted sums; s_0 = Σ e^{F−m} is not part of KeOps's output.
                output[row * dimF] = T.CreateTruncating(m);
                for (int k = 0; k < weights; k++)
                {
                    output[(row * dimF) + 1 + k] = T.CreateTruncating(sums[1 + k]);
                }

                break;
            case ShiftExpOutput.SumSoftMaxWeight:
                for (int k = 0; k < weights; k++)
                {
                    output[(row * weights) + k] = T.CreateTruncating(sums[1 + k] / sums[0]);
                }

                break;
            case ShiftExpOutput.SoftMaxWithLogSumExp:
                output[row * dimF] = T.CreateTruncating(m + TAcc.Log(sums[0]));
                for (int k = 0; k < weights; k++)
                {
                    output[(row * dimF) + 1 + k] = T.CreateTruncating(sums[1 + k] / sums[0]);
                }

                break;
            case ShiftExpOutput.State:
                output[row * (1 + dimF)] = T.CreateTruncating(m);
                for (int k = 0; k < dimF; k++)
                {
                    output[(row * (1 + dimF)) + 1 + k] = T.CreateTruncating(sums[k]);
                }

                break;
            default:
                if (weights == 0)
                {
                    output[row] = T.CreateTruncating(m + TAcc.Log(sums[0]));
                }
                else
                {
                    for (int k = 0; k < weights; k++)
                    {
                        output[(row * weights) + k] = T.CreateTruncating(m + TAcc.Log(sums[1 + k]));
                    }
                }

                break;
        }
    }
}
