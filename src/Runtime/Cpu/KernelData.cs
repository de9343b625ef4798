namespace KeOpsGen.Cpu;

/// <summary>
/// A generated kernel's variables as the engine's workers see them: the addresses of the
/// caller's spans (a <see cref="KernelSpans{T}"/>), pinned by <see cref="KernelPins"/> for the
/// length of one engine call. Spans cannot cross to worker threads; this runtime-owned copy of
/// their addresses does, so generated code never needs <c>unsafe</c>. The gathers are written here once, from the static layout the kernel declares
/// (<see cref="ICpuKernel{T}.OuterDims"/> ...), followed by the kernel's generated
/// <c>Precompute</c> hooks for its hoisted one-side sub-formulas.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe struct KernelData<T> where T : unmanaged
{
    /// <summary>Address of each variable, in the kernel's order (outer, inner, parameters).</summary>
    private readonly T** _variables;

    public KernelData(T** variables) => _variables = variables;

    /// <summary>Copies the outer variables of <paramref name="row"/> to <paramref name="destination"/>, then the outer hoisted values.</summary>
    /// <param name="row">The outer row.</param>
    /// <param name="destination">Where the row's <see cref="ICpuKernel{T}.OuterDim"/> values go.</param>
    /// <param name="parameters">The gathered parameters (read by hoisted values that depend on them).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void GatherOuter<TKernel>(int row, T* destination, T* parameters)
        where TKernel : unmanaged, ICpuKernel<T>
    {
        ReadOnlySpan<int> dims = TKernel.OuterDims;
        int offset = 0;
        for (int v = 0; v < dims.Length; v++)
        {
            int dim = dims[v];
            T* source = _variables[v] + ((nint)row * dim);
            for (int k = 0; k < dim; k++)
            {
                destination[offset + k] = source[k];
            }

            offset += dim;
        }

        if (offset != TKernel.OuterDim)
        {
            TKernel.PrecomputeOuter(ref *parameters, ref *destination);
        }
    }

    /// <summary>
    /// Copies inner rows [start, start+count) to a structure-of-arrays block: component k of row
    /// start + r at <c>destination[k * stride + r]</c>; then the inner hoisted values, row by row.
    /// </summary>
    public void GatherInner<TKernel>(int start, int count, T* destination, nint stride, T* parameters)
        where TKernel : unmanaged, ICpuKernel<T>
    {
        ReadOnlySpan<int> dims = TKernel.InnerDims;
        int first = TKernel.OuterDims.Length;
        int offset = 0;
        for (int v = 0; v < dims.Length; v++)
        {
            int dim = dims[v];
            T* source = _variables[first + v] + ((nint)start * dim);
            T* column = destination + ((nint)offset * stride);
            if (dim == 1)
            {
                new ReadOnlySpan<T>(source, count).CopyTo(new Span<T>(column, count));
            }
            else
            {
                for (int r = 0; r < count; r++)
                {
                    T* row = source + ((nint)r * dim);
                    for (int k = 0; k < dim; k++)
                    {
                        column[((nint)k * stride) + r] = row[k];
                    }
                }
            }

            offset += dim;
        }

        if (offset != TKernel.InnerDim)
        {
            for (int r = 0; r < count; r++)
            {
                TKernel.PrecomputeInner(ref *parameters, ref destination[r], stride);
            }
        }
    }

    /// <summary>Copies all parameters to <paramref name="destination"/>, then the parameter-only hoisted values.</summary>
    public void GatherParams<TKernel>(T* destination)
        where TKernel : unmanaged, ICpuKernel<T>
    {
        ReadOnlySpan<int> dims = TKernel.ParamDims;
        int first = TKernel.OuterDims.Length + TKernel.InnerDims.Length;
        int offset = 0;
        for (int v = 0; v < dims.Length; v++)
        {
            new ReadOnlySpan<T>(_variables[first + v], dims[v]).CopyTo(new Span<T>(destination + offset, dims[v]));
            offset += dims[v];
        }

        if (offset != TKernel.ParamDim)
        {
            TKernel.PrecomputeParams(ref *destination);
        }
    }
}

/// <summary>What an engine entry point does once the kernel's spans are pinned.</summary>
internal unsafe interface IPinnedCall<T> where T : unmanaged
{
    void Run<TKernel>(KernelData<T> data) where TKernel : unmanaged, ICpuKernel<T>;
}

/// <summary>
/// Pins every span of a generated call, one <c>fixed</c> per span (a <c>fixed</c> statement pins
/// a fixed number of spans, a kernel has any number, hence the recursion: its depth is the
/// kernel's variable count), then runs the call with their addresses.
/// </summary>
internal static unsafe class KernelPins
{
    /// <summary>Most variables whose addresses go on the stack; wider kernels rent an array.</summary>
    private const int StackVariables = 64;

    public static void Run<TKernel, T, TCall>(in KernelSpans<T> spans, ref TCall call)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged
        where TCall : struct, IPinnedCall<T>
    {
        int count = TKernel.OuterDims.Length + TKernel.InnerDims.Length + TKernel.ParamDims.Length;
        if (spans.Count != count)
        {
            throw new ArgumentException($"The kernel has {count} variables, {spans.Count} spans were given.", nameof(spans));
        }

        if (count <= StackVariables)
        {
            T** addresses = stackalloc T*[Math.Max(count, 1)];
            Pin<TKernel, T, TCall>(in spans, addresses, 0, count, ref call);
        }
        else
        {
            nint[] storage = GC.AllocateUninitializedArray<nint>(count, pinned: true);
            fixed (nint* addresses = storage)
            {
                Pin<TKernel, T, TCall>(in spans, (T**)addresses, 0, count, ref call);
            }
        }
    }

    private static void Pin<TKernel, T, TCall>(in KernelSpans<T> spans, T** addresses, int index, int count, ref TCall call)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged
        where TCall : struct, IPinnedCall<T>
    {
        if (index == count)
        {
            call.Run<TKernel>(new KernelData<T>(addresses));
            return;
        }

        fixed (T* address = spans[index])
        {
            addresses[index] = address;
            Pin<TKernel, T, TCall>(in spans, addresses, index + 1, count, ref call);
        }
    }
}
