namespace KeOpsGen.Cpu;

public static unsafe partial class CpuEngine
{
    /// <summary>
    /// What every reduction job shares: the inner variables gathered once into a shared
    /// structure-of-arrays block, the parameters, and the split of output rows into chunks run in
    /// parallel. A job supplies only what it does with one chunk.
    /// </summary>
    internal abstract class SweepJob<TKernel, T>
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        protected SweepJob(KernelData<T> kernel, int outerCount, int innerCount, ReductionSettings settings)
        {
            Kernel = kernel;
            OuterCount = outerCount;
            InnerCount = innerCount;
            Settings = settings;
            Plan = SweepPlan.Create(outerCount, innerCount, settings);
            TileRowCount = TileRows<T>(TKernel.InnerDim);
        }

        protected KernelData<T> Kernel { get; }

        protected int OuterCount { get; }

        protected int InnerCount { get; }

        protected ReductionSettings Settings { get; }

        /// <summary>The chunks of output rows and the reduced-side intervals of each (dense or block-sparse).</summary>
        protected SweepPlan Plan { get; }

        /// <summary>Inner rows per L1 tile.</summary>
        protected int TileRowCount { get; }

        /// <summary>
        /// The kernel's F for one outer row against <c>TLane.Count</c> inner rows, written to
        /// <paramref name="result"/> (FormulaDim lanes): the engine's pointers handed to the
        /// kernel as refs, with the lane type the loop runs.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        protected static void Evaluate<TLane>(T* parameters, T* outer, T* inner, nint stride, ref TLane result)
            where TLane : struct, ILane<TLane, T>
            => TKernel.Evaluate(ref *parameters, ref *outer, ref *inner, stride, ref result);

        /// <summary>
        /// The inner block: component k of inner row j is at <c>Inner[k * Stride + j]</c> for every j
        /// of the current tile (see <see cref="EnterTile"/>).
        /// </summary>
        protected T* Inner { get; private set; }

        protected T* Params { get; private set; }

        protected nint Stride { get; private set; }

        /// <summary>This worker's window of the reduced side, when the side is too big to share; else null.</summary>
        private InnerBlock<T>? _window;

        /// <summary>Reduced rows [start, end) the window holds (empty before the first tile).</summary>
        private int _windowStart;
        private int _windowEnd;

        /// <summary>Rows per window; 0 when the whole reduced side is shared.</summary>
        private int _windowRows;

        public void Run()
        {
            CheckInnerRows(InnerCount);
            if (SharesInnerCopy(TKernel.InnerDim, InnerCount, sizeof(T)))
            {
                using var block = new InnerBlock<T>(TKernel.InnerDim, InnerCount, TKernel.ParamDim);
                Inner = block.Inner;
                Params = block.Params;
                Stride = block.Stride;
                // Parameters first: hoisted inner values may read them.
                Kernel.GatherParams<TKernel>(Params);
                Kernel.GatherInner<TKernel>(0, InnerCount, Inner, Stride, Params);
                Plan.Run(Settings.CancellationToken, RunChunk);
                return;
            }

            // Too big to copy once: every worker (a shallow copy of this job, so the hot loops
            // read their own Inner and Stride fields unchanged) gathers windows of tiles as its
            // chunks reach them. Memory: one window per worker, whatever M.
            using var parameters = new InnerBlock<T>(0, 0, TKernel.ParamDim);
            Params = parameters.Params;
            Kernel.GatherParams<TKernel>(Params);
            _windowRows = WindowRows(TKernel.InnerDim, TileRowCount, InnerCount, sizeof(T));
            using var workers = new System.Threading.ThreadLocal<SweepJob<TKernel, T>>(() => (SweepJob<TKernel, T>)MemberwiseClone(), trackAllValues: true);
            try
            {
                Plan.Run(Settings.CancellationToken, chunk => workers.Value!.RunChunk(chunk));
            }
            finally
            {
                foreach (SweepJob<TKernel, T> worker in workers.Values)
                {
                    worker._window?.Dispose();
                }
            }
        }

