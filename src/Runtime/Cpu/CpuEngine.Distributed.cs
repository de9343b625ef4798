using KeOpsGen.Distributed;

namespace KeOpsGen.Cpu;

/// <summary>
/// The engine entry points when a <see cref="ReductionExchange"/> is current: the local reduction
/// runs over this process's rows into its partial state (the accumulators before finalization),
/// the exchange merges the states of all processes in place, and the merged state is finalized
/// as a local call would. Each entry point of the engine forwards here in one line.
/// </summary>
public static unsafe partial class CpuEngine
{
    private static Side OuterSide<TKernel, T>()
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged
        => TKernel.Axis == 1 ? Side.I : Side.J;

    private static Side InnerSide<TKernel, T>()
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged
        => TKernel.Axis == 1 ? Side.J : Side.I;

    /// <summary>Runs a Sum (<paramref name="overRows"/>: a SumOverRows) over the current exchange; false, with nothing done, when none is current.</summary>
    private static bool DistributedSum<TKernel, T>(KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings, bool overRows)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ReductionExchange.Current is not { } exchange)
        {
            return false;
        }

        // A Sum's state is its output: merged sums are final.
        using (ReductionExchange.Suspend())
        {
            if (overRows)
            {
                SumOverRows<TKernel, T>(kernel, outerCount, innerCount, output, settings);
            }
            else
            {
                Sum<TKernel, T>(kernel, outerCount, innerCount, output, settings);
            }
        }

        exchange.Merge(new PartialState<T>(PartialStateKind.Sum, overRows ? 1 : outerCount, TKernel.FormulaDim, 0, overRows ? null : OuterSide<TKernel, T>(), InnerSide<TKernel, T>(), innerCount, output, null));
        return true;
    }

    private static void DistributedSelect<TKernel, T>(ReductionExchange exchange, PartialStateKind kind, KernelData<T> kernel, int outerCount, int innerCount, int k, T* values, int* indices, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The merge needs both halves of the (value, index) state, whatever the method returns.
        int width = checked(TKernel.FormulaDim * Math.Max(k, 1));
        int length = checked(outerCount * width);
        using var valueBuffer = values == null ? new PooledBuffer<T>(length) : null;
        using var indexBuffer = indices == null ? new PooledBuffer<int>(length) : null;
        T* v = values != null ? values : valueBuffer!.Pointer;
        int* i = indices != null ? indices : indexBuffer!.Pointer;
        using (ReductionExchange.Suspend())
        {
            Selection<TKernel, T>(kind, kernel, outerCount, innerCount, k, v, i, settings);
        }

        exchange.Merge(new PartialState<T>(kind, outerCount, width, kind == PartialStateKind.KMin ? k : 0, OuterSide<TKernel, T>(), InnerSide<TKernel, T>(), innerCount, v, i));
    }

    private static void DistributedShiftExp<TKernel, T>(ReductionExchange exchange, KernelData<T> kernel, int outerCount, int innerCount, T* output, ReductionSettings settings, ShiftExpOutput mode)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int dimF = TKernel.FormulaDim;
        int width = 1 + dimF;
        using var state = new PooledBuffer<T>(checked(outerCount * width));
        ShiftExp<TKernel, T>(kernel, outerCount, innerCount, state.Pointer, settings, ShiftExpOutput.State);
        exchange.Merge(new PartialState<T>(PartialStateKind.ShiftExp, outerCount, width, 0, OuterSide<TKernel, T>(), InnerSide<TKernel, T>(), innerCount, state.Pointer, null));
        Span<double> sums = dimF <= 64 ? stackalloc double[dimF] : new double[dimF];
        for (int r = 0; r < outerCount; r++)
        {
            T* row = state.Pointer + ((nint)r * width);
            for (int k = 0; k < dimF; k++)
            {
                sums[k] = double.CreateTruncating(row[1 + k]);
            }

            WriteShiftExpRow(mode, double.CreateTruncating(row[0]), sums, output, r);
        }
    }

    private static void DistributedPairs<TKernel, T>(ReductionExchange exchange, KernelData<T> kernel, int outerCount, int innerCount, int* indices, int width, T* gradOutput, int adjointOffset, int adjointDim, PairGradientTarget target, T* result, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The forward pass merged global indices; this process evaluates only the pairs whose
        // reduced row it holds, and the exchange adds the pairs' sums where they are partial.
        int first = exchange.FirstRow(InnerSide<TKernel, T>(), innerCount);
        int slots = checked(outerCount * width);
        using var local = new PooledBuffer<int>(slots);
        for (int s = 0; s < slots; s++)
        {
            int j = indices[s] - first;
            local.Pointer[s] = indices[s] >= 0 && j >= 0 && j < innerCount ? j : -1;
        }

        using (ReductionExchange.Suspend())
        {
            GradientAtPairs<TKernel, T>(kernel, outerCount, innerCount, local.Pointer, width, gradOutput, adjointOffset, adjointDim, target, result, settings);
        }

        (int rows, Side? side) = target switch
        {
            PairGradientTarget.OuterRow => (outerCount, OuterSide<TKernel, T>()),
            PairGradientTarget.InnerRow => (innerCount, InnerSide<TKernel, T>()),
            _ => (1, (Side?)null),
        };
        exchange.Merge(new PartialState<T>(PartialStateKind.Sum, rows, TKernel.FormulaDim, 0, side, InnerSide<TKernel, T>(), innerCount, result, null));
    }
}
