using System.Runtime.Intrinsics;

namespace KeOpsGen.Cpu;

/// <summary>
/// The CPU driver: tiling, threading and merging, written once for every generated kernel.
/// Generated code calls it with a kernel struct; the JIT specializes these generic methods per
/// kernel and inlines the kernel's math into the loops.
/// </summary>
public static unsafe partial class CpuEngine
{
    /// <summary>
    /// Below this many pairs (about half a millisecond of work) a call runs on the calling thread:
    /// waking pool threads costs more than it saves, and the first call stays fast.
    /// </summary>
    internal const long ParallelThreshold = 1L << 21;

    /// <summary>Output rows evaluated together against one load of the inner values.</summary>
    internal const int RowBlock = 4;

    /// <summary>
    /// Computes out[r, k] = Σ_j F_k(outer r, inner j) for every output row r.
    /// </summary>
    /// <param name="kernel">The generated kernel, holding the caller's pinned inputs.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="output">outerCount × FormulaDim values, row-major.</param>
    /// <param name="settings">Summation scheme, precision and cancellation.</param>
    internal static void Sum<TKernel, T>(KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (DistributedSum<TKernel, T>(kernel, outerCount, innerCount, output, settings, overRows: false))
        {
            return;
        }

        bool doubleAccumulator = typeof(T) == typeof(double) || settings.Accumulation == Accumulation.Double;
        if (doubleAccumulator)
        {
            SumWith<TKernel, T, double>(kernel, outerCount, innerCount, output, settings);
        }
        else
        {
            SumWith<TKernel, T, T>(kernel, outerCount, innerCount, output, settings);
        }
    }

