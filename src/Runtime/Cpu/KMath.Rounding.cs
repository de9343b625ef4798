namespace KeOpsGen.Cpu;

// Rounding and the fused multiply-add (Abs and Floor are lane primitives, see KMath.cs). Each function: float and double overloads (what
// generated scalar code calls: ILGPU kernels and gather-time values), then one generic overload
// over ILane, which generated CPU kernels call for every width (KMath.cs says why both).
public static partial class KMath
{
    /// <summary>
    /// Rounds to d decimals, halves away from zero like C's <c>round</c>: round(x) for d == 0, else
    /// round(x * 10^d) / 10^d computed in the lane's precision.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Round(float x, int d) => RoundScalar(x, d, d == 0 ? 1f : (float)Math.Pow(10, d));

    /// <inheritdoc cref="Round(float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Round(double x, int d) => RoundScalar(x, d, d == 0 ? 1d : Math.Pow(10, d));

    // The float and double overloads' one body. The caller converts 10^d, since ILGPU compiles
    // generic math on float and double but no generic conversion (KMath.cs); d is a constant at
    // every generated call site, so the tests fold and d == 0 costs neither Pow nor the scaling.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T RoundScalar<T>(T x, int d, T scale)
        where T : IFloatingPoint<T>
        => d == 0
            ? T.Round(x, MidpointRounding.AwayFromZero)
            : T.Round(x * scale, MidpointRounding.AwayFromZero) / scale;

    /// <inheritdoc cref="Round(float, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Round<TLane>(TLane x, int d)
        where TLane : struct, ILane<TLane>
    {
        if (d == 0)
        {
            return RoundHalfAway(x);
        }

        TLane scale = TLane.Constant(Math.Pow(10, d));
        return RoundHalfAway(x * scale) / scale;
    }

    // x - trunc(x) is exact, so comparing it with 1/2 decides ties without the double rounding of
    // floor(x + 0.5); infinities give NaN there, fail the test and stay as they are.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TLane RoundHalfAway<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
    {
        TLane t = TLane.Truncate(x);
        TLane away = TLane.IsGreaterOrEqual(TLane.Abs(x - t), TLane.Constant(0.5));
        return TLane.Select(away, t + TLane.CopySign(TLane.One, x), t);
    }

    /// <summary>
    /// x - n * floor((x - d) / n): x wrapped into [d, d + n) for n &gt; 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Mod(float x, float n, float d) => x - n * MathF.Floor((x - d) / n);

    /// <inheritdoc cref="Mod(float, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Mod(double x, double n, double d) => x - n * Math.Floor((x - d) / n);

    /// <inheritdoc cref="Mod(float, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Mod<TLane>(TLane x, TLane n, TLane d)
        where TLane : struct, ILane<TLane>
        => x - (n * TLane.Floor((x - d) / n));

    /// <summary>
    /// a * b + c with a single rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    /// <inheritdoc cref="Fma(float, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Fma(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);

    /// <inheritdoc cref="Fma(float, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Fma<TLane>(TLane a, TLane b, TLane c)
        where TLane : struct, ILane<TLane>
        => TLane.Fma(a, b, c);
}
