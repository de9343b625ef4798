namespace KeOpsGen.Cpu;

// Trigonometric functions (Sin and Cos are lane primitives, see KMath.cs). Each function: float and double overloads (what
// generated scalar code calls: ILGPU kernels and gather-time values), then one generic overload
// over ILane, which generated CPU kernels call for every width (KMath.cs says why both).
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
    /// Arcsine in radians; NaN outside [-1, 1].
    /// </summary>
    /// <remarks>
    /// The generic overload calls the scalar function lane by lane: rare in kernels, and correct.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Asin(float x) => MathF.Asin(x);

    /// <inheritdoc cref="Asin(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Asin(double x) => Math.Asin(x);

    /// <inheritdoc cref="Asin(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Asin<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Map<AsinFunction>(x);

    /// <summary>
    /// Arccosine in radians; NaN outside [-1, 1].
    /// </summary>
    /// <remarks>
    /// The generic overload calls the scalar function lane by lane: rare in kernels, and correct.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Acos(float x) => MathF.Acos(x);

    /// <inheritdoc cref="Acos(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Acos(double x) => Math.Acos(x);

    /// <inheritdoc cref="Acos(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Acos<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Map<AcosFunction>(x);

    /// <summary>
    /// Arctangent in radians.
    /// </summary>
    /// <remarks>
    /// The generic overload calls the scalar function lane by lane: rare in kernels, and correct.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Atan(float x) => MathF.Atan(x);

    /// <inheritdoc cref="Atan(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Atan(double x) => Math.Atan(x);

    /// <inheritdoc cref="Atan(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Atan<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Map<AtanFunction>(x);

    /// <summary>
    /// Angle of the point (x, y) in radians, in [-pi, pi].
    /// </summary>
    /// <remarks>
    /// The generic overload calls the scalar function lane by lane: rare in kernels, and correct.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Atan2(float y, float x) => MathF.Atan2(y, x);

    /// <inheritdoc cref="Atan2(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Atan2(double y, double x) => Math.Atan2(y, x);

    /// <inheritdoc cref="Atan2(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Atan2<TLane>(TLane y, TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Map<Atan2Function>(y, x);

    // Lane-by-lane fallback for functions the BCL has no vector form of; the interfaces' static
    // methods let the JIT inline the scalar call into each specialisation.
    private readonly struct AsinFunction : IScalarFunction
    {
        public static float Invoke(float x) => MathF.Asin(x);

        public static double Invoke(double x) => Math.Asin(x);
    }

    private readonly struct AcosFunction : IScalarFunction
    {
        public static float Invoke(float x) => MathF.Acos(x);

        public static double Invoke(double x) => Math.Acos(x);
    }

    private readonly struct AtanFunction : IScalarFunction
    {
        public static float Invoke(float x) => MathF.Atan(x);

        public static double Invoke(double x) => Math.Atan(x);
    }

    private readonly struct Atan2Function : IScalarFunction2
    {
        public static float Invoke(float y, float x) => MathF.Atan2(y, x);

        public static double Invoke(double y, double x) => Math.Atan2(y, x);
    }
}