    private static void SumWith<TKernel, T, TAcc>(KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAcc : unmanaged, IFloatingPointIeee754<TAcc>
    {
        if (Vector512.IsHardwareAccelerated && innerCount >= Vector512<T>.Count)
        {
            new SumJob<TKernel, T, TAcc, Vector512<T>, Vector512Lane<T>>(kernel, outerCount, innerCount, output, settings).Run();
        }
        else if (Vector256.IsHardwareAccelerated && innerCount >= Vector256<T>.Count)
        {
            new SumJob<TKernel, T, TAcc, Vector256<T>, Vector256Lane<T>>(kernel, outerCount, innerCount, output, settings).Run();
        }
        else
        {
            new SumJob<TKernel, T, TAcc, T, ScalarLane<T>>(kernel, outerCount, innerCount, output, settings).Run();
        }
    }

    /// <summary>
    /// Σ over all (outer, inner) pairs of F: the gradient of a parameter. Rows are reduced by
    /// <see cref="Sum{TKernel, T}(KernelData{T}, int, int, T*, ReductionSettings)"/> into a pooled buffer (linear in the outer count), then added in double.
    /// </summary>
    internal static void SumOverRows<TKernel, T>(KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (DistributedSum<TKernel, T>(kernel, outerCount, innerCount, output, settings, overRows: true))
        {
            return;
        }

        int dim = TKernel.FormulaDim;
        T[] rows = ArrayPool<T>.Shared.Rent(RowPartialsLength(outerCount, dim, sizeof(T)));
        try
        {
            fixed (T* buffer = rows)
            {
                Sum<TKernel, T>(kernel, outerCount, innerCount, buffer, settings);
                for (int k = 0; k < dim; k++)
                {
                    double total = 0;
                    for (int r = 0; r < outerCount; r++)
                    {
                        total += double.CreateTruncating(buffer[((nint)r * dim) + k]);
                    }

                    output[k] = T.CreateTruncating(total);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rows);
        }
    }

    /// <summary>Scalar path, one lane at a time: what the SIMD paths are tested against.</summary>
    internal static void SumScalar<TKernel, T>(KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => new SumJob<TKernel, T, double, T, ScalarLane<T>>(kernel, outerCount, innerCount, output, settings).Run();

    /// <summary>Rounds up to a multiple of 16 values so that the widest vector never reads past a block.</summary>
    internal static nint PaddedStride(int count) => ((nint)count + 15) & ~(nint)15;

    /// <summary>How many inner rows form one tile that stays in L1 (16 KiB of inner values).</summary>
    internal static int TileRows<T>(int innerDim) where T : unmanaged
    {
        int rows = 16384 / (Math.Max(innerDim, 1) * sizeof(T));
        return Math.Clamp(rows & ~15, 64, 4096);
    }

    /// <summary>How many output rows one parallel work item takes.</summary>
    internal static int ChunkRows(int outerCount, int innerCount)
    {
        if ((long)outerCount * innerCount < ParallelThreshold)
        {
            return Math.Max(outerCount, 1);
        }

        int workers = Environment.ProcessorCount;
        int rows = (int)Math.Min(256L, Math.Max(RowBlock, (outerCount + (4L * workers) - 1) / (4L * workers)));
        return (rows + RowBlock - 1) / RowBlock * RowBlock;
    }

    /// <summary>
    /// Inner rows transposed to structure-of-arrays (the whole call's, shared read-only by all
    /// workers, or one worker's window of them), plus the parameters.
    /// </summary>
    internal sealed class InnerBlock<T> : IDisposable where T : unmanaged
    {
        private readonly T[] _inner;
        private readonly T[] _params;
        private GCHandleHolder _innerPin;
        private GCHandleHolder _paramPin;

        public InnerBlock(int innerDim, int innerCount, int paramDim)
        {
            // Callers keep it bounded: the shared copy up to SharedInnerBytes, a worker window to WindowBytes.
            int length = checked((int)Math.Max(1, innerDim * PaddedStride(innerCount)));
            Stride = PaddedStride(innerCount);
            _inner = ArrayPool<T>.Shared.Rent(length);
            _params = ArrayPool<T>.Shared.Rent(Math.Max(1, paramDim));
            _innerPin = new GCHandleHolder(_inner);
            _paramPin = new GCHandleHolder(_params);
            // Padding lanes are masked out, but zero them so no stale NaN ever reaches a lane.
            Array.Clear(_inner, 0, length);
        }

        public nint Stride { get; }

        public T* Inner => (T*)_innerPin.Pointer;

        public T* Params => (T*)_paramPin.Pointer;

        public void Dispose()
        {
            _innerPin.Free();
            _paramPin.Free();
            ArrayPool<T>.Shared.Return(_inner);
            ArrayPool<T>.Shared.Return(_params);
        }
    }

    internal struct GCHandleHolder
    {
        private System.Runtime.InteropServices.GCHandle _handle;

        public GCHandleHolder(object array)
        {
            _handle = System.Runtime.InteropServices.GCHandle.Alloc(array, System.Runtime.InteropServices.GCHandleType.Pinned);
        }

        public readonly nint Pointer => _handle.AddrOfPinnedObject();

        public void Free()
        {
            if (_handle.IsAllocated)
            {
                _handle.Free();
            }
        }
    }

    /// <summary>Four vectors side by side: where a kernel writes up to four components of F.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    internal struct Block4<TVec> where TVec : unmanaged
    {
        public TVec A;
        public TVec B;
        public TVec C;
        public TVec D;
    }

    private sealed class SumJob<TKernel, T, TAcc, TVec, TLanes>(KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings)
        : SweepJob<TKernel, T>(kernel, outerCount, innerCount, settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAcc : unmanaged, IFloatingPointIeee754<TAcc>
        where TVec : unmanaged
        where TLanes : ILanes<TVec, T>
    {
        protected override void RunChunk(int chunk)
        {
            (int firstRow, int rows) = ChunkBounds(chunk);
            int dimF = TKernel.FormulaDim;
            int outerDim = TKernel.OuterDim;

            T[] outerArray = ArrayPool<T>.Shared.Rent(Math.Max(1, rows * outerDim));
            TAcc[] accArray = ArrayPool<TAcc>.Shared.Rent(2 * rows * dimF);
            TVec[] laneArray = ArrayPool<TVec>.Shared.Rent(rows * dimF + (RowBlock + 1) * dimF);
            try
            {
                fixed (T* outer = outerArray)
                fixed (TAcc* acc = accArray)
                fixed (TVec* lanes = laneArray)
                {
                    GatherOuterRows(firstRow, rows, outer);

                    TAcc* compensation = acc + (rows * dimF);
                    new Span<TAcc>(acc, 2 * rows * dimF).Clear();
                    TVec* persistent = lanes;
                    TVec* scratch = lanes + (rows * dimF);
                    new Span<TVec>(lanes, rows * dimF + (RowBlock + 1) * dimF).Fill(TLanes.Zero);

                    bool direct = Settings.SumScheme == SumScheme.Direct;
                    bool kahan = Settings.SumScheme == SumScheme.Kahan;
                    foreach ((int tile, int tileEnd) in Tiles(chunk))
                    {
                        for (int r = 0; r < rows; r += RowBlock)
                        {
                            CheckCancellation(r);
                            int blockRows = Math.Min(RowBlock, rows - r);
                            TVec* vacc = direct ? persistent + (r * dimF) : scratch;
                            TVec* f = scratch + (RowBlock * dimF);
                            if (!direct)
                            {
                                new Span<TVec>(vacc, RowBlock * dimF).Fill(TLanes.Zero);
                            }

                            if (TKernel.FormulaDim == 1 && blockRows == RowBlock)
                            {
                                AccumulateTileScalarFormula(outer + (r * outerDim), tile, tileEnd, vacc);
                            }
                            else if (TKernel.FormulaDim <= 4 && blockRows == RowBlock)
                            {
                                AccumulateTwoRowsSmallFormula(outer + (r * outerDim), tile, tileEnd, vacc, f);
                                AccumulateTwoRowsSmallFormula(outer + ((r + 2) * outerDim), tile, tileEnd, vacc + (2 * TKernel.FormulaDim), f);
                            }
                            else
                            {
                                AccumulateTile(outer + (r * outerDim), blockRows, tile, tileEnd, vacc, f);
                            }
                            if (!direct)
                            {
                                Fold(vacc, blockRows, acc + (r * dimF), compensation + (r * dimF), kahan);
                            }
                        }
                    }

                    if (direct)
                    {
                        Fold(persistent, rows, acc, compensation, kahan: false);
                    }

                    T* destination = output + ((nint)firstRow * dimF);
                    for (int i = 0; i < rows * dimF; i++)
                    {
                        destination[i] = T.CreateTruncating(acc[i]);
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(outerArray);
                ArrayPool<TAcc>.Shared.Return(accArray);
                ArrayPool<TVec>.Shared.Return(laneArray);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AccumulateTile(T* outer, int blockRows, int tile, int tileEnd, TVec* vacc, TVec* f)
        {
            int dimF = TKernel.FormulaDim;
            int outerDim = TKernel.OuterDim;
            int width = TLanes.Count;
            int j = tile;
            for (; j + width <= tileEnd; j += width)
            {
                T* inner = Inner + j;
                for (int r = 0; r < blockRows; r++)
                {
                    TLanes.Evaluate<TKernel>(Params, outer + (r * outerDim), inner, Stride, ref f[0]);
                    TVec* row = vacc + (r * dimF);
                    for (int k = 0; k < dimF; k++)
                    {
                        row[k] = TLanes.Add(row[k], f[k]);
                    }
                }
            }

            if (j < tileEnd)
            {
                int valid = tileEnd - j;
                T* inner = Inner + j;
                for (int r = 0; r < blockRows; r++)
                {
                    TLanes.Evaluate<TKernel>(Params, outer + (r * outerDim), inner, Stride, ref f[0]);
                    TVec* row = vacc + (r * dimF);
                    for (int k = 0; k < dimF; k++)
                    {
                        row[k] = TLanes.Add(row[k], TLanes.KeepFirst(valid, f[k], TLanes.Zero));
                    }
                }
            }
        }

        /// <summary>
        /// The common case (scalar F, a full block of rows) with every accumulator and formula
        /// value in a local, so the JIT keeps them in registers and hoists the outer-row
        /// broadcasts out of the loop; each inner load then serves four rows.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AccumulateTileScalarFormula(T* outer, int tile, int tileEnd, TVec* vacc)
        {
            int outerDim = TKernel.OuterDim;
            int width = TLanes.Count;
            T* parameters = Params;
            nint stride = Stride;
            T* o0 = outer;
            T* o1 = outer + outerDim;
            T* o2 = outer + (2 * outerDim);
            T* o3 = outer + (3 * outerDim);
            TVec a0 = vacc[0], a1 = vacc[1], a2 = vacc[2], a3 = vacc[3];
            TVec f0 = TLanes.Zero, f1 = TLanes.Zero, f2 = TLanes.Zero, f3 = TLanes.Zero;
            int j = tile;
            // A bottom-tested loop over a local pointer: the JIT then finds a preheader and hoists
            // the loop-invariant outer-row broadcasts and constants out of the loop (with the
            // top-tested form it re-broadcast them on every iteration).
            T* inner = Inner + j;
            T* innerEnd = Inner + (tileEnd - width);
            if (inner <= innerEnd)
            {
                do
                {
                    TLanes.Evaluate<TKernel>(parameters, o0, inner, stride, ref f0);
                    TLanes.Evaluate<TKernel>(parameters, o1, inner, stride, ref f1);
                    TLanes.Evaluate<TKernel>(parameters, o2, inner, stride, ref f2);
                    TLanes.Evaluate<TKernel>(parameters, o3, inner, stride, ref f3);
                    a0 = TLanes.Add(a0, f0);
                    a1 = TLanes.Add(a1, f1);
                    a2 = TLanes.Add(a2, f2);
                    a3 = TLanes.Add(a3, f3);
                    inner += width;
                }
                while (inner <= innerEnd);
                j = tile + (int)((inner - (Inner + tile)));
            }

            vacc[0] = a0;
            vacc[1] = a1;
            vacc[2] = a2;
            vacc[3] = a3;
            if (j < tileEnd)
            {
                // The partial last vector goes through the general path: inlining the formula
                // four more times here would double the JIT time of every kernel's first call.
                AccumulateTail(outer, j, tileEnd, vacc);
            }
        }

        /// <summary>
        /// Two rows of a formula of 2 to 4 components: eight accumulators in locals (registers;
        /// four rows would spill them, which costs more than reloading the inner values); formula
        /// values pass through a small stack block, which store-forwarding makes cheap. Unused
        /// components of the block stay zero, so adding them is harmless and branch-free.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AccumulateTwoRowsSmallFormula(T* outer, int tile, int tileEnd, TVec* vacc, TVec* scratch)
        {
            int dimF = TKernel.FormulaDim;
            int outerDim = TKernel.OuterDim;
            int width = TLanes.Count;
            T* parameters = Params;
            nint stride = Stride;
            Block4<TVec> f = default;
            f.A = TLanes.Zero;
            f.B = TLanes.Zero;
            f.C = TLanes.Zero;
            f.D = TLanes.Zero;
            TVec a00 = vacc[0 * dimF], a01 = dimF > 1 ? vacc[(0 * dimF) + 1] : TLanes.Zero, a02 = dimF > 2 ? vacc[(0 * dimF) + 2] : TLanes.Zero, a03 = dimF > 3 ? vacc[(0 * dimF) + 3] : TLanes.Zero;
            TVec a10 = vacc[1 * dimF], a11 = dimF > 1 ? vacc[(1 * dimF) + 1] : TLanes.Zero, a12 = dimF > 2 ? vacc[(1 * dimF) + 2] : TLanes.Zero, a13 = dimF > 3 ? vacc[(1 * dimF) + 3] : TLanes.Zero;
            int j = tile;
            for (; j + width <= tileEnd; j += width)
            {
                T* inner = Inner + j;
                TLanes.Evaluate<TKernel>(parameters, outer, inner, stride, ref f.A);
                a00 = TLanes.Add(a00, f.A);
                a01 = TLanes.Add(a01, f.B);
                a02 = TLanes.Add(a02, f.C);
                a03 = TLanes.Add(a03, f.D);
                TLanes.Evaluate<TKernel>(parameters, outer + outerDim, inner, stride, ref f.A);
                a10 = TLanes.Add(a10, f.A);
                a11 = TLanes.Add(a11, f.B);
                a12 = TLanes.Add(a12, f.C);
                a13 = TLanes.Add(a13, f.D);
            }

            StoreSmallRow(vacc, a00, a01, a02, a03);
            StoreSmallRow(vacc + dimF, a10, a11, a12, a13);
            if (j < tileEnd)
            {
                AccumulateTile(outer, 2, j, tileEnd, vacc, scratch);
            }
        }

        /// <summary>Stores one row's accumulators of <see cref="AccumulateTwoRowsSmallFormula"/>: only its FormulaDim components are the row's.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreSmallRow(TVec* row, TVec a0, TVec a1, TVec a2, TVec a3)
        {
            int dimF = TKernel.FormulaDim;
            row[0] = a0;
            if (dimF > 1)
            {
                row[1] = a1;
            }

            if (dimF > 2)
            {
                row[2] = a2;
            }

            if (dimF > 3)
            {
                row[3] = a3;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void AccumulateTail(T* outer, int j, int tileEnd, TVec* vacc)
        {
            TVec f = TLanes.Zero;
            int valid = tileEnd - j;
            for (int r = 0; r < RowBlock; r++)
            {
                TLanes.Evaluate<TKernel>(Params, outer + (r * TKernel.OuterDim), Inner + j, Stride, ref f);
                vacc[r] = TLanes.Add(vacc[r], TLanes.KeepFirst(valid, f, TLanes.Zero));
            }
        }

        private static void Fold(TVec* vacc, int rows, TAcc* acc, TAcc* compensation, bool kahan)
        {
            int count = rows * TKernel.FormulaDim;
            for (int i = 0; i < count; i++)
            {
                TAcc partial = typeof(TAcc) == typeof(double)
                    ? TAcc.CreateTruncating(TLanes.SumAsDouble(vacc[i]))
                    : TAcc.CreateTruncating(TLanes.Sum(vacc[i]));
                Accumulate(ref acc[i], ref compensation[i], partial, kahan);
            }
        }
    }
}
