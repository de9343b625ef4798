namespace KeOpsGen;

/// <summary>
/// Batch dimensions as in KeOps: variables with leading batch dimensions (B1, ..., Bk) that
/// broadcast over size-1 dimensions. A batched call runs with
/// <see cref="ReductionOptions.BatchCount"/> = B1·...·Bk on spans holding B × rows × dim values
/// (batch-major, then row-major); these helpers bring a variable with a smaller (broadcast) batch
/// shape to the full one, and sum a gradient back to the variable's own shape.
/// </summary>
/// <remarks>
/// Shapes are given per batch dimension, e.g. <c>[2, 1]</c> for a variable shared along the second
/// of two batch dimensions <c>[2, 3]</c>; a shape of fewer dimensions is aligned to the right
/// (NumPy's broadcasting rule), so <c>[]</c> means one copy shared by the whole batch.
/// </remarks>
public static class Batch
{
    /// <summary>The number of batch elements of a shape: the product of its dimensions.</summary>
    public static int Count(ReadOnlySpan<int> shape)
    {
        long count = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 1)
            {
                throw new ArgumentException($"Batch dimension {d} is {shape[d]}: every batch dimension is at least 1.", nameof(shape));
            }

            count *= shape[d];
            if (count > int.MaxValue)
            {
                throw new ArgumentException("The batch holds more than 2^31 elements.", nameof(shape));
            }
        }

        return (int)count;
    }

    /// <summary>
    /// Copies a variable of batch shape <paramref name="sourceShape"/> to every element of
    /// <paramref name="batchShape"/> it broadcasts to.
    /// </summary>
    /// <param name="source">Count(sourceShape) × <paramref name="elementsPerBatch"/> values.</param>
    /// <param name="sourceShape">The variable's batch shape: each dimension 1 or equal to the batch's.</param>
    /// <param name="batchShape">The call's batch shape.</param>
    /// <param name="elementsPerBatch">rows × dim of one batch element.</param>
    /// <param name="destination">Count(batchShape) × <paramref name="elementsPerBatch"/> values (written).</param>
    public static void Broadcast<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> sourceShape, ReadOnlySpan<int> batchShape, int elementsPerBatch, Span<T> destination)
        where T : unmanaged
    {
        int[] map = SourceIndex(sourceShape, batchShape, elementsPerBatch, source.Length, destination.Length, nameof(source), nameof(destination));
        for (int b = 0; b < map.Length; b++)
        {
            source.Slice(map[b] * elementsPerBatch, elementsPerBatch).CopyTo(destination.Slice(b * elementsPerBatch, elementsPerBatch));
        }
    }

    /// <summary>
    /// Sums a gradient computed on the full batch back to a variable's own batch shape: the
    /// adjoint of <see cref="Broadcast{T}"/>. Sums run in double.
    /// </summary>
    /// <param name="gradient">Count(batchShape) × <paramref name="elementsPerBatch"/> values.</param>
    /// <param name="batchShape">The call's batch shape.</param>
    /// <param name="targetShape">The variable's batch shape.</param>
    /// <param name="elementsPerBatch">rows × dim of one batch element.</param>
    /// <param name="destination">Count(targetShape) × <paramref name="elementsPerBatch"/> values (overwritten).</param>
    public static void SumBack<T>(ReadOnlySpan<T> gradient, ReadOnlySpan<int> batchShape, ReadOnlySpan<int> targetShape, int elementsPerBatch, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] map = SourceIndex(targetShape, batchShape, elementsPerBatch, destination.Length, gradient.Length, nameof(destination), nameof(gradient));
        var sums = new double[destination.Length];
        for (int b = 0; b < map.Length; b++)
        {
            int to = map[b] * elementsPerBatch;
            int from = b * elementsPerBatch;
            for (int e = 0; e < elementsPerBatch; e++)
            {
                sums[to + e] += double.CreateTruncating(gradient[from + e]);
            }
        }

        for (int e = 0; e < sums.Length; e++)
        {
            destination[e] = T.CreateTruncating(sums[e]);
        }
    }

    /// <summary>For each element of the full batch, the element of the smaller shape it reads.</summary>
    private static int[] SourceIndex(ReadOnlySpan<int> smallShape, ReadOnlySpan<int> batchShape, int elementsPerBatch, int smallLength, int fullLength, string smallName, string fullName)
    {
        if (elementsPerBatch < 0)
        {
            throw new ArgumentException($"'elementsPerBatch' must be ≥ 0; got {elementsPerBatch}.", nameof(elementsPerBatch));
        }

        if (smallShape.Length > batchShape.Length)
        {
            throw new ArgumentException(
                $"The variable has {smallShape.Length} batch dimensions but the batch only {batchShape.Length}.", smallName);
        }

        int full = Count(batchShape);
        int small = Count(smallShape);
        int offset = batchShape.Length - smallShape.Length;
        for (int d = 0; d < smallShape.Length; d++)
        {
            if (smallShape[d] != 1 && smallShape[d] != batchShape[offset + d])
            {
                throw new ArgumentException(
                    $"Batch dimension {offset + d} of the variable is {smallShape[d]}: it must be 1 (broadcast) or the batch's {batchShape[offset + d]}.", smallName);
            }
        }

        if ((long)small * elementsPerBatch != smallLength)
        {
            throw new ArgumentException($"'{smallName}' must hold {small} × {elementsPerBatch} = {(long)small * elementsPerBatch} values; got {smallLength}.", smallName);
        }

        if ((long)full * elementsPerBatch != fullLength)
        {
            throw new ArgumentException($"'{fullName}' must hold {full} × {elementsPerBatch} = {(long)full * elementsPerBatch} values; got {fullLength}.", fullName);
        }

        var map = new int[full];
        var index = new int[batchShape.Length];
        for (int b = 0; b < full; b++)
        {
            int s = 0;
            for (int d = 0; d < smallShape.Length; d++)
            {
                s = (s * smallShape[d]) + (smallShape[d] == 1 ? 0 : index[offset + d]);
            }

            map[b] = s;
            for (int d = batchShape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < batchShape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return map;
    }
}
