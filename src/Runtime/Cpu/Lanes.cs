using System.Runtime.InteropServices;

namespace KeOpsGen.Cpu;

/// <summary>
/// What the engine needs of a lane type beyond <see cref="ILane{TSelf, T}"/>: the horizontal steps
/// that end a reduction (a sum across the lanes, a test of any lane). The engine's jobs are generic
/// over one lane type, the same <see cref="ScalarLane{T}"/>, <see cref="Vector256Lane{T}"/> or
/// <see cref="Vector512Lane{T}"/> the generated kernels run, and do everything else with
/// <see cref="ILane{TSelf, T}"/>'s members and <see cref="Lanes"/>: each operation is written once per lane type.
/// </summary>
/// <typeparam name="TSelf">The lane type itself.</typeparam>
/// <typeparam name="T">float or double.</typeparam>
internal interface IEngineLane<TSelf, T> : ILane<TSelf, T>
    where TSelf : unmanaged, IEngineLane<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The sum of the values, in <typeparamref name="T"/>.</summary>
    static abstract T Sum(TSelf lanes);

    /// <summary>The sum of the values, in double (float lanes are widened first).</summary>
    static abstract double SumAsDouble(TSelf lanes);

    /// <summary>Whether any value of <paramref name="lanes"/> is strictly below <paramref name="threshold"/>.</summary>
    static abstract bool AnyLess(TSelf lanes, T threshold);
}

/// <summary>The engine's selections, written once over <see cref="ILane{TSelf}"/> for every width.</summary>
internal static class Lanes
{
    /// <summary>Keeps positions [0, valid) of <paramref name="value"/>, the rest from <paramref name="fallback"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane KeepFirst<TLane>(int valid, TLane value, TLane fallback)
        where TLane : unmanaged, ILane<TLane>
        => TLane.Select(LaneMask.First<TLane>(valid), value, fallback);

    /// <summary>a where a &lt; b, else b: a NaN in <paramref name="a"/> never wins (strict comparison, as KeOps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane LessOf<TLane>(TLane a, TLane b)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsLess(a, b), a, b);

    /// <summary>a where a &gt; b, else b: a NaN in <paramref name="a"/> never wins.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane GreaterOf<TLane>(TLane a, TLane b)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsGreater(a, b), a, b);
}

/// <summary>Masks of the first lanes of a vector, for the engine's partial tiles.</summary>
internal static class LaneMask
{
    // 64 bytes of ones, then 64 of zeros (RVA data, no allocation). The vector-sized window that starts
    // valid * sizeof(T) bytes before the middle has exactly its first `valid` elements all ones and the
    // rest zero, for every width up to 512 bits and every element type: one read serves all of them.
    private static ReadOnlySpan<byte> Window =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    /// <summary>
    /// A <typeparamref name="TLane"/> whose first <paramref name="valid"/> values (clamped to
    /// [0, Count]) have every bit set and the others none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane First<TLane>(int valid)
        where TLane : unmanaged, ILane<TLane>
    {
        int set = Math.Clamp(valid, 0, TLane.Count);
        return Unsafe.ReadUnaligned<TLane>(ref Unsafe.Add(ref MemoryMarshal.GetReference(Window), (Window.Length / 2) - (set * (Unsafe.SizeOf<TLane>() / TLane.Count))));
    }
}
