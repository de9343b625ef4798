namespace KeOpsGen.Cpu;

// Trigonometric functions. Sin and Cos are lane primitives (see KMath.cs); SinXDivX has float and
// double overloads (what generated scalar code calls: ILGPU kernels and gather-time values) and one
// generic overload over ILane; the inverse functions are MathF/Math calls in scalar code, so only
// their lane overloads are here.
public static partial class KMath
{
    /// <summary>
    /// sin(x) / x, with its limit 1 at x == 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SinXDivX(float x) => x == 0 ? 1 : MathF.Sin(x) / x;

    /// <inheritdoc cref="SinXDivX(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SinXDivX(double x) => x == 0 ? 1 : Math.Sin(x) / x;

    /// <inheritdoc cref="SinXDivX(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane SinXDivX<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsEqual(x, TLane.Zero), TLane.One, TLane.Sin(x) / x);

    /// <summary>
    /// Arcsine in radians; NaN outside [-1, 1]. Lane by lane (rare in kernels, and correct); scalar
    /// code calls MathF/Math.Asin itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Asin<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Map<AsinFunction>(x);

    /// <summary>Arccosine in radians; NaN outside [-1, 1]. Lane by lane, as <see cref="Asin{TLane}(TLane)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Acos<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Map<AcosFunction>(x);

    /// <summary>Arctangent in radians. Lane by lane, as <see cref="Asin{TLane}(TLane)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Atan<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Map<AtanFunction>(x);

    /// <summary>Angle of the point (x, y) in radians, in [-pi, pi]. Lane by lane, as <see cref="Asin{TLane}(TLane)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Atan2<TLane>(TLane y, TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Map<Atan2Function>(y, x);

    // The scalar functions behind them, one generic method each over the BCL's floating-point
    // interface; the interfaces' static methods let the JIT inline the scalar call into each lane.
    private readonly struct AsinFunction : IScalarFunction
    {
        public static T Invoke<T>(T x)
            where T : IFloatingPointIeee754<T>
            => T.Asin(x);
    }

    private readonly struct AcosFunction : IScalarFunction
    {
        public static T Invoke<T>(T x)
            where T : IFloatingPointIeee754<T>
            => T.Acos(x);
    }

    private readonly struct AtanFunction : IScalarFunction
    {
        public static T Invoke<T>(T x)
            where T : IFloatingPointIeee754<T>
            => T.Atan(x);
    }

    private readonly struct Atan2Function : IScalarFunction2
    {
        public static T Invoke<T>(T y, T x)
            where T : IFloatingPointIeee754<T>
            => T.Atan2(y, x);
    }
}
