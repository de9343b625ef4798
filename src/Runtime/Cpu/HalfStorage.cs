namespace KeOpsGen.Cpu;

/// <summary>
/// A float copy of one Half span (or a float scratch output), rented from the shared pool:
/// methods declared over <see cref="Half"/> widen their inputs once, run the float kernels and
/// round each result to Half once at the end. Memory stays O(N + M).
/// </summary>
public sealed unsafe class HalfWidened : IDisposable
{
    private readonly PooledBuffer<float> _buffer;

    internal HalfWidened(int length)
    {
        _buffer = new PooledBuffer<float>(length);
        Length = length;
    }

    /// <summary>Number of values.</summary>
    public int Length { get; }

    /// <summary>The float values.</summary>
    public Span<float> Values => new(_buffer.Pointer, Length);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose() => _buffer.Dispose();
}

/// <summary>Conversions used by the generated methods of <see cref="Half"/> reductions.</summary>
public static class HalfStorage
{
    /// <summary>Widens <paramref name="source"/> to float (exact: every Half is a float).</summary>
    /// <param name="source">The Half values.</param>
    /// <returns>The float copy; dispose it after the call.</returns>
    public static HalfWidened Widen(ReadOnlySpan<Half> source)
    {
        var widened = new HalfWidened(source.Length);
        Span<float> values = widened.Values;
        for (int k = 0; k < source.Length; k++)
        {
            values[k] = (float)source[k];
        }

        return widened;
    }

    /// <summary>A float scratch output of <paramref name="length"/> values.</summary>
    /// <param name="length">The length of the Half output it stands for.</param>
    /// <returns>The buffer; dispose it after <see cref="Narrow"/>.</returns>
    public static HalfWidened Output(int length) => new(length);

    /// <summary>Rounds the float results to Half (round to nearest even; overflow gives ±∞).</summary>
    /// <param name="source">The float results.</param>
    /// <param name="destination">The caller's Half output, as long as <paramref name="source"/>.</param>
    public static void Narrow(HalfWidened source, Span<Half> destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ReadOnlySpan<float> values = source.Values;
        for (int k = 0; k < values.Length; k++)
        {
            destination[k] = (Half)values[k];
        }
    }
}
