namespace KeOpsGen;

public static partial class Validate
{
    /// <summary>
    /// Rejects an output that shares memory with an input or with another output, exact aliasing
    /// (the same span passed twice) included.
    /// </summary>
    /// <remarks>
    /// The engine reads inputs while other threads already write output rows, and the GPU path
    /// copies them at other times again, so an overlap gives results that depend on the schedule.
    /// In-place use is not supported: pass a separate buffer.
    /// </remarks>
    /// <exception cref="ArgumentException">The two spans share at least one byte; names both parameters.</exception>
    public static void Disjoint<TOutput, TInput>(Span<TOutput> output, string outputName, ReadOnlySpan<TInput> input, string inputName)
        where TOutput : unmanaged
        where TInput : unmanaged
    {
        if (Overlap((ReadOnlySpan<TOutput>)output, input))
        {
            throw new ArgumentException(
                $"Output '{outputName}' overlaps '{inputName}' in memory: an output must not share memory with an input or another output (in-place use is not supported, as rows are computed in parallel); pass a separate buffer.",
                outputName);
        }
    }

    /// <inheritdoc cref="Disjoint{TOutput, TInput}(Span{TOutput}, string, ReadOnlySpan{TInput}, string)"/>
    public static void Disjoint<TOutput, TInput>(Span<TOutput> output, string outputName, Span<TInput> input, string inputName)
        where TOutput : unmanaged
        where TInput : unmanaged
        => Disjoint(output, outputName, (ReadOnlySpan<TInput>)input, inputName);

    /// <summary>
    /// The same check for a call with many outputs (a combined gradient method), one runtime call
    /// per group of spans so that generated code stays linear in the number of parameters: every
    /// span of <paramref name="outputs"/> against every later one of <paramref name="outputs"/> and
    /// every span of <paramref name="others"/> (pass an empty <paramref name="others"/> to check a
    /// group of outputs among themselves). The names are comma-separated, in the spans' order.
    /// </summary>
    /// <exception cref="ArgumentException">An output shares at least one byte with another span; names both parameters.</exception>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static void Disjoint<T>(scoped in Cpu.KernelSpans<T> outputs, string outputNames, scoped in Cpu.KernelSpans<T> others, string otherNames)
        where T : unmanaged
    {
        for (int o = 0; o < outputs.Count; o++)
        {
            for (int k = o + 1; k < outputs.Count; k++)
            {
                if (Overlap(outputs[o], outputs[k]))
                {
                    Overlapping(outputNames, o, outputNames, k);
                }
            }

            for (int k = 0; k < others.Count; k++)
            {
                if (Overlap(outputs[o], others[k]))
                {
                    Overlapping(outputNames, o, otherNames, k);
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Disjoint{TOutput, TInput}(Span{TOutput}, string, ReadOnlySpan{TInput}, string)"/> for
    /// up to eight inputs of one element type in one call, so that a generated method checks an
    /// output in one line instead of one per input; inputs left out are empty and always pass.
    /// <paramref name="inputNames"/> holds the inputs' parameter names, comma-separated, in argument order.
    /// </summary>
    /// <exception cref="ArgumentException">The output shares at least one byte with an input; names both parameters (the first such input).</exception>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static void DisjointFrom<TOutput, TInput>(
        Span<TOutput> output, string outputName, string inputNames, ReadOnlySpan<TInput> input0, ReadOnlySpan<TInput> input1 = default,
        ReadOnlySpan<TInput> input2 = default, ReadOnlySpan<TInput> input3 = default, ReadOnlySpan<TInput> input4 = default,
        ReadOnlySpan<TInput> input5 = default, ReadOnlySpan<TInput> input6 = default, ReadOnlySpan<TInput> input7 = default)
        where TOutput : unmanaged
        where TInput : unmanaged
    {
        ReadOnlySpan<TOutput> o = output;
        int first = Overlap(o, input0) ? 0 : Overlap(o, input1) ? 1 : Overlap(o, input2) ? 2 : Overlap(o, input3) ? 3
            : Overlap(o, input4) ? 4 : Overlap(o, input5) ? 5 : Overlap(o, input6) ? 6 : Overlap(o, input7) ? 7 : -1;
        if (first >= 0)
        {
            Overlapping(outputName, 0, inputNames, first);
        }
    }

    private static void Overlapping(string outputNames, int output, string otherNames, int other)
    {
        string outputName = outputNames.Split(',')[output], otherName = otherNames.Split(',')[other];
        throw new ArgumentException(
            $"Output '{outputName}' overlaps '{otherName}' in memory: an output must not share memory with an input or another output (in-place use is not supported, as rows are computed in parallel); pass a separate buffer.",
            outputName);
    }

    /// <summary>
    /// Whether two element ranges share a byte, compared as 64-bit addresses and byte lengths
    /// (a span of floats may be over 2 GB, past what <c>MemoryMarshal.AsBytes</c> accepts).
    /// </summary>
    private static unsafe bool Overlap<TOutput, TInput>(ReadOnlySpan<TOutput> output, ReadOnlySpan<TInput> input)
        where TOutput : unmanaged
        where TInput : unmanaged
    {
        if (output.IsEmpty || input.IsEmpty)
        {
            return false;
        }

        // Pinned, so that no GC move can fall between reading the two addresses.
        fixed (TOutput* o = output)
        fixed (TInput* i = input)
        {
            ulong a = (ulong)o, b = (ulong)i;
            ulong aEnd = a + ((ulong)output.Length * (ulong)sizeof(TOutput)), bEnd = b + ((ulong)input.Length * (ulong)sizeof(TInput));
            return a < bEnd && b < aEnd;
        }
    }
}
