using KeOpsGen.Cpu;

namespace KeOpsGen.Solvers;

/// <summary>
/// Entries of a kernel operator from its generated CPU kernel, without a reduction: the formula
/// evaluated for outer rows against a kernel whose inner spans were sliced to one row. This is
/// how the solver gets columns and the diagonal of K at O(N) cost instead of one O(N·M) reduction
/// per column (the one-hot right-hand-side trick).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class KernelSolveEntries
{
    /// <summary>
    /// output[r] = F(outer row start + r, inner row 0) for r in [0, count), FormulaDim values each.
    /// </summary>
    public static void AgainstOneInner<TKernel, T>(in KernelSpans<T> variables, int start, int count, Span<T> output)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        fixed (T* o = output)
        {
            var call = new OneInnerCall<T>(start, count, o);
            KernelPins.Run<TKernel, T, OneInnerCall<T>>(in variables, ref call);
        }
    }

    private readonly struct OneInnerCall<T>(int start, int count, T* output) : IPinnedCall<T>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public void Run<TKernel>(KernelData<T> data)
            where TKernel : unmanaged, ICpuKernel<T>
            => AgainstOneInner<TKernel, T>(data, start, count, output);
    }

    private static void AgainstOneInner<TKernel, T>(KernelData<T> kernel, int start, int count, T* output)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int outerDim = Math.Max(1, TKernel.OuterDim), innerDim = Math.Max(1, TKernel.InnerDim), paramDim = Math.Max(1, TKernel.ParamDim);
        int formulaDim = TKernel.FormulaDim;
        T* parameters = stackalloc T[paramDim];
        T* outer = stackalloc T[outerDim];
        T* inner = stackalloc T[innerDim];
        kernel.GatherParams<TKernel>(parameters);
        kernel.GatherInner<TKernel>(0, 1, inner, 1, parameters);
        for (int r = 0; r < count; r++)
        {
            kernel.GatherOuter<TKernel>(start + r, outer, parameters);
            TKernel.Evaluate(ref *parameters, ref *outer, ref *inner, 1, ref System.Runtime.CompilerServices.Unsafe.As<T, ScalarLane<T>>(ref output[(nint)r * formulaDim]));
        }
    }
}
