using System.Runtime.InteropServices;

namespace KeOpsGen.Cpu;

/// <summary>
/// One SIMD width seen through static members on raw vectors, so the engine's loops are written
/// once and the JIT specializes them per width. Implemented (explicitly) by the public lane types
/// <see cref="ScalarLane{T}"/>, <see cref="Vector256Lane{T}"/> and <see cref="Vector512Lane{T}"/>,
/// which are layout-identical wrappers of <typeparamref name="TVec"/>: one set of lane types for
/// the engine and the generated kernels.
/// </summary>
internal unsafe interface ILanes<TVec, T>
    where TVec : unmanaged
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract int Count { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Splat(T value);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Min(TVec a, TVec b);
    static abstract TVec Max(TVec a, TVec b);
    static abstract T Lane(TVec v, int lane);
    /// <summary>Keeps lanes [0, valid) of <paramref name="value"/>, the rest from <paramref name="fallback"/>.</summary>
    static abstract TVec KeepFirst(int valid, TVec value, TVec fallback);
    static abstract T Sum(TVec v);
    static abstract double SumAsDouble(TVec v);
    /// <summary>a where a &lt; b, else b: a NaN in <paramref name="a"/> never wins (strict comparison, as KeOps).</summary>
    static abstract TVec LessOf(TVec a, TVec b);
    /// <summary>a where a &gt; b, else b: a NaN in <paramref name="a"/> never wins.</summary>
    static abstract TVec GreaterOf(TVec a, TVec b);
    /// <summary>Whether any lane of <paramref name="v"/> is strictly below <paramref name="threshold"/>.</summary>
    static abstract bool AnyLess(TVec v, T threshold);
    static abstract TVec Subtract(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
    static abstract TVec Exp(TVec v);
    static abstract TVec Load(T* source);
    /// <summary>a × b + c with one rounding (a fused multiply-add, also in the scalar width).</summary>
    static abstract TVec Fma(TVec a, TVec b, TVec c);
    static abstract void Evaluate<TKernel>(T* parameters, T* outer, T* inner, nint stride, ref TVec result)
        where TKernel : ICpuKernel<T>;
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
    /// A <typeparamref name="TVec"/> of <typeparamref name="T"/> whose first <paramref name="valid"/>
    /// elements (clamped to [0, Count]) have every bit set and the others none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec First<TVec, T>(int valid)
        where TVec : unmanaged
        where T : unmanaged
    {
        int set = Math.Clamp(valid, 0, Unsafe.SizeOf<TVec>() / Unsafe.SizeOf<T>());
        return Unsafe.ReadUnaligned<TVec>(ref Unsafe.Add(ref MemoryMarshal.GetReference(Window), (Window.Length / 2) - (set * Unsafe.SizeOf<T>())));
    }
}