        /// <summary>
        /// Makes the reduced rows from <paramref name="tile"/> to its tile's end readable through
        /// <see cref="Inner"/> and <see cref="Stride"/>; called before each tile. With a shared copy
        /// it does nothing; otherwise it gathers the next window when the tile is outside this one.
        /// </summary>
        /// <param name="tile">The tile's first reduced row.</param>
        /// <param name="intervalEnd">End of the reduced interval the tile belongs to: no window reaches past it.</param>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        protected void EnterTile(int tile, int intervalEnd)
        {
            if (_windowRows != 0 && (tile < _windowStart || TileEnd(tile, TileRowCount, intervalEnd) > _windowEnd))
            {
                MoveWindow(tile, intervalEnd);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private void MoveWindow(int tile, int intervalEnd)
        {
            // At least the whole tile, whatever the window size; + 16 rows so the last SIMD vector
            // of an unaligned tile stays inside the buffer.
            int capacity = Math.Max(_windowRows, TileRowCount);
            _window ??= new InnerBlock<T>(TKernel.InnerDim, capacity + 16, 0);
            int end = Math.Max(TileEnd(tile, TileRowCount, intervalEnd), intervalEnd - tile > _windowRows ? tile + _windowRows : intervalEnd);
            int count = end - tile;
            T* buffer = _window.Inner;
            nint stride = _window.Stride;
            Kernel.GatherInner<TKernel>(tile, count, buffer, stride, Params);
            for (int k = 0; k < TKernel.InnerDim; k++)
            {
                // Padding lanes are masked out; zeros there keep stale values of the last window out of every lane.
                new Span<T>(buffer + (k * stride) + count, (int)(stride - count)).Clear();
            }

            // Rows are indexed from the call's first reduced row: Inner + j is row j of the window.
            Inner = buffer - tile;
            Stride = stride;
            _windowStart = tile;
            _windowEnd = end;
        }

        /// <summary>
        /// Observes the token every 64 rows inside a tile, so that a call with few output rows or a
        /// costly formula stops within a tile's work of the token firing, not at its end.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        protected void CheckCancellation(int row)
        {
            if ((row & 63) == 0)
            {
                Settings.CancellationToken.ThrowIfCancellationRequested();
            }
        }

        /// <summary>The output rows <see cref="ChunkBounds"/> gives, reduced over the chunk's <see cref="Tiles"/>.</summary>
        protected abstract void RunChunk(int chunk);

        /// <summary>Copies the outer variables of <paramref name="rows"/> rows from <paramref name="firstRow"/>.</summary>
        protected void GatherOuterRows(int firstRow, int rows, T* destination)
        {
            int outerDim = TKernel.OuterDim;
            for (int r = 0; r < rows; r++)
            {
                Kernel.GatherOuter<TKernel>(firstRow + r, destination + (r * outerDim), Params);
            }
        }

        protected (int FirstRow, int Rows) ChunkBounds(int chunk) => Plan.Bounds(chunk);

        /// <summary>
        /// The tiles of a chunk in increasing reduced index, interval by interval (tiles never
        /// cross an interval's end), each made readable through <see cref="Inner"/> before the
        /// loop body sees it: <c>foreach ((int tile, int tileEnd) in Tiles(chunk))</c>.
        /// </summary>
        /// <remarks>Inlined with its enumerator, so the walk's state stays in registers of the job's hot method.</remarks>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        protected TileWalk Tiles(int chunk) => new(this, Plan.Intervals(chunk));

        /// <summary>The enumerator of <see cref="Tiles"/>: the one tile loop every job runs.</summary>
        protected ref struct TileWalk
        {
            private readonly SweepJob<TKernel, T> _job;
            private readonly ReadOnlySpan<int> _intervals;
            private int _interval;
            private int _start;
            private int _end;

            internal TileWalk(SweepJob<TKernel, T> job, ReadOnlySpan<int> intervals)
            {
                _job = job;
                _intervals = intervals;
                _interval = -2;
                _start = 0;
                _end = 0;
            }

            public readonly (int Start, int End) Current
            {
                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
                get => (_start, _end);
            }

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public readonly TileWalk GetEnumerator() => this;

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public bool MoveNext()
            {
                // The next tile starts where this one ended, unless that is its interval's end:
                // then at the next non-empty interval's start.
                int tile = _end;
                while (_interval < 0 || tile >= _intervals[_interval + 1])
                {
                    _interval += 2;
                    if (_interval >= _intervals.Length)
                    {
                        return false;
                    }

                    tile = _intervals[_interval];
                }

                int intervalEnd = _intervals[_interval + 1];
                _start = tile;
                _end = TileEnd(tile, _job.TileRowCount, intervalEnd);
                _job.EnterTile(tile, intervalEnd);
                return true;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="term"/> to a running sum, compensated (Kahan) when asked: the one
    /// accumulation step of every sum-type reduction.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static void Accumulate<TAcc>(ref TAcc sum, ref TAcc compensation, TAcc term, bool kahan)
        where TAcc : unmanaged, IFloatingPointIeee754<TAcc>
    {
        if (kahan)
        {
            TAcc y = term - compensation;
            TAcc t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
        }
        else
        {
            sum += term;
        }
    }

    /// <summary>
    /// Per-slot (value, index) lists of the selecting reductions (Min, Max, KMin and their Arg
    /// forms), pooled: values start at the reduction's identity and indices at -1.
    /// </summary>
    internal readonly struct SlotLists<T> where T : unmanaged
    {
        public SlotLists(int slots, T identity)
        {
            Values = System.Buffers.ArrayPool<T>.Shared.Rent(Math.Max(1, slots));
            Indices = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1, slots));
            Array.Fill(Values, identity);
            Array.Fill(Indices, -1);
        }

        public T[] Values { get; }

        public int[] Indices { get; }

        public void Release()
        {
            System.Buffers.ArrayPool<T>.Shared.Return(Values);
            System.Buffers.ArrayPool<int>.Shared.Return(Indices);
        }
    }

    /// <summary>
    /// Where a selecting reduction (Min, Max, KMin and their Arg forms, the blocked k-NN path)
    /// writes its result: <see cref="K"/> slots per row and component (unused, 0, for Min/Max),
    /// values and/or indices, a null pointer meaning "not wanted".
    /// </summary>
    internal readonly struct SelectionOutput<T>(int k, T* values, int* indices) where T : unmanaged
    {
        public int K { get; } = k;

        /// <summary>Writes one slot's value and index at <paramref name="destination"/> of the public layout, each only when wanted.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void Write(nint destination, T value, int index)
        {
            if (values != null)
            {
                values[destination] = value;
            }

            if (indices != null)
            {
                indices[destination] = index;
            }
        }
    }
}
