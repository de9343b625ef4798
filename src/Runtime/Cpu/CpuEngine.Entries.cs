using KeOpsGen.Distributed;
using KeOpsGen.Solvers;

namespace KeOpsGen.Cpu;

/// <summary>What one call of <see cref="CpuEngine.Reduce{TKernel, T}"/> computes, and what it writes.</summary>
public enum CpuReduction
{
    /// <summary>out[r, k] = Σ_j F_k(outer r, inner j) for every output row r: outerCount × FormulaDim values, row-major.</summary>
    Sum,

    /// <summary>Σ over all (outer, inner) pairs of F, the gradient of a parameter: FormulaDim values.</summary>
    SumOverRows,

    /// <summary>
    /// Per row, log Σ_j exp F_j with F the kernel's first value; when the kernel yields
    /// (F, G_1..G_d), the weighted m + log Σ_j exp(F − m) G_k for each k: outerCount × max(1, FormulaDim − 1) values.
    /// </summary>
    LogSumExp,

    /// <summary>
    /// Per row, KeOps's Max_SumShiftExp pair m = max_j F, s = Σ_j exp(F − m), or with a weight
    /// (F, G_1..G_d: Max_SumShiftExpWeight) m then s_k = Σ_j exp(F − m) G_k: outerCount × max(2, FormulaDim) values.
    /// </summary>
    MaxSumShiftExp,

    /// <summary>Per row, Σ_j exp(F) G / Σ_j exp F: outerCount × dim G values.</summary>
    SumSoftMaxWeight,

    /// <summary>The SumSoftMaxWeight forward pass of a gradient, (lse, out_1..out_dim(G)) per row: outerCount × FormulaDim values.</summary>
    SumSoftMaxWeightWithLogSumExp,

    /// <summary>
    /// Component-wise minimum of F and/or its index (Min, ArgMin, MinArgMin), ties to the first
    /// index: outerCount × FormulaDim values and/or indices, either span empty when not wanted.
    /// </summary>
    Min,

    /// <summary>Component-wise maximum of F and/or its index (Max, ArgMax, MaxArgMax): laid out as <see cref="Min"/>.</summary>
    Max,

    /// <summary>
    /// The K smallest values of F per row and component, ascending, and/or their indices (KMin,
    /// ArgKMin, KMin_ArgKMin): outerCount × K × FormulaDim of each, [row][k][component].
    /// </summary>
    KMin,
}

/// <summary>
/// The engine's public entry points, what generated code calls: the kernel type (static members
/// only) as a type argument, the caller's spans in a <see cref="KernelSpans{T}"/>, the outputs as
/// spans. Each entry pins the outputs and (through <see cref="KernelPins"/>) every input span,
/// then runs the internal entry of the reduction on runtime-owned addresses, so no generated
/// code needs <c>unsafe</c>.
/// </summary>
public static unsafe partial class CpuEngine
{
    /// <summary>The scalar Sum path (tests compare the SIMD paths with it): no public value, only <see cref="SumScalar{TKernel, T}(in KernelSpans{T}, int, int, Span{T}, ReductionSettings)"/> runs it.</summary>
    private const CpuReduction ScalarSum = (CpuReduction)(-1);

    /// <summary>Runs one forward reduction of the kernel over the caller's spans.</summary>
    /// <param name="variables">The caller's spans in the kernel's variable order.</param>
    /// <param name="reduction">What is computed and written (see each <see cref="CpuReduction"/> member).</param>
    /// <param name="outerCount">Number of output rows.</param>
    /// <param name="innerCount">Number of rows on the reduced axis.</param>
    /// <param name="k">K for <see cref="CpuReduction.KMin"/> (at least 1); else 0.</param>
    /// <param name="values">The values the reduction writes; empty for a selection that only wants indices.</param>
    /// <param name="indices">The indices a selection writes, or empty (and always empty for the sums).</param>
    /// <param name="settings">Summation scheme, precision and cancellation (selections read only the cancellation).</param>
    public static void Reduce<TKernel, T>(in KernelSpans<T> variables, CpuReduction reduction, int outerCount, int innerCount, int k, Span<T> values, Span<int> indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "expected a named CpuReduction value");
        }

        Pinned<TKernel, T>(in variables, reduction, outerCount, innerCount, k, values, indices, settings);
    }

    /// <summary>The scalar path (tests compare the SIMD paths with it).</summary>
    internal static void SumScalar<TKernel, T>(in KernelSpans<T> variables, int outerCount, int innerCount, Span<T> output, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
        => Pinned<TKernel, T>(in variables, ScalarSum, outerCount, innerCount, 0, output, default, settings);

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

    private static void Pinned<TKernel, T>(in KernelSpans<T> variables, CpuReduction reduction, int outerCount, int innerCount, int k, Span<T> values, Span<int> indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // An empty span pins to null: "not wanted", as the pointer entries read it.
        fixed (T* v = values)
        fixed (int* i = indices)
        {
            var call = new ReduceCall<T>(reduction, outerCount, innerCount, k, v, i, settings);
            KernelPins.Run<TKernel, T, ReduceCall<T>>(in variables, ref call);
        }
    }

    private readonly struct ReduceCall<T>(CpuReduction reduction, int outerCount, int innerCount, int k, T* values, int* indices, ReductionSettings settings) : IPinnedCall<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TKernel>(KernelData<T> data)
            where TKernel : unmanaged, ICpuKernel<T>
        {
            // One case per driver: the selections and the log-sum-exp family take their variant as data.
            switch (reduction)
            {
                case CpuReduction.Min or CpuReduction.Max or CpuReduction.KMin:
                    PartialStateKind kind = reduction switch
                    {
                        CpuReduction.Min => PartialStateKind.Min,
                        CpuReduction.Max => PartialStateKind.Max,
                        _ => PartialStateKind.KMin,
                    };
                    Selection<TKernel, T>(kind, data, outerCount, innerCount, k, values, indices, settings);
                    break;
                case CpuReduction.LogSumExp or CpuReduction.MaxSumShiftExp or CpuReduction.SumSoftMaxWeight or CpuReduction.SumSoftMaxWeightWithLogSumExp:
                    ShiftExpOutput mode = reduction switch
                    {
                        CpuReduction.LogSumExp => ShiftExpOutput.LogSumExp,
                        CpuReduction.MaxSumShiftExp => ShiftExpOutput.MaxSumShiftExp,
                        CpuReduction.SumSoftMaxWeight => ShiftExpOutput.SumSoftMaxWeight,
                        _ => ShiftExpOutput.SoftMaxWithLogSumExp,
                    };
                    ShiftExp<TKernel, T>(data, outerCount, innerCount, values, settings, mode);
                    break;
                case CpuReduction.SumOverRows:
                    SumOverRows<TKernel, T>(data, outerCount, innerCount, values, settings);
                    break;
                case ScalarSum:
                    SumScalar<TKernel, T>(data, outerCount, innerCount, values, settings);
                    break;
                default:
                    Sum<TKernel, T>(data, outerCount, innerCount, values, settings);
                    break;
            }
        }
    }

    private readonly struct PairsCall<T>(int outerCount, int innerCount, int* indices, int width, T* gradOutput, int adjointOffset, int adjointDim, PairGradientTarget target, T* result, ReductionSettings settings) : IPinnedCall<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run<TKernel>(KernelData<T> data)
            where TKernel : unmanaged, ICpuKernel<T>
            => GradientAtPairs<TKernel, T>(data, outerCount, innerCount, indices, width, gradOutput, adjointOffset, adjointDim, target, result, settings);
    }
}
