namespace KeOpsGen.Cpu;

// Comparisons, selections and clamps (Min and Max are lane primitives, see KMath.cs). Each function: float and double overloads (what
// generated scalar code calls: ILGPU kernels and gather-time values), then one generic overload
// over ILane, which generated CPU kernels call for every width (KMath.cs says why both).
public static partial class KMath
{
    /// <summary>
    /// 1 if x &gt; 0, -1 if x &lt; 0, else 0 (so 0 for NaN, as in KeOps).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sign(float x) => x > 0 ? 1 : x < 0 ? -1 : 0;

    /// <inheritdoc cref="Sign(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sign(double x) => x > 0 ? 1 : x < 0 ? -1 : 0;

    /// <inheritdoc cref="Sign(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Sign<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        // A comparison yields all-ones or all-zeros bits, so masking 1.0 with it gives 1 or 0.
        => (TLane.IsGreater(x, TLane.Zero) & TLane.One) - (TLane.IsLess(x, TLane.Zero) & TLane.One);

    /// <summary>
    /// 0 if x &lt; 0, else 1 (so Step(0) == 1, and 1 for NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Step(float x) => x < 0 ? 0 : 1;

    /// <inheritdoc cref="Step(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Step(double x) => x < 0 ? 0 : 1;

    /// <inheritdoc cref="Step(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Step<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsLess(x, TLane.Zero), TLane.Zero, TLane.One);

    /// <summary>
    /// 0 if x &lt; 0, else x (NaN stays NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ReLU(float x) => x < 0 ? 0 : x;

    /// <inheritdoc cref="ReLU(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ReLU(double x) => x < 0 ? 0 : x;

    /// <inheritdoc cref="ReLU(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane ReLU<TLane>(TLane x)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsLess(x, TLane.Zero), TLane.Zero, x);

    /// <summary>
    /// a if x &lt; a, else b if x &gt; b, else x (the tests in that order, as KeOps).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Clamp(float x, float a, float b) => x < a ? a : x > b ? b : x;

    /// <inheritdoc cref="Clamp(float, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Clamp(double x, double a, double b) => x < a ? a : x > b ? b : x;

    /// <inheritdoc cref="Clamp(float, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Clamp<TLane>(TLane x, TLane a, TLane b)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsLess(x, a), a, TLane.Select(TLane.IsGreater(x, b), b, x));

    /// <summary>
    /// <see cref="Clamp(float, float, float)"/> with integer bounds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ClampInt(float x, int a, int b) => Clamp(x, (float)a, (float)b);

    /// <inheritdoc cref="ClampInt(float, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ClampInt(double x, int a, int b) => Clamp(x, (double)a, (double)b);

    /// <inheritdoc cref="ClampInt(float, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane ClampInt<TLane>(TLane x, int a, int b)
        where TLane : struct, ILane<TLane>
        => Clamp(x, TLane.Constant(a), TLane.Constant(b));

    /// <summary>
    /// Derivative of <see cref="ClampInt(float, int, int)"/>: 0 if x &lt; a or x &gt; b, else 1 (so
    /// 1 for NaN, as KeOps).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float DiffClampInt(float x, int a, int b) => x < a ? 0 : x > b ? 0 : 1;

    /// <inheritdoc cref="DiffClampInt(float, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double DiffClampInt(double x, int a, int b) => x < a ? 0 : x > b ? 0 : 1;

    /// <inheritdoc cref="DiffClampInt(float, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane DiffClampInt<TLane>(TLane x, int a, int b)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsLess(x, TLane.Constant(a)) | TLane.IsGreater(x, TLane.Constant(b)), TLane.Zero, TLane.One);

    /// <summary>
    /// g where f &gt;= 0, else h (h for NaN f).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float IfElse(float f, float g, float h) => f >= 0 ? g : h;

    /// <inheritdoc cref="IfElse(float, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double IfElse(double f, double g, double h) => f >= 0 ? g : h;

    /// <inheritdoc cref="IfElse(float, float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane IfElse<TLane>(TLane f, TLane g, TLane h)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsGreaterOrEqual(f, TLane.Zero), g, h);

    /// <summary>
    /// 1 if a == b, else 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Equal(float a, float b) => a == b ? 1 : 0;

    /// <inheritdoc cref="Equal(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Equal(double a, double b) => a == b ? 1 : 0;

    /// <inheritdoc cref="Equal(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane Equal<TLane>(TLane a, TLane b)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsEqual(a, b), TLane.One, TLane.Zero);

    /// <summary>
    /// 1 if a != b (so 1 when either is NaN), else 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float NotEqual(float a, float b) => a != b ? 1 : 0;

    /// <inheritdoc cref="NotEqual(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double NotEqual(double a, double b) => a != b ? 1 : 0;

    /// <inheritdoc cref="NotEqual(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane NotEqual<TLane>(TLane a, TLane b)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsEqual(a, b), TLane.Zero, TLane.One);

    /// <summary>
    /// 1 if a &lt; b, else 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LessThan(float a, float b) => a < b ? 1 : 0;

    /// <inheritdoc cref="LessThan(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LessThan(double a, double b) => a < b ? 1 : 0;

    /// <inheritdoc cref="LessThan(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane LessThan<TLane>(TLane a, TLane b)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsLess(a, b), TLane.One, TLane.Zero);

    /// <summary>
    /// 1 if a &lt;= b, else 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LessOrEqual(float a, float b) => a <= b ? 1 : 0;

    /// <inheritdoc cref="LessOrEqual(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LessOrEqual(double a, double b) => a <= b ? 1 : 0;

    /// <inheritdoc cref="LessOrEqual(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLane LessOrEqual<TLane>(TLane a, TLane b)
        where TLane : struct, ILane<TLane>
        => TLane.Select(TLane.IsLessOrEqual(a, b), TLane.One, TLane.Zero);
}
