namespace KeOpsGen.Cpu;

/// <summary>Where <see cref="CpuEngine.GradientAtPairs{TKernel, T}(in KernelSpans{T}, int, int, System.ReadOnlySpan{int}, int, System.ReadOnlySpan{T}, int, int, PairGradientTarget, System.Span{T}, ReductionSettings)"/> adds the value at a pair (r, j).</summary>
public enum PairGradientTarget
{
    /// <summary>Into output row r: the gradient of a variable indexed by the output row.</summary>
    OuterRow,

    /// <summary>Into row j of the reduced side: the gradient of a variable indexed by the reduced index.</summary>
    InnerRow,

    /// <summary>Into one total over all pairs: the gradient of a parameter.</summary>
    Total,
}

public static unsafe partial class CpuEngine
{
    /// <summary>
    /// The gradient of a selecting reduction (Min, Max, KMin, ...): the kernel's F is evaluated
    /// only at the selected pairs (r, indices[r, e]), never reduced, and the results are added
    /// where <paramref name="target"/> says. O(outerCount · width) evaluations.
    /// </summary>
    /// <param name="kernel">
    /// The gradient kernel, whose formula is Grad(F, v, E) with the adjoint E a parameter at
    /// <paramref name="adjointOffset"/> of the parameter layout: for slot e of row r, E is set to
    /// gradOutput[r, e] on component e mod <paramref name="adjointDim"/> and 0 elsewhere.
    /// </param>
    /// <param name="outerCount">Number of output rows of the forward reduction.</param>
    /// <param name="innerCount">Number of rows on its reduced axis.</param>
    /// <param name="indices">outerCount × <paramref name="width"/> reduced indices from the forward pass; −1 slots are skipped.</param>
    /// <param name="width">Index slots per output row (dim F, or K · dim F).</param>
    /// <param name="gradOutput">outerCount × <paramref name="width"/> adjoints of the forward values.</param>
    /// <param name="adjointOffset">Offset of E among the kernel's parameters.</param>
    /// <param name="adjointDim">dim E = dim F.</param>
    /// <param name="target">Where each pair's value goes.</param>
    /// <param name="result">Rows × FormulaDim (outer or inner rows) or FormulaDim values; overwritten.</param>
    /// <param name="settings">Cancellation.</param>
    /// <remarks>
    /// Runs on the calling thread: the work is linear in the output rows, and the inner-row
    /// target adds into rows shared between output rows. Totals are accumulated in double.
    /// </remarks>
    internal static void GradientAtPairs<TKernel, T>(KernelData<T> kernel, int outerCount, int innerCount, int* indices, int width, T* gradOutput, int adjointOffset, int adjointDim, PairGradientTarget target, T* result, ReductionSettings settings)
        where TKernel : unmanaged, ICpuKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (global::KeOpsGen.Distributed.ReductionExchange.Current is { } exchange)
        {
            DistributedPairs<TKernel, T>(exchange, kernel, outerCount, innerCount, indices, width, gradOutput, adjointOffset, adjointDim, target, result, settings);
            return;
        }

        int dim = TKernel.FormulaDim;
        long resultLength = target switch
        {
            PairGradientTarget.OuterRow => (long)outerCount * dim,
            PairGradientTarget.InnerRow => (long)innerCount * dim,
            _ => dim,
        };
        new Span<T>(result, checked((int)resultLength)).Clear();
        if (outerCount == 0 || width == 0)
        {
            return;
        }

        T[] outerArray = ArrayPool<T>.Shared.Rent(Math.Max(1, TKernel.OuterDim));
        T[] innerArray = ArrayPool<T>.Shared.Rent(Math.Max(1, TKernel.InnerDim));
        T[] paramArray = ArrayPool<T>.Shared.Rent(Math.Max(1, TKernel.ParamDim));
        T[] valueArray = ArrayPool<T>.Shared.Rent(Math.Max(1, dim));
        double[] total = new double[dim];
        try
        {
            fixed (T* outer = outerArray, inner = innerArray, parameters = paramArray, value = valueArray)
            {
                kernel.GatherParams<TKernel>(parameters);
                T* adjoint = parameters + adjointOffset;
                for (int r = 0; r < outerCount; r++)
                {
                    if ((r & 1023) == 0)
                    {
                        settings.CancellationToken.ThrowIfCancellationRequested();
                    }

                    kernel.GatherOuter<TKernel>(r, outer, parameters);
                    for (int e = 0; e < width; e++)
                    {
                        nint slot = ((nint)r * width) + e;
                        int j = indices[slot];
                        if (j < 0)
                        {
                            continue;
                        }

                        // One component of the adjoint per evaluation: slot e selected its own j.
                        new Span<T>(adjoint, adjointDim).Clear();
                        adjoint[e % adjointDim] = gradOutput[slot];
                        kernel.GatherInner<TKernel>(j, 1, inner, 1, parameters);
                        TKernel.Evaluate(ref *parameters, ref *outer, ref *inner, 1, ref System.Runtime.CompilerServices.Unsafe.As<T, ScalarLane<T>>(ref value[0]));
                        switch (target)
                        {
                            case PairGradientTarget.OuterRow:
                                Add(result + ((nint)r * dim), value, dim);
                                break;
                            case PairGradientTarget.InnerRow:
                                Add(result + ((nint)j * dim), value, dim);
                                break;
                            default:
                                for (int c = 0; c < dim; c++)
                                {
                                    total[c] += double.CreateTruncating(value[c]);
                                }

                                break;
                        }
                    }
                }

                if (target == PairGradientTarget.Total)
                {
                    for (int c = 0; c < dim; c++)
                    {
                        result[c] = T.CreateTruncating(total[c]);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(outerArray);
            ArrayPool<T>.Shared.Return(innerArray);
            ArrayPool<T>.Shared.Return(paramArray);
            ArrayPool<T>.Shared.Return(valueArray);
        }

        static void Add(T* destination, T* value, int dim)
        {
            for (int c = 0; c < dim; c++)
            {
                destination[c] += value[c];
            }
        }
    }
}
