using KeOpsGen.Solvers;

namespace KeOpsGen.Cpu;

/// <summary>
/// The engine's public entry points, what generated code calls: the kernel type (static members
/// only) as a type argument, the caller's spans in a <see cref="KernelSpans{T}"/>, the outputs as
/// spans. Each entry pins the outputs and (through <see cref="KernelPins"/>) every input span,
/// then runs the internal entry of the same name on runtime-owned addresses, so no generated
/// code needs <c>unsafe</c>.
/// </summary>
public static unsafe partial class CpuEngine
{
    /// <summary>out[r, k] = Σ_j F_k(outer r, inner j) for every output row r.</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="output">outerCount × FormulaDim values, row-major.</param>
    /// <param name="settings">Summation scheme, precision and cancellation.</param>
    public static void Sum<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, Span<T> output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Output<TKernel, T>(in variables, OutputEntry.Sum, outerCount, innerCount, output, settings);

    /// <summary>Σ over all (outer, inner) pairs of F (FormulaDim values): the gradient of a parameter.</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="outerCount">Number of outer rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="output">FormulaDim values.</param>
    /// <param name="settings">Summation scheme, precision and cancellation.</param>
    public static void SumOverRows<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, Span<T> output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Output<TKernel, T>(in variables, OutputEntry.SumOverRows, outerCount, innerCount, output, settings);

    /// <summary>Per row, log Σ_j exp F_j (F of dimension 1), or the weighted form (see the pointer entry).</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="output">outerCount × (width of the reduction) values.</param>
    /// <param name="settings">Summation scheme, precision and cancellation.</param>
    public static void LogSumExp<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, Span<T> output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Output<TKernel, T>(in variables, OutputEntry.LogSumExp, outerCount, innerCount, output, settings);

    /// <summary>Per row, the (max, Σ exp(F − max) G) pair of KeOps's Max_SumShiftExp.</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="output">outerCount × FormulaDim values.</param>
    /// <param name="settings">Summation scheme, precision and cancellation.</param>
    public static void MaxSumShiftExp<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, Span<T> output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Output<TKernel, T>(in variables, OutputEntry.MaxSumShiftExp, outerCount, innerCount, output, settings);

    /// <summary>Per row, Σ_j exp(F) G / Σ_j exp F.</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="output">outerCount × dim G values.</param>
    /// <param name="settings">Summation scheme, precision and cancellation.</param>
    public static void SumSoftMaxWeight<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, Span<T> output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Output<TKernel, T>(in variables, OutputEntry.SumSoftMaxWeight, outerCount, innerCount, output, settings);

    /// <summary>The SumSoftMaxWeight forward pass of a gradient: (lse, out_1..out_dim(G)) per row.</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="output">outerCount × FormulaDim values.</param>
    /// <param name="settings">Summation scheme, precision and cancellation.</param>
    public static void SumSoftMaxWeightWithLogSumExp<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, Span<T> output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Output<TKernel, T>(in variables, OutputEntry.SumSoftMaxWeightWithLogSumExp, outerCount, innerCount, output, settings);

    /// <summary>The scalar path (tests compare the SIMD paths with it).</summary>
    internal static void SumScalar<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, Span<T> output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Output<TKernel, T>(in variables, OutputEntry.SumScalar, outerCount, innerCount, output, settings);

    /// <summary>Component-wise minimum of F and/or its index (Min, ArgMin, MinArgMin); ties go to the first index.</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="values">outerCount × FormulaDim minima, or empty when only indices are wanted.</param>
    /// <param name="indices">outerCount × FormulaDim indices, or empty when only values are wanted.</param>
    /// <param name="settings">Cancellation.</param>
    public static void Min<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, Span<T> values, Span<int> indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Select<TKernel, T>(in variables, Distributed.PartialStateKind.Min, outerCount, innerCount, 0, values, indices, settings);

    /// <summary>Component-wise maximum of F and/or its index (Max, ArgMax, MaxArgMax).</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="values">outerCount × FormulaDim maxima, or empty.</param>
    /// <param name="indices">outerCount × FormulaDim indices, or empty.</param>
    /// <param name="settings">Cancellation.</param>
    public static void Max<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, Span<T> values, Span<int> indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Select<TKernel, T>(in variables, Distributed.PartialStateKind.Max, outerCount, innerCount, 0, values, indices, settings);

    /// <summary>The K smallest values of F per row and component and/or their indices (KMin, ArgKMin, KMin_ArgKMin).</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="k">K.</param>
    /// <param name="values">outerCount × K × FormulaDim values, or empty.</param>
    /// <param name="indices">outerCount × K × FormulaDim indices, or empty.</param>
    /// <param name="settings">Cancellation.</param>
    public static void KMin<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, int k, Span<T> values, Span<int> indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Select<TKernel, T>(in variables, Distributed.PartialStateKind.KMin, outerCount, innerCount, k, values, indices, settings);

