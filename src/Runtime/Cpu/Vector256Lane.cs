using System.Runtime.Intrinsics;

namespace KeOpsGen.Cpu;

/// <summary>
/// <see cref="Vector256{T}.Count"/> values in one 256-bit register. A wrapper with the vector as
/// its only field: the JIT keeps it in a register like the vector itself, so the engine's loops
/// and the generated kernels both work on it directly.
/// </summary>
/// <remarks>
/// Results are wrapped with <c>Unsafe.BitCast</c>, not the constructor: the engine's loop inlines
/// four rows of a kernel (about 150 lane operations for the Gaussian), and with a constructor per
/// operation the JIT stopped inlining halfway (calls to <c>Fma</c> and <c>Constant</c> were
/// left in the loop, 2.7× the code). Constants are cast, not <c>T.CreateTruncating</c>, for the same
/// reason. Measured with DOTNET_JitDisasm on the benchmark's Gaussian: everything inlined, the
/// loop 237 instructions against 216 for raw vectors (some constants become embedded broadcasts).
/// The build writes <c>Vector512Lane</c> from this struct's source file by replacing the width's
/// number (the <c>KeOpsGenVector512Lane</c> target of KeOpsGen.Runtime.csproj, whose header line
/// names the source), so an intrinsic particular to one width is named only through <see cref="Scalef"/>.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public readonly struct Vector256Lane<T> : ILane<Vector256Lane<T>, T>, IEngineLane<Vector256Lane<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The values.</summary>
    public readonly Vector256<T> Value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    public Vector256Lane(Vector256<T> value) => Value = value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    public static implicit operator Vector256Lane<T>(Vector256<T> value) => new(value);

    /// <summary>The wrapped vector.</summary>
    public static implicit operator Vector256<T>(Vector256Lane<T> lanes) => lanes.Value;

    /// <inheritdoc/>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.Count;
    }

    /// <inheritdoc/>
    public static bool IsDouble
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(double);
    }

    /// <inheritdoc/>
    public static Vector256Lane<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256<T>.Zero);
    }

    /// <inheritdoc/>
    public static Vector256Lane<T> One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256<T>.One);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Constant(double value)
        // A cast, not T.CreateTruncating: its generic-math call chain would spend the JIT's inlining
        // allowance of the engine loop (locals, see Exp) and the loop would no longer be inlined.
        => typeof(T) == typeof(float) ? Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Create((float)value).As<float, T>()) : Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Create(value).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Create(T value) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Load(in T source) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.LoadUnsafe(in source));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Load(in T source, nint offset) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.LoadUnsafe(in source, (nuint)offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Broadcast(in T source, nint offset) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Create(Unsafe.Add(ref Unsafe.AsRef(in source), offset)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GetElement(Vector256Lane<T> lanes, int index) => lanes.Value.GetElement(index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> operator +(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(a.Value + b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> operator -(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(a.Value - b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> operator *(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(a.Value * b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> operator /(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(a.Value / b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> operator -(Vector256Lane<T> a) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(-a.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> operator &(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(a.Value & b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> operator |(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(a.Value | b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> operator ~(Vector256Lane<T> a) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(~a.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Fma(Vector256Lane<T> a, Vector256Lane<T> b, Vector256Lane<T> c)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.FusedMultiplyAdd(a.Value.As<T, float>(), b.Value.As<T, float>(), c.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.FusedMultiplyAdd(a.Value.As<T, double>(), b.Value.As<T, double>(), c.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Min(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Min(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Max(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Max(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> MinNative(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.MinNative(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> MaxNative(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.MaxNative(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Sqrt(Vector256Lane<T> x) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Sqrt(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Abs(Vector256Lane<T> x) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Abs(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Floor(Vector256Lane<T> x)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Floor(x.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Floor(x.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Truncate(Vector256Lane<T> x)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Truncate(x.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Truncate(x.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> CopySign(Vector256Lane<T> value, Vector256Lane<T> sign) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.CopySign(value.Value, sign.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Log(Vector256Lane<T> x)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Log(x.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Log(x.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Sin(Vector256Lane<T> x)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Sin(x.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Sin(x.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Cos(Vector256Lane<T> x)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Cos(x.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Cos(x.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> ScaleB(Vector256Lane<T> p, Vector256Lane<T> n)
    {
        // AVX-512's scalef does it in one instruction (the whole Exp measured 1.2x faster than with
        // the integer path). Without it, 2^n is built in two halves so that subnormal results round
        // once, correctly; adding 1.5 * 2^23 (2^52) puts the integer n in the low mantissa bits.
        if (typeof(T) == typeof(float))
        {
            Vector256<float> pf = p.Value.As<T, float>(), nf = n.Value.As<T, float>();
            if (Scalef.IsSupported256)
            {
                return Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Scalef.Scale(pf, nf).As<float, T>());
            }

            Vector256<int> ni = (nf + Vector256.Create(12582912f)).AsInt32() - Vector256.Create(0x4B400000);
            Vector256<int> n1 = Vector256.ShiftRightArithmetic(ni, 1);
            Vector256<float> s1 = Vector256.ShiftLeft(n1 + Vector256.Create(127), 23).AsSingle();
            Vector256<float> s2 = Vector256.ShiftLeft(ni - n1 + Vector256.Create(127), 23).AsSingle();
            return Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>((pf * s1 * s2).As<float, T>());
        }

        Vector256<double> pd = p.Value.As<T, double>(), nd = n.Value.As<T, double>();
        if (Scalef.IsSupported256)
        {
            return Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Scalef.Scale(pd, nd).As<double, T>());
        }

        Vector256<long> nl = (nd + Vector256.Create(6755399441055744.0)).AsInt64() - Vector256.Create(0x4338000000000000);
        // Biased to be non-negative so a logical shift floors it: AVX2 has no 64-bit arithmetic shift.
        Vector256<long> h1 = Vector256.ShiftRightLogical(nl + Vector256.Create(2048L), 1) - Vector256.Create(1024L);
        Vector256<double> t1 = Vector256.ShiftLeft(h1 + Vector256.Create(1023L), 52).AsDouble();
        Vector256<double> t2 = Vector256.ShiftLeft(nl - h1 + Vector256.Create(1023L), 52).AsDouble();
        return Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>((pd * t1 * t2).As<double, T>());
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The same operations in the same order as the generic polynomial <see cref="KMath"/> uses for
    /// <see cref="ScalarLane{T}"/> (so every width gives the same bits), but written with the
    /// Vector256 intrinsics rather than with the lane operators: each lane operation the JIT inlines
    /// takes temporaries of the method it lands in, and the engine's multi-row loops inline a
    /// kernel two or four times, so an Exp built from about 40 lane operations took the loop past the JIT's
    /// cap on locals (DOTNET_JitMaxLocalsToTrack, 1024) and the rest of the formula was left as calls
    /// (the Square(p-a)*Exp(x+y) seed ran 7x slower). Intrinsics take none.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Exp(Vector256Lane<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            Vector256<float> xf = x.Value.As<T, float>();
            Vector256<float> xc = Vector256.MinNative(Vector256.Create(KMath.ExpFHi), Vector256.MaxNative(Vector256.Create(KMath.ExpFLo), xf));
            Vector256<float> n = Vector256.FusedMultiplyAdd(xc, Vector256.Create(KMath.Log2eF), Vector256.Create(KMath.RoundMagicF)) - Vector256.Create(KMath.RoundMagicF);
            Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-KMath.Ln2HiF), xc);
            r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-KMath.Ln2LoF), r);
            Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(KMath.ExpF6), r, Vector256.Create(KMath.ExpF5));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(KMath.ExpF4));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(KMath.ExpF3));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(KMath.ExpF2));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
            p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
            return ScaleB(Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(p.As<float, T>()), Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(n.As<float, T>()));
        }

        Vector256<double> xd = x.Value.As<T, double>();
        Vector256<double> xcd = Vector256.MinNative(Vector256.Create(KMath.ExpDHi), Vector256.MaxNative(Vector256.Create(KMath.ExpDLo), xd));
        Vector256<double> nd = Vector256.FusedMultiplyAdd(xcd, Vector256.Create(KMath.Log2eD), Vector256.Create(KMath.RoundMagicD)) - Vector256.Create(KMath.RoundMagicD);
        Vector256<double> rd = Vector256.FusedMultiplyAdd(nd, Vector256.Create(-KMath.Ln2HiD), xcd);
        rd = Vector256.FusedMultiplyAdd(nd, Vector256.Create(-KMath.Ln2LoD), rd);
        Vector256<double> pd = Vector256.FusedMultiplyAdd(Vector256.Create(KMath.ExpD11), rd, Vector256.Create(KMath.ExpD10));
        pd = Vector256.FusedMultiplyAdd(pd, rd, Vector256.Create(KMath.ExpD9));
        pd = Vector256.FusedMultiplyAdd(pd, rd, Vector256.Create(KMath.ExpD8));
        pd = Vector256.FusedMultiplyAdd(pd, rd, Vector256.Create(KMath.ExpD7));
        pd = Vector256.FusedMultiplyAdd(pd, rd, Vector256.Create(KMath.ExpD6));
        pd = Vector256.FusedMultiplyAdd(pd, rd, Vector256.Create(KMath.ExpD5));
        pd = Vector256.FusedMultiplyAdd(pd, rd, Vector256.Create(KMath.ExpD4));
        pd = Vector256.FusedMultiplyAdd(pd, rd, Vector256.Create(KMath.ExpD3));
        pd = Vector256.FusedMultiplyAdd(pd, rd, Vector256.Create(KMath.ExpD2));
        pd = Vector256.FusedMultiplyAdd(pd, rd, Vector256<double>.One);
        pd = Vector256.FusedMultiplyAdd(pd, rd, Vector256<double>.One);
        return ScaleB(Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(pd.As<double, T>()), Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(nd.As<double, T>()));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> IsEqual(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Equals(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> IsLess(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.LessThan(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> IsLessOrEqual(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.LessThanOrEqual(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> IsGreater(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.GreaterThan(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> IsGreaterOrEqual(Vector256Lane<T> a, Vector256Lane<T> b) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.GreaterThanOrEqual(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> IsNegative(Vector256Lane<T> x) => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.IsNegative(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> Select(Vector256Lane<T> mask, Vector256Lane<T> ifTrue, Vector256Lane<T> ifFalse)
        => Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.ConditionalSelect(mask.Value, ifTrue.Value, ifFalse.Value));

    /// <inheritdoc/>
    public static Vector256Lane<T> Map<TFunction>(Vector256Lane<T> x)
        where TFunction : IScalarFunction
    {
        Vector256<T> r = default;
        for (int i = 0; i < Vector256<T>.Count; i++)
        {
            r = r.WithElement(i, ScalarLane<T>.Map<TFunction>(new ScalarLane<T>(x.Value.GetElement(i))).Value);
        }

        return Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(r);
    }

    /// <inheritdoc/>
    public static Vector256Lane<T> Map<TFunction>(Vector256Lane<T> y, Vector256Lane<T> x)
        where TFunction : IScalarFunction2
    {
        Vector256<T> r = default;
        for (int i = 0; i < Vector256<T>.Count; i++)
        {
            r = r.WithElement(i, ScalarLane<T>.Map<TFunction>(new ScalarLane<T>(y.Value.GetElement(i)), new ScalarLane<T>(x.Value.GetElement(i))).Value);
        }

        return Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(r);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Lane<T> InDoublePrecision<TFunction>(Vector256Lane<T> x, Vector256Lane<T> y)
        where TFunction : ILaneFunction2
    {
        if (typeof(T) == typeof(double))
        {
            return Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(TFunction.Invoke(new Vector256Lane<double>(x.Value.As<T, double>()), new Vector256Lane<double>(y.Value.As<T, double>())).Value.As<double, T>());
        }

        (Vector256<double> xl, Vector256<double> xu) = Vector256.Widen(x.Value.As<T, float>());
        (Vector256<double> yl, Vector256<double> yu) = Vector256.Widen(y.Value.As<T, float>());
        Vector256<double> lower = TFunction.Invoke(new Vector256Lane<double>(xl), new Vector256Lane<double>(yl)).Value;
        Vector256<double> upper = TFunction.Invoke(new Vector256Lane<double>(xu), new Vector256Lane<double>(yu)).Value;
        return Unsafe.BitCast<Vector256<T>, Vector256Lane<T>>(Vector256.Narrow(lower, upper).As<float, T>());
    }

    // The engine's horizontal steps (IEngineLane), not part of the public surface.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T IEngineLane<Vector256Lane<T>, T>.Sum(Vector256Lane<T> lanes) => Vector256.Sum(lanes.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double IEngineLane<Vector256Lane<T>, T>.SumAsDouble(Vector256Lane<T> lanes)
    {
        if (typeof(T) == typeof(double))
        {
            return Vector256.Sum(lanes.Value.As<T, double>());
        }

        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(lanes.Value.As<T, float>());
        return Vector256.Sum(lower + upper);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool IEngineLane<Vector256Lane<T>, T>.AnyLess(Vector256Lane<T> lanes, T threshold) => Vector256.LessThanAny(lanes.Value, Vector256.Create(threshold));
}
