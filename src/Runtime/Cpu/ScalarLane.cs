namespace KeOpsGen.Cpu;

/// <summary>
/// One value as a lane group: the portable path (no SIMD, or a single reduced row), and the
/// reference the SIMD widths are tested against. Layout identical to <typeparamref name="T"/>.
/// </summary>
/// <remarks>
/// Masks are values with all bits set (a NaN) or none (+0), as in the vector widths, so the same
/// <see cref="KMath"/> code runs here; <see cref="Select"/> tests the mask against zero, which
/// the JIT turns into a compare and a conditional move.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public readonly struct ScalarLane<T> : ILane<ScalarLane<T>, T>, IEngineLane<ScalarLane<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The value.</summary>
    public readonly T Value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    public ScalarLane(T value) => Value = value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    public static implicit operator ScalarLane<T>(T value) => Unsafe.BitCast<T, ScalarLane<T>>(value);

    /// <summary>The wrapped value.</summary>
    public static implicit operator T(ScalarLane<T> lane) => lane.Value;

    /// <inheritdoc/>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 1;
    }

    /// <inheritdoc/>
    public static bool IsDouble
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(double);
    }

    /// <inheritdoc/>
    public static ScalarLane<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.BitCast<T, ScalarLane<T>>(T.Zero);
    }

    /// <inheritdoc/>
    public static ScalarLane<T> One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.BitCast<T, ScalarLane<T>>(T.One);
    }

    private static ScalarLane<T> AllBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) ? Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.BitCast<int, T>(-1)) : Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.BitCast<long, T>(-1L));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Constant(double value)
        // A cast, not T.CreateTruncating, whose call chain would be more inlinees (and JIT locals) per constant.
        => typeof(T) == typeof(float) ? Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.BitCast<float, T>((float)value)) : Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.BitCast<double, T>(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Create(T value) => Unsafe.BitCast<T, ScalarLane<T>>(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Load(in T source) => Unsafe.BitCast<T, ScalarLane<T>>(source);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Load(in T source, nint offset) => Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.Add(ref Unsafe.AsRef(in source), offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Broadcast(in T source, nint offset) => Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.Add(ref Unsafe.AsRef(in source), offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GetElement(ScalarLane<T> lanes, int index) => lanes.Value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> operator +(ScalarLane<T> a, ScalarLane<T> b) => Unsafe.BitCast<T, ScalarLane<T>>(a.Value + b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> operator -(ScalarLane<T> a, ScalarLane<T> b) => Unsafe.BitCast<T, ScalarLane<T>>(a.Value - b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> operator *(ScalarLane<T> a, ScalarLane<T> b) => Unsafe.BitCast<T, ScalarLane<T>>(a.Value * b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> operator /(ScalarLane<T> a, ScalarLane<T> b) => Unsafe.BitCast<T, ScalarLane<T>>(a.Value / b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> operator -(ScalarLane<T> a) => Unsafe.BitCast<T, ScalarLane<T>>(-a.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> operator &(ScalarLane<T> a, ScalarLane<T> b)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.BitCast<int, T>(Unsafe.BitCast<T, int>(a.Value) & Unsafe.BitCast<T, int>(b.Value)))
            : Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.BitCast<long, T>(Unsafe.BitCast<T, long>(a.Value) & Unsafe.BitCast<T, long>(b.Value)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> operator |(ScalarLane<T> a, ScalarLane<T> b)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.BitCast<int, T>(Unsafe.BitCast<T, int>(a.Value) | Unsafe.BitCast<T, int>(b.Value)))
            : Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.BitCast<long, T>(Unsafe.BitCast<T, long>(a.Value) | Unsafe.BitCast<T, long>(b.Value)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> operator ~(ScalarLane<T> a)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.BitCast<int, T>(~Unsafe.BitCast<T, int>(a.Value)))
            : Unsafe.BitCast<T, ScalarLane<T>>(Unsafe.BitCast<long, T>(~Unsafe.BitCast<T, long>(a.Value)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Fma(ScalarLane<T> a, ScalarLane<T> b, ScalarLane<T> c) => Unsafe.BitCast<T, ScalarLane<T>>(T.FusedMultiplyAdd(a.Value, b.Value, c.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Min(ScalarLane<T> a, ScalarLane<T> b) => Unsafe.BitCast<T, ScalarLane<T>>(T.Min(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Max(ScalarLane<T> a, ScalarLane<T> b) => Unsafe.BitCast<T, ScalarLane<T>>(T.Max(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> MinNative(ScalarLane<T> a, ScalarLane<T> b) => a.Value < b.Value ? a : b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> MaxNative(ScalarLane<T> a, ScalarLane<T> b) => a.Value > b.Value ? a : b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Sqrt(ScalarLane<T> x) => Unsafe.BitCast<T, ScalarLane<T>>(T.Sqrt(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Abs(ScalarLane<T> x) => Unsafe.BitCast<T, ScalarLane<T>>(T.Abs(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Floor(ScalarLane<T> x) => Unsafe.BitCast<T, ScalarLane<T>>(T.Floor(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Truncate(ScalarLane<T> x) => Unsafe.BitCast<T, ScalarLane<T>>(T.Truncate(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> CopySign(ScalarLane<T> value, ScalarLane<T> sign) => Unsafe.BitCast<T, ScalarLane<T>>(T.CopySign(value.Value, sign.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Log(ScalarLane<T> x) => Unsafe.BitCast<T, ScalarLane<T>>(T.Log(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Sin(ScalarLane<T> x) => Unsafe.BitCast<T, ScalarLane<T>>(T.Sin(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Cos(ScalarLane<T> x) => Unsafe.BitCast<T, ScalarLane<T>>(T.Cos(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Exp(ScalarLane<T> x) => KMath.ExpPolynomial(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> ScaleB(ScalarLane<T> p, ScalarLane<T> n) => Unsafe.BitCast<T, ScalarLane<T>>(T.ScaleB(p.Value, int.CreateTruncating(n.Value)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> IsEqual(ScalarLane<T> a, ScalarLane<T> b) => a.Value == b.Value ? AllBits : Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> IsLess(ScalarLane<T> a, ScalarLane<T> b) => a.Value < b.Value ? AllBits : Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> IsLessOrEqual(ScalarLane<T> a, ScalarLane<T> b) => a.Value <= b.Value ? AllBits : Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> IsGreater(ScalarLane<T> a, ScalarLane<T> b) => a.Value > b.Value ? AllBits : Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> IsGreaterOrEqual(ScalarLane<T> a, ScalarLane<T> b) => a.Value >= b.Value ? AllBits : Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> IsNegative(ScalarLane<T> x) => T.IsNegative(x.Value) ? AllBits : Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Select(ScalarLane<T> mask, ScalarLane<T> ifTrue, ScalarLane<T> ifFalse)
        => mask.Value != T.Zero ? ifTrue : ifFalse;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Map<TFunction>(ScalarLane<T> x)
        where TFunction : IScalarFunction
        => Unsafe.BitCast<T, ScalarLane<T>>(TFunction.Invoke(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> Map<TFunction>(ScalarLane<T> y, ScalarLane<T> x)
        where TFunction : IScalarFunction2
        => Unsafe.BitCast<T, ScalarLane<T>>(TFunction.Invoke(y.Value, x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane<T> InDoublePrecision<TFunction>(ScalarLane<T> x, ScalarLane<T> y)
        where TFunction : ILaneFunction2
        => Unsafe.BitCast<T, ScalarLane<T>>(T.CreateTruncating(TFunction.Invoke(new ScalarLane<double>(double.CreateTruncating(x.Value)), new ScalarLane<double>(double.CreateTruncating(y.Value))).Value));

    // The engine's horizontal steps (IEngineLane), not part of the public surface.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T IEngineLane<ScalarLane<T>, T>.Sum(ScalarLane<T> lanes) => lanes.Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double IEngineLane<ScalarLane<T>, T>.SumAsDouble(ScalarLane<T> lanes) => double.CreateTruncating(lanes.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool IEngineLane<ScalarLane<T>, T>.AnyLess(ScalarLane<T> lanes, T threshold) => lanes.Value < threshold;
}