    /// <summary>The gradient of a selecting reduction, F evaluated only at the selected pairs (see the pointer entry).</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="outerCount">Number of output rows of the forward reduction.</param>
    /// <param name="innerCount">Number of rows on its reduced axis.</param>
    /// <param name="indices">outerCount × <paramref name="width"/> reduced indices from the forward pass.</param>
    /// <param name="width">Index slots per output row.</param>
    /// <param name="gradOutput">outerCount × <paramref name="width"/> adjoints of the forward values.</param>
    /// <param name="adjointOffset">Offset of the adjoint among the kernel's parameters.</param>
    /// <param name="adjointDim">Dimension of the adjoint.</param>
    /// <param name="target">Where each pair's value goes.</param>
    /// <param name="result">The gradient; overwritten.</param>
    /// <param name="settings">Cancellation.</param>
    public static void GradientAtPairs<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, ReadOnlySpan<int> indices, int width, ReadOnlySpan<T> gradOutput, int adjointOffset, int adjointDim, PairGradientTarget target, Span<T> result, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (int* i = indices)
        fixed (T* g = gradOutput, r = result)
        {
            var call = new PairsCall<T>(outerCount, innerCount, i, width, g, adjointOffset, adjointDim, target, r, settings);
            KernelPins.Run<TKernel, T, PairsCall<T>>(in variables, ref call);
        }
    }

    private static void Output<TKernel, T>(in KernelSpans<T> variables, OutputEntry entry, int outerCount, int innerCount, Span<T> output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* o = output)
        {
            var call = new OutputCall<T>(entry, outerCount, innerCount, o, settings);
            KernelPins.Run<TKernel, T, OutputCall<T>>(in variables, ref call);
        }
    }

    private static void Select<TKernel, T>(in KernelSpans<T> variables, Distributed.PartialStateKind kind, int outerCount, int innerCount, int k, Span<T> values, Span<int> indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // An empty span pins to null: "not wanted", as the pointer entries read it.
        fixed (T* v = values)
        fixed (int* i = indices)
        {
            var call = new SelectCall<T>(kind, outerCount, innerCount, k, v, i, settings);
            KernelPins.Run<TKernel, T, SelectCall<T>>(in variables, ref call);
        }
    }

    private enum OutputEntry
    {
        Sum,
        SumOverRows,
        SumScalar,
        LogSumExp,
        MaxSumShiftExp,
        SumSoftMaxWeight,
        SumSoftMaxWeightWithLogSumExp,
    }

    private readonly struct OutputCall<T>(OutputEntry entry, int outerCount, int innerCount, T* output, ReductionSettings settings) : IPinnedCall<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TKernel>(KernelData<T> data)
            where TKernel : unmanaged, ICpuKernel<T>
        {
            switch (entry)
            {
                case OutputEntry.Sum:
                    Sum<TKernel, T>(data, outerCount, innerCount, output, settings);
                    break;
                case OutputEntry.SumOverRows:
                    SumOverRows<TKernel, T>(data, outerCount, innerCount, output, settings);
                    break;
                case OutputEntry.SumScalar:
                    SumScalar<TKernel, T>(data, outerCount, innerCount, output, settings);
                    break;
                case OutputEntry.LogSumExp:
                    LogSumExp<TKernel, T>(data, outerCount, innerCount, output, settings);
                    break;
                case OutputEntry.MaxSumShiftExp:
                    MaxSumShiftExp<TKernel, T>(data, outerCount, innerCount, output, settings);
                    break;
                case OutputEntry.SumSoftMaxWeight:
                    SumSoftMaxWeight<TKernel, T>(data, outerCount, innerCount, output, settings);
                    break;
                default:
                    SumSoftMaxWeightWithLogSumExp<TKernel, T>(data, outerCount, innerCount, output, settings);
                    break;
            }
        }
    }

    private readonly struct SelectCall<T>(Distributed.PartialStateKind kind, int outerCount, int innerCount, int k, T* values, int* indices, ReductionSettings settings) : IPinnedCall<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TKernel>(KernelData<T> data)
            where TKernel : unmanaged, ICpuKernel<T>
            => Selection<TKernel, T>(kind, data, outerCount, innerCount, k, values, indices, settings);
    }

    private readonly struct PairsCall<T>(int outerCount, int innerCount, int* indices, int width, T* gradOutput, int adjointOffset, int adjointDim, PairGradientTarget target, T* result, ReductionSettings settings) : IPinnedCall<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TKernel>(KernelData<T> data)
            where TKernel : unmanaged, ICpuKernel<T>
            => GradientAtPairs<TKernel, T>(data, outerCount, innerCount, indices, width, gradOutput, adjointOffset, adjointDim, target, result, settings);
    }
}
