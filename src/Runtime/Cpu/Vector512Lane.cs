using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace KeOpsGen.Cpu;

/// <summary>
/// <see cref="Vector512{T}.Count"/> values in one AVX-512 register. A wrapper with the vector as
/// its only field: the JIT keeps it in a register like the vector itself, and its layout is the
/// vector's, so the engine reinterprets its raw vectors with <see cref="Unsafe.As{TFrom, TTo}(ref TFrom)"/>.
/// </summary>
/// <remarks>
/// Results are wrapped with <c>Unsafe.BitCast</c>, not the constructor: the engine's loop inlines
/// four rows of a kernel (about 150 lane operations for the Gaussian), and with a constructor per
/// operation the JIT stopped inlining halfway (calls to <c>Fma</c> and <c>Constant</c> were
/// left in the loop, 2.7× the code). Constants are cast, not <c>T.CreateTruncating</c>, for the same
/// reason. Measured with DOTNET_JitDisasm on the benchmark's Gaussian: everything inlined, the
/// loop 237 instructions against 216 for raw vectors (some constants become embedded broadcasts).
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public readonly unsafe struct Vector512Lane<T> : ILane<Vector512Lane<T>, T>, ILanes<Vector512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The values.</summary>
    public readonly Vector512<T> Value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    public Vector512Lane(Vector512<T> value) => Value = value;


    /// <summary>Wraps <paramref name="value"/>.</summary>
    public static implicit operator Vector512Lane<T>(Vector512<T> value) => new(value);

    /// <summary>The wrapped vector.</summary>
    public static implicit operator Vector512<T>(Vector512Lane<T> lanes) => lanes.Value;

    /// <inheritdoc/>
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.Count;
    }

    /// <inheritdoc/>
    public static bool IsDouble
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(double);
    }

    /// <inheritdoc/>
    public static Vector512Lane<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512<T>.Zero);
    }

    /// <inheritdoc/>
    public static Vector512Lane<T> One
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512<T>.One);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Constant(double value)
        // A cast, not T.CreateTruncating: its generic-math call chain would spend the JIT's inlining
        // allowance of the engine loop (locals, see Exp) and the loop would no longer be inlined.
        => typeof(T) == typeof(float) ? Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Create((float)value).As<float, T>()) : Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Create(value).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Create(T value) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Load(in T source) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.LoadUnsafe(in source));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Load(in T source, nint offset) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.LoadUnsafe(in source, (nuint)offset));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Broadcast(in T source, nint offset) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Create(Unsafe.Add(ref Unsafe.AsRef(in source), offset)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GetElement(Vector512Lane<T> lanes, int index) => lanes.Value.GetElement(index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> operator +(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(a.Value + b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> operator -(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(a.Value - b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> operator *(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(a.Value * b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> operator /(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(a.Value / b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> operator -(Vector512Lane<T> a) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(-a.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> operator &(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(a.Value & b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> operator |(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(a.Value | b.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> operator ~(Vector512Lane<T> a) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(~a.Value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Fma(Vector512Lane<T> a, Vector512Lane<T> b, Vector512Lane<T> c)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.FusedMultiplyAdd(a.Value.As<T, float>(), b.Value.As<T, float>(), c.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.FusedMultiplyAdd(a.Value.As<T, double>(), b.Value.As<T, double>(), c.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Min(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Min(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Max(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Max(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> MinNative(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.MinNative(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> MaxNative(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.MaxNative(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Sqrt(Vector512Lane<T> x) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Sqrt(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Abs(Vector512Lane<T> x) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Abs(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Floor(Vector512Lane<T> x)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Floor(x.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Floor(x.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Truncate(Vector512Lane<T> x)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Truncate(x.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Truncate(x.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> CopySign(Vector512Lane<T> value, Vector512Lane<T> sign) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.CopySign(value.Value, sign.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Log(Vector512Lane<T> x)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Log(x.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Log(x.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Sin(Vector512Lane<T> x)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Sin(x.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Sin(x.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Cos(Vector512Lane<T> x)
        => typeof(T) == typeof(float)
            ? Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Cos(x.Value.As<T, float>()).As<float, T>())
            : Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Cos(x.Value.As<T, double>()).As<double, T>());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> ScaleB(Vector512Lane<T> p, Vector512Lane<T> n)
    {
        // AVX-512's scalef does it in one instruction (the whole Exp measured 1.2x faster than with
        // the integer path). Without it, 2^n is built in two halves so that subnormal results round
        // once, correctly; adding 1.5 * 2^23 (2^52) puts the integer n in the low mantissa bits.
        if (typeof(T) == typeof(float))
        {
            Vector512<float> pf = p.Value.As<T, float>(), nf = n.Value.As<T, float>();
            if (Avx512F.IsSupported)
            {
                return Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Avx512F.Scale(pf, nf).As<float, T>());
            }

            Vector512<int> ni = (nf + Vector512.Create(12582912f)).AsInt32() - Vector512.Create(0x4B400000);
            Vector512<int> n1 = Vector512.ShiftRightArithmetic(ni, 1);
            Vector512<float> s1 = Vector512.ShiftLeft(n1 + Vector512.Create(127), 23).AsSingle();
            Vector512<float> s2 = Vector512.ShiftLeft(ni - n1 + Vector512.Create(127), 23).AsSingle();
            return Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>((pf * s1 * s2).As<float, T>());
        }

        Vector512<double> pd = p.Value.As<T, double>(), nd = n.Value.As<T, double>();
        if (Avx512F.IsSupported)
        {
            return Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Avx512F.Scale(pd, nd).As<double, T>());
        }

        Vector512<long> nl = (nd + Vector512.Create(6755399441055744.0)).AsInt64() - Vector512.Create(0x4338000000000000);
        // Biased to be non-negative so a logical shift floors it: AVX2 has no 64-bit arithmetic shift.
        Vector512<long> h1 = Vector512.ShiftRightLogical(nl + Vector512.Create(2048L), 1) - Vector512.Create(1024L);
        Vector512<double> t1 = Vector512.ShiftLeft(h1 + Vector512.Create(1023L), 52).AsDouble();
        Vector512<double> t2 = Vector512.ShiftLeft(nl - h1 + Vector512.Create(1023L), 52).AsDouble();
        return Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>((pd * t1 * t2).As<double, T>());
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The same operations in the same order as the generic polynomial <see cref="KMath"/> uses for
    /// <see cref="ScalarLane{T}"/> (so every width gives the same bits), but written with the
    /// Vector512 intrinsics rather than with the lane operators: each lane operation the JIT inlines
    /// takes temporaries of the method it lands in, and the engine's multi-row loops inline a
    /// kernel two or four times, so an Exp built from about 40 lane operations took the loop past the JIT's
    /// cap on locals (DOTNET_JitMaxLocalsToTrack, 1024) and the rest of the formula was left as calls
    /// (the Square(p-a)*Exp(x+y) seed ran 7x slower). Intrinsics take none.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Exp(Vector512Lane<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            Vector512<float> xf = x.Value.As<T, float>();
            Vector512<float> xc = Vector512.MinNative(Vector512.Create(KMath.ExpFHi), Vector512.MaxNative(Vector512.Create(KMath.ExpFLo), xf));
            Vector512<float> n = Vector512.FusedMultiplyAdd(xc, Vector512.Create(KMath.Log2eF), Vector512.Create(KMath.RoundMagicF)) - Vector512.Create(KMath.RoundMagicF);
            Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-KMath.Ln2HiF), xc);
            r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-KMath.Ln2LoF), r);
            Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(KMath.ExpF6), r, Vector512.Create(KMath.ExpF5));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(KMath.ExpF4));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(KMath.ExpF3));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(KMath.ExpF2));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
            p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
            return ScaleB(Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(p.As<float, T>()), Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(n.As<float, T>()));
        }

        Vector512<double> xd = x.Value.As<T, double>();
        Vector512<double> xcd = Vector512.MinNative(Vector512.Create(KMath.ExpDHi), Vector512.MaxNative(Vector512.Create(KMath.ExpDLo), xd));
        Vector512<double> nd = Vector512.FusedMultiplyAdd(xcd, Vector512.Create(KMath.Log2eD), Vector512.Create(KMath.RoundMagicD)) - Vector512.Create(KMath.RoundMagicD);
        Vector512<double> rd = Vector512.FusedMultiplyAdd(nd, Vector512.Create(-KMath.Ln2HiD), xcd);
        rd = Vector512.FusedMultiplyAdd(nd, Vector512.Create(-KMath.Ln2LoD), rd);
        Vector512<double> pd = Vector512.FusedMultiplyAdd(Vector512.Create(KMath.ExpD11), rd, Vector512.Create(KMath.ExpD10));
        pd = Vector512.FusedMultiplyAdd(pd, rd, Vector512.Create(KMath.ExpD9));
        pd = Vector512.FusedMultiplyAdd(pd, rd, Vector512.Create(KMath.ExpD8));
        pd = Vector512.FusedMultiplyAdd(pd, rd, Vector512.Create(KMath.ExpD7));
        pd = Vector512.FusedMultiplyAdd(pd, rd, Vector512.Create(KMath.ExpD6));
        pd = Vector512.FusedMultiplyAdd(pd, rd, Vector512.Create(KMath.ExpD5));
        pd = Vector512.FusedMultiplyAdd(pd, rd, Vector512.Create(KMath.ExpD4));
        pd = Vector512.FusedMultiplyAdd(pd, rd, Vector512.Create(KMath.ExpD3));
        pd = Vector512.FusedMultiplyAdd(pd, rd, Vector512.Create(KMath.ExpD2));
        pd = Vector512.FusedMultiplyAdd(pd, rd, Vector512<double>.One);
        pd = Vector512.FusedMultiplyAdd(pd, rd, Vector512<double>.One);
        return ScaleB(Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(pd.As<double, T>()), Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(nd.As<double, T>()));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> IsEqual(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Equals(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> IsLess(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.LessThan(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> IsLessOrEqual(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.LessThanOrEqual(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> IsGreater(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.GreaterThan(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> IsGreaterOrEqual(Vector512Lane<T> a, Vector512Lane<T> b) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.GreaterThanOrEqual(a.Value, b.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> IsNegative(Vector512Lane<T> x) => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.IsNegative(x.Value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> Select(Vector512Lane<T> mask, Vector512Lane<T> ifTrue, Vector512Lane<T> ifFalse)
        => Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.ConditionalSelect(mask.Value, ifTrue.Value, ifFalse.Value));

    /// <inheritdoc/>
    public static Vector512Lane<T> Map<TFunction>(Vector512Lane<T> x)
        where TFunction : IScalarFunction
    {
        Vector512<T> r = default;
        for (int i = 0; i < Vector512<T>.Count; i++)
        {
            r = r.WithElement(i, ScalarLane<T>.Map<TFunction>(new ScalarLane<T>(x.Value.GetElement(i))).Value);
        }

        return Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(r);
    }

    /// <inheritdoc/>
    public static Vector512Lane<T> Map<TFunction>(Vector512Lane<T> y, Vector512Lane<T> x)
        where TFunction : IScalarFunction2
    {
        Vector512<T> r = default;
        for (int i = 0; i < Vector512<T>.Count; i++)
        {
            r = r.WithElement(i, ScalarLane<T>.Map<TFunction>(new ScalarLane<T>(y.Value.GetElement(i)), new ScalarLane<T>(x.Value.GetElement(i))).Value);
        }

        return Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(r);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lane<T> InDoublePrecision<TFunction>(Vector512Lane<T> x, Vector512Lane<T> y)
        where TFunction : ILaneFunction2
    {
        if (typeof(T) == typeof(double))
        {
            return Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(TFunction.Invoke(new Vector512Lane<double>(x.Value.As<T, double>()), new Vector512Lane<double>(y.Value.As<T, double>())).Value.As<double, T>());
        }

        (Vector512<double> xl, Vector512<double> xu) = Vector512.Widen(x.Value.As<T, float>());
        (Vector512<double> yl, Vector512<double> yu) = Vector512.Widen(y.Value.As<T, float>());
        Vector512<double> lower = TFunction.Invoke(new Vector512Lane<double>(xl), new Vector512Lane<double>(yl)).Value;
        Vector512<double> upper = TFunction.Invoke(new Vector512Lane<double>(xu), new Vector512Lane<double>(yu)).Value;
        return Unsafe.BitCast<Vector512<T>, Vector512Lane<T>>(Vector512.Narrow(lower, upper).As<float, T>());
    }

    // The engine's view (raw vectors): the same primitives, plus the reductions' horizontal steps.
    static Vector512<T> ILanes<Vector512<T>, T>.Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.Splat(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.Min(Vector512<T> a, Vector512<T> b) => Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.Max(Vector512<T> a, Vector512<T> b) => Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c) => Fma(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.Exp(Vector512<T> v) => Exp(new Vector512Lane<T>(v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T ILanes<Vector512<T>, T>.Lane(Vector512<T> v, int lane) => v.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.KeepFirst(int valid, Vector512<T> value, Vector512<T> fallback)
        => Vector512.ConditionalSelect(LaneMask.First<Vector512<T>, T>(valid), value, fallback);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static T ILanes<Vector512<T>, T>.Sum(Vector512<T> v) => Vector512.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double ILanes<Vector512<T>, T>.SumAsDouble(Vector512<T> v)
    {
        if (typeof(T) == typeof(double))
        {
            return Vector512.Sum(v.As<T, double>());
        }

        var (lo, hi) = Vector512.Widen(v.As<T, float>());
        return Vector512.Sum(lo + hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.LessOf(Vector512<T> a, Vector512<T> b) => Vector512.ConditionalSelect(Vector512.LessThan(a, b), a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> ILanes<Vector512<T>, T>.GreaterOf(Vector512<T> a, Vector512<T> b) => Vector512.ConditionalSelect(Vector512.GreaterThan(a, b), a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool ILanes<Vector512<T>, T>.AnyLess(Vector512<T> v, T threshold) => Vector512.LessThanAny(v, Vector512.Create(threshold));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void ILanes<Vector512<T>, T>.Evaluate<TKernel>(T* parameters, T* outer, T* inner, nint stride, ref Vector512<T> result)
        => TKernel.Evaluate(ref Unsafe.AsRef<T>(parameters), ref Unsafe.AsRef<T>(outer), ref Unsafe.AsRef<T>(inner), stride, ref Unsafe.As<Vector512<T>, Vector512Lane<T>>(ref result));
}
