using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KeOpsGen.Cpu;

/// <summary>
/// AVX-512's scalef (p × 2^n in one instruction) at each vector width: the one intrinsic whose
/// class differs between the widths (<c>Avx512F.VL</c> for 256 bits, <c>Avx512F</c> for 512), kept
/// here so that <see cref="Vector256Lane{T}"/>, from which the build writes
/// <see cref="Vector512Lane{T}"/> by replacing 256 with 512, names no width-specific intrinsic.
/// </summary>
internal static class Scalef
{
    /// <summary>Whether <see cref="Scale(Vector256{float}, Vector256{float})"/> is one instruction here.</summary>
    public static bool IsSupported256
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx512F.VL.IsSupported;
    }

    /// <summary>Whether <see cref="Scale(Vector512{float}, Vector512{float})"/> is one instruction here.</summary>
    public static bool IsSupported512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx512F.IsSupported;
    }

    /// <summary>p × 2^floor(n), value by value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Scale(Vector256<float> p, Vector256<float> n) => Avx512F.VL.Scale(p, n);

    /// <inheritdoc cref="Scale(Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Scale(Vector256<double> p, Vector256<double> n) => Avx512F.VL.Scale(p, n);

    /// <inheritdoc cref="Scale(Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Scale(Vector512<float> p, Vector512<float> n) => Avx512F.Scale(p, n);

    /// <inheritdoc cref="Scale(Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Scale(Vector512<double> p, Vector512<double> n) => Avx512F.Scale(p, n);
}
