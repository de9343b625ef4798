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
            new SumJob<TKernel, T, TAcc, Vector512Lane<T>>(kernel, outerCount, innerCount, output, settings).Run();
        }
        else if (Vector256.IsHardwareAccelerated && innerCount >= Vector256<T>.Count)
        {
            new SumJob<TKernel, T, TAcc, Vector256Lane<T>>(kernel, outerCount, innerCount, output, settings).Run();
        }
        else
        {
            new SumJob<TKernel, T, TAcc, ScalarLane<T>>(kernel, outerCount, innerCount, output, settings).Run();
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
        => new SumJob<TKernel, T, double, ScalarLane<T>>(kernel, outerCount, innerCount, output, settings).Run();

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
    internal struct Block4<TLane> where TLane : unmanaged
    {
        public TLane A;
        public TLane B;
        public TLane C;
        public TLane D;
    }

    private sealed class SumJob<TKernel, T, TAcc, TLane>(KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings)
        : SweepJob<TKernel, T>(kernel, outerCount, innerCount, settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAcc : unmanaged, IFloatingPointIeee754<TAcc>
        where TLane : unmanaged, IEngineLane<TLane, T>
    {
        protected override void RunChunk(int chunk)
        {
            (int firstRow, int rows) = ChunkBounds(chunk);
            int dimF = TKernel.FormulaDim;
            int outerDim = TKernel.OuterDim;

            T[] outerArray = ArrayPool<T>.Shared.Rent(Math.Max(1, rows * outerDim));
            TAcc[] accArray = ArrayPool<TAcc>.Shared.Rent(2 * rows * dimF);
            TLane[] laneArray = ArrayPool<TLane>.Shared.Rent(rows * dimF + (RowBlock + 1) * dimF);
            try
            {
                fixed (T* outer = outerArray)
                fixed (TAcc* acc = accArray)
                fixed (TLane* lanes = laneArray)
                {
                    GatherOuterRows(firstRow, rows, outer);

                    TAcc* compensation = acc + (rows * dimF);
                    new Span<TAcc>(acc, 2 * rows * dimF).Clear();
                    TLane* persistent = lanes;
                    TLane* scratch = lanes + (rows * dimF);
                    new Span<TLane>(lanes, rows * dimF + (RowBlock + 1) * dimF).Fill(TLane.Zero);

                    bool direct = Settings.SumScheme == SumScheme.Direct;
                    bool kahan = Settings.SumScheme == SumScheme.Kahan;
                    foreach ((int tile, int tileEnd) in Tiles(chunk))
                    {
                        for (int r = 0; r < rows; r += RowBlock)
                        {
                            CheckCancellation(r);
                            int blockRows = Math.Min(RowBlock, rows - r);
                            TLane* vacc = direct ? persistent + (r * dimF) : scratch;
                            TLane* f = scratch + (RowBlock * dimF);
                            if (!direct)
                            {
                                new Span<TLane>(vacc, RowBlock * dimF).Fill(TLane.Zero);
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
                ArrayPool<TLane>.Shared.Return(laneArray);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AccumulateTile(T* outer, int blockRows, int tile, int tileEnd, TLane* vacc, TLane* f)
        {
            int dimF = TKernel.FormulaDim;
            int outerDim = TKernel.OuterDim;
            int width = TLane.Count;
            int j = tile;
            for (; j + width <= tileEnd; j += width)
            {
                T* inner = Inner + j;
                for (int r = 0; r < blockRows; r++)
                {
                    Evaluate(Params, outer + (r * outerDim), inner, Stride, ref f[0]);
                    TLane* row = vacc + (r * dimF);
                    for (int k = 0; k < dimF; k++)
                    {
                        row[k] += f[k];
                    }
                }
            }

            if (j < tileEnd)
            {
                int valid = tileEnd - j;
                T* inner = Inner + j;
                for (int r = 0; r < blockRows; r++)
                {
                    Evaluate(Params, outer + (r * outerDim), inner, Stride, ref f[0]);
                    TLane* row = vacc + (r * dimF);
                    for (int k = 0; k < dimF; k++)
                    {
                        row[k] += Lanes.KeepFirst(valid, f[k], TLane.Zero);
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
        private void AccumulateTileScalarFormula(T* outer, int tile, int tileEnd, TLane* vacc)
        {
            int outerDim = TKernel.OuterDim;
            int width = TLane.Count;
            T* parameters = Params;
            nint stride = Stride;
            T* o0 = outer;
            T* o1 = outer + outerDim;
            T* o2 = outer + (2 * outerDim);
            T* o3 = outer + (3 * outerDim);
            TLane a0 = vacc[0], a1 = vacc[1], a2 = vacc[2], a3 = vacc[3];
            TLane f0 = TLane.Zero, f1 = TLane.Zero, f2 = TLane.Zero, f3 = TLane.Zero;
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
                    Evaluate(parameters, o0, inner, stride, ref f0);
                    Evaluate(parameters, o1, inner, stride, ref f1);
                    Evaluate(parameters, o2, inner, stride, ref f2);
                    Evaluate(parameters, o3, inner, stride, ref f3);
                    a0 += f0;
                    a1 += f1;
                    a2 += f2;
                    a3 += f3;
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
        /// values pass through a small stack block, which store-forwarding makes cheap. Components past
        /// FormulaDim are not added (the test is on a JIT-time constant): over raw vectors the JIT
        /// dropped those dead adds by itself, over the lane wrappers it kept them.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AccumulateTwoRowsSmallFormula(T* outer, int tile, int tileEnd, TLane* vacc, TLane* scratch)
        {
            int dimF = TKernel.FormulaDim;
            int outerDim = TKernel.OuterDim;
            int width = TLane.Count;
            T* parameters = Params;
            nint stride = Stride;
            Block4<TLane> f = default;
            f.A = TLane.Zero;
            f.B = TLane.Zero;
            f.C = TLane.Zero;
            f.D = TLane.Zero;
            TLane a00 = vacc[0 * dimF], a01 = dimF > 1 ? vacc[(0 * dimF) + 1] : TLane.Zero, a02 = dimF > 2 ? vacc[(0 * dimF) + 2] : TLane.Zero, a03 = dimF > 3 ? vacc[(0 * dimF) + 3] : TLane.Zero;
            TLane a10 = vacc[1 * dimF], a11 = dimF > 1 ? vacc[(1 * dimF) + 1] : TLane.Zero, a12 = dimF > 2 ? vacc[(1 * dimF) + 2] : TLane.Zero, a13 = dimF > 3 ? vacc[(1 * dimF) + 3] : TLane.Zero;
            int j = tile;
            for (; j + width <= tileEnd; j += width)
            {
                T* inner = Inner + j;
                Evaluate(parameters, outer, inner, stride, ref f.A);
                a00 += f.A;
                a01 = dimF > 1 ? a01 + f.B : a01;
                a02 = dimF > 2 ? a02 + f.C : a02;
                a03 = dimF > 3 ? a03 + f.D : a03;
                Evaluate(parameters, outer + outerDim, inner, stride, ref f.A);
                a10 += f.A;
                a11 = dimF > 1 ? a11 + f.B : a11;
                a12 = dimF > 2 ? a12 + f.C : a12;
                a13 = dimF > 3 ? a13 + f.D : a13;
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
        private static void StoreSmallRow(TLane* row, TLane a0, TLane a1, TLane a2, TLane a3)
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
        private void AccumulateTail(T* outer, int j, int tileEnd, TLane* vacc)
        {
            TLane f = TLane.Zero;
            int valid = tileEnd - j;
            for (int r = 0; r < RowBlock; r++)
            {
                Evaluate(Params, outer + (r * TKernel.OuterDim), Inner + j, Stride, ref f);
                vacc[r] += Lanes.KeepFirst(valid, f, TLane.Zero);
            }
        }

        private static void Fold(TLane* vacc, int rows, TAcc* acc, TAcc* compensation, bool kahan)
        {
            int count = rows * TKernel.FormulaDim;
            for (int i = 0; i < count; i++)
            {
                TAcc partial = typeof(TAcc) == typeof(double)
                    ? TAcc.CreateTruncating(TLane.SumAsDouble(vacc[i]))
                    : TAcc.CreateTruncating(TLane.Sum(vacc[i]));
                Accumulate(ref acc[i], ref compensation[i], partial, kahan);
            }
        }
    }
}
