using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KeOpsGen.Cpu;

/// <summary>
/// One SIMD width seen through static members, so the engine's loops are written once and the
/// JIT specializes them per width (no wrapper structs: <typeparamref name="TVec"/> is the raw
/// vector type).
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

internal readonly unsafe struct Lanes512<T> : ILanes<Vector512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;
    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Splat(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Min(Vector512<T> a, Vector512<T> b) => Vector512.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Max(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(Vector512<T> v, int lane) => v.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> KeepFirst(int valid, Vector512<T> value, Vector512<T> fallback)
        => Vector512.ConditionalSelect(LaneMask.First512<T>(valid), value, fallback);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> v) => Vector512.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumAsDouble(Vector512<T> v)
    {
        if (typeof(T) == typeof(double))
        {
            return Vector512.Sum(v.As<T, double>());
        }

        var (lo, hi) = Vector512.Widen(v.As<T, float>());
        return Vector512.Sum(lo + hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LessOf(Vector512<T> a, Vector512<T> b) => Vector512.ConditionalSelect(Vector512.LessThan(a, b), a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> GreaterOf(Vector512<T> a, Vector512<T> b) => Vector512.ConditionalSelect(Vector512.GreaterThan(a, b), a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyLess(Vector512<T> v, T threshold) => Vector512.LessThanAny(v, Vector512.Create(threshold));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        => typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
            : Vector512.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> v)
    {
        if (typeof(T) == typeof(float))
        {
            return KMath.Exp(v.As<T, float>()).As<float, T>();
        }

        return KMath.Exp(v.As<T, double>()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Evaluate<TKernel>(T* parameters, T* outer, T* inner, nint stride, ref Vector512<T> result)
        where TKernel : ICpuKernel<T>
        => TKernel.Evaluate(parameters, outer, inner, stride, ref result);
}

internal readonly unsafe struct Lanes256<T> : ILanes<Vector256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;
    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Splat(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Min(Vector256<T> a, Vector256<T> b) => Vector256.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Max(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(Vector256<T> v, int lane) => v.GetElement(lane);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> KeepFirst(int valid, Vector256<T> value, Vector256<T> fallback)
        => Vector256.ConditionalSelect(LaneMask.First256<T>(valid), value, fallback);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> v) => Vector256.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumAsDouble(Vector256<T> v)
    {
        if (typeof(T) == typeof(double))
        {
            return Vector256.Sum(v.As<T, double>());
        }

        var (lo, hi) = Vector256.Widen(v.As<T, float>());
        return Vector256.Sum(lo + hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LessOf(Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(Vector256.LessThan(a, b), a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> GreaterOf(Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(Vector256.GreaterThan(a, b), a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyLess(Vector256<T> v, T threshold) => Vector256.LessThanAny(v, Vector256.Create(threshold));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        => typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>()
            : Vector256.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> v)
    {
        if (typeof(T) == typeof(float))
        {
            return KMath.Exp(v.As<T, float>()).As<float, T>();
        }

        return KMath.Exp(v.As<T, double>()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Evaluate<TKernel>(T* parameters, T* outer, T* inner, nint stride, ref Vector256<T> result)
        where TKernel : ICpuKernel<T>
        => TKernel.Evaluate(parameters, outer, inner, stride, ref result);
}

/// <summary>One lane: the portable path, and the reference the SIMD paths are tested against.</summary>
internal readonly unsafe struct Lanes1<T> : ILanes<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;
    public static T Zero => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Splat(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T a, T b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Min(T a, T b) => T.Min(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max(T a, T b) => T.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Lane(T v, int lane) => v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T KeepFirst(int valid, T value, T fallback) => valid > 0 ? value : fallback;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(T v) => v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumAsDouble(T v) => double.CreateTruncating(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LessOf(T a, T b) => a < b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GreaterOf(T a, T b) => a > b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyLess(T v, T threshold) => v < threshold;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T a, T b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T a, T b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(T* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Fma(T a, T b, T c) => T.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp(T v) => T.Exp(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Evaluate<TKernel>(T* parameters, T* outer, T* inner, nint stride, ref T result)
        where TKernel : ICpuKernel<T>
        => TKernel.Evaluate(parameters, outer, inner, stride, ref result);
}

internal static class LaneMask
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> First512<T>(int valid)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(valid)).As<int, T>();
        }

        return Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)valid)).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> First256<T>(int valid)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(valid)).As<int, T>();
        }

        return Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)valid)).As<long, T>();
    }
}
