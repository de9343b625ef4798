using System;
using System.Linq;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using KeOpsGen.Cpu;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Runtime;

/// <summary>
/// The lane primitives <see cref="KMath"/> and the generated kernels are built on, at every width,
/// against plain scalar arithmetic in double (the functions themselves are checked in
/// <see cref="KMathTests"/>).
/// </summary>
public sealed class LaneTests
{
    [Fact]
    public void FirstLaneMasksSetExactlyTheFirstValidElements()
    {
        // Counts below 0 and above the width included: the engine's tails pass 0 < valid < Count,
        // the mask clamps the rest.
        CheckFirstMask<ScalarLane<float>, float>();
        CheckFirstMask<ScalarLane<double>, double>();
        CheckFirstMask<Vector256Lane<float>, float>();
        CheckFirstMask<Vector256Lane<double>, double>();
        CheckFirstMask<Vector512Lane<float>, float>();
        CheckFirstMask<Vector512Lane<double>, double>();
    }

    [Fact]
    public void KeepFirstTakesTheFirstValidValuesAndTheFallbackElsewhere()
    {
        Vector256<float> value = Vector256.Create(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f);
        Vector256<float> fallback = Vector256.Create(-1f);
        for (int valid = 0; valid <= 8; valid++)
        {
            Vector256<float> kept = Lanes.KeepFirst<Vector256Lane<float>>(valid, value, fallback);
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(i < valid ? i + 1f : -1f, kept.GetElement(i));
            }
        }

        Vector512<double> value512 = Vector512.Create(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0);
        for (int valid = 0; valid <= 8; valid++)
        {
            Vector512<double> kept = Lanes.KeepFirst<Vector512Lane<double>>(valid, value512, Vector512<double>.Zero);
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(i < valid ? i + 1.0 : 0.0, kept.GetElement(i));
            }
        }
    }

    private static void CheckFirstMask<TVec, T>()
        where TVec : unmanaged, ILane<TVec>
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        int count = Unsafe.SizeOf<TVec>() / size;
        for (int valid = -2; valid <= count + 2; valid++)
        {
            TVec mask = LaneMask.First<TVec>(valid);
            ReadOnlySpan<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<TVec>(in mask));
            for (int b = 0; b < bytes.Length; b++)
            {
                bool set = b / size < valid;
                Assert.True(bytes[b] == (set ? 0xFF : 0x00), $"{typeof(TVec).Name} of {typeof(T).Name}, valid = {valid}: byte {b} is {bytes[b]:X2}");
            }
        }
    }

    [Fact]
    public void Vector512LaneHasTheMembersOfVector256LaneWithTheWidthReplaced()
    {
        // Vector512Lane is written by the build from Vector256Lane.cs (256 -> 512): every member,
        // public or the engine's explicit ones, must have the same name and shape.
        string[] want = Members(typeof(Vector256Lane<>)).Select(m => m.Replace("256", "512")).ToArray();
        string[] got = Members(typeof(Vector512Lane<>));
        Assert.True(want.Length > 50, $"only {want.Length} members found on Vector256Lane");
        Assert.Equal(want, got);
        // The widths really differ: the same shapes over Vector512<T>, twice the count.
        Assert.Equal(2 * Vector256Lane<float>.Count, Vector512Lane<float>.Count);
        Assert.Equal(typeof(Vector512<double>), typeof(Vector512Lane<double>).GetField(nameof(Vector512Lane<double>.Value))!.FieldType);
    }

    private static string[] Members(Type lane)
        => lane.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(m => $"{m.MemberType} {m}")
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public void Vector512LaneComputesAsAFloat64Reference()
    {
        // Vector512 runs in software where AVX-512 is missing, so this checks the generated width everywhere.
        var rng = new SeededRandom(nameof(Vector512LaneComputesAsAFloat64Reference));
        float[] a = rng.Floats(16, -4, 4), b = rng.Floats(16, 0.5, 3), c = rng.Floats(16, -2, 2);
        a[3] = b[3]; // a tie: LessOf and GreaterOf give b
        var x = Vector512Lane<float>.Load(in a[0]);
        var y = Vector512Lane<float>.Load(in b[0]);
        var z = Vector512Lane<float>.Load(in c[0]);
        Vector512Lane<float> fma = Vector512Lane<float>.Fma(x, y, z), quotient = x / y, sqrt = Vector512Lane<float>.Sqrt(y);
        Vector512Lane<float> exp = Vector512Lane<float>.Exp(x), floor = Vector512Lane<float>.Floor(x * y);
        Vector512Lane<float> less = Lanes.LessOf(x, y), greater = Lanes.GreaterOf(x, y), kept = Lanes.KeepFirst(5, x, z);
        double sum = 0;
        for (int i = 0; i < 16; i++)
        {
            double ai = a[i], bi = b[i], ci = c[i];
            Near(fma, i, (ai * bi) + ci, 1e-7, "Fma");
            Near(quotient, i, ai / bi, 1e-7, "/");
            Near(sqrt, i, Math.Sqrt(bi), 1e-7, "Sqrt");
            Near(exp, i, Math.Exp(ai), 4e-7, "Exp");
            Near(floor, i, Math.Floor((double)(a[i] * b[i])), 0, "Floor");
            Near(less, i, ai < bi ? ai : bi, 0, "LessOf");
            Near(greater, i, ai > bi ? ai : bi, 0, "GreaterOf");
            Near(kept, i, i < 5 ? ai : ci, 0, "KeepFirst");
            sum += ai;
        }

        Assert.True(Math.Abs(Sum(x) - sum) <= 1e-5 * a.Sum(Math.Abs), $"Sum: got {Sum(x)}, want {sum}");
        Assert.Equal(sum, SumAsDouble(x), 12);
        Assert.Equal(a.Any(v => v < 0.5f), AnyLess(x, 0.5f));
        Assert.False(AnyLess(y, 0.5f));
    }

    private static void Near(Vector512Lane<float> lanes, int i, double want, double relative, string what)
    {
        double got = Vector512Lane<float>.GetElement(lanes, i);
        Assert.True(Math.Abs(got - want) <= relative * Math.Abs(want), $"{what} lane {i}: got {got:R}, want {want:R}");
    }

    private static float Sum<TLane>(TLane lanes)
        where TLane : unmanaged, IEngineLane<TLane, float>
        => TLane.Sum(lanes);

    private static double SumAsDouble<TLane>(TLane lanes)
        where TLane : unmanaged, IEngineLane<TLane, float>
        => TLane.SumAsDouble(lanes);

    private static bool AnyLess<TLane>(TLane lanes, float threshold)
        where TLane : unmanaged, IEngineLane<TLane, float>
        => TLane.AnyLess(lanes, threshold);

    [Fact]
    public void LaneTypesHaveTheLayoutOfWhatTheyWrap()
    {
        // The generated kernels' results are written through refs into the engine's lane buffers,
        // and the lanes are handed to code that expects the wrapped vector: the sizes must agree.
        Assert.Equal(sizeof(float), Unsafe.SizeOf<ScalarLane<float>>());
        Assert.Equal(sizeof(double), Unsafe.SizeOf<ScalarLane<double>>());
        Assert.Equal(Unsafe.SizeOf<Vector256<float>>(), Unsafe.SizeOf<Vector256Lane<float>>());
        Assert.Equal(Unsafe.SizeOf<Vector512<double>>(), Unsafe.SizeOf<Vector512Lane<double>>());
        Assert.Equal(1, ScalarLane<float>.Count);
        Assert.Equal(8, Vector256Lane<float>.Count);
        Assert.Equal(8, Vector512Lane<double>.Count);
    }

    [Fact]
    public void ScaleBRoundsOnceIntoTheSubnormalsAtEveryWidth()
    {
        // Exact in double (the float range), then one rounding to float: the correctly rounded reference.
        var rng = new SeededRandom(nameof(ScaleBRoundsOnceIntoTheSubnormalsAtEveryWidth));
        for (int n = -150; n <= 128; n++)
        {
            double p = rng.Double(1, 2);
            float want = (float)Math.ScaleB((double)(float)p, n);
            AssertAll<float>(l => l.ScaleB((float)p, n), want, $"ScaleB({(float)p}, {n}) {rng}");
        }

        // Double: Math.ScaleB is itself correctly rounded.
        for (int n = -1076; n <= 1024; n += 3)
        {
            double p = rng.Double(1, 2);
            AssertAll<double>(l => l.ScaleB(p, n), Math.ScaleB(p, n), $"ScaleB({p}, {n}) {rng}");
        }
    }

    [Fact]
    public void ExpGivesTheSameBitsAtEveryWidth()
    {
        // The vector lanes write Exp with their own intrinsics (for the JIT's sake), repeating the
        // generic algorithm the scalar lane runs: any difference in operations or order shows up as a
        // differing bit somewhere over these ranges (the subnormal ends included). Accuracy itself is
        // KMathTests' business.
        var rng = new SeededRandom(nameof(ExpGivesTheSameBitsAtEveryWidth));
        (double Lo, double Hi)[] floatRanges = [(-110, -85), (-20, 20), (80, 95)];
        (double Lo, double Hi)[] doubleRanges = [(-750, -700), (-20, 20), (700, 712)];
        float[] floats = new float[16 * 64];
        double[] doubles = new double[8 * 64];
        foreach (var (lo, hi) in floatRanges)
        {
            for (int i = 0; i < floats.Length; i++)
            {
                floats[i] = (float)rng.Double(lo, hi);
            }

            floats[0] = float.NaN;
            floats[1] = float.NegativeInfinity;
            floats[2] = -0f;
            SameBitsAtEveryWidth(floats, $"float [{lo}, {hi}] {rng}");
        }

        foreach (var (lo, hi) in doubleRanges)
        {
            for (int i = 0; i < doubles.Length; i++)
            {
                doubles[i] = rng.Double(lo, hi);
            }

            doubles[0] = double.PositiveInfinity;
            doubles[1] = 1e-300;
            SameBitsAtEveryWidth(doubles, $"double [{lo}, {hi}] {rng}");
        }
    }

    private static void SameBitsAtEveryWidth<T>(T[] x, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < x.Length; start += Vector512Lane<T>.Count)
        {
            Vector256Lane<T> e256 = Vector256Lane<T>.Exp(Vector256Lane<T>.Load(in x[start]));
            Vector512Lane<T> e512 = Vector512Lane<T>.Exp(Vector512Lane<T>.Load(in x[start]));
            for (int i = 0; i < Vector512Lane<T>.Count; i++)
            {
                T want = ScalarLane<T>.Exp(new ScalarLane<T>(x[start + i])).Value;
                T got = i < Vector256Lane<T>.Count ? Vector256Lane<T>.GetElement(e256, i) : want;
                Assert.True(Same(got, want), $"Exp({x[start + i]}) {what}: Vector256 gave {got}, scalar {want}");
                got = Vector512Lane<T>.GetElement(e512, i);
                Assert.True(Same(got, want), $"Exp({x[start + i]}) {what}: Vector512 gave {got}, scalar {want}");
            }
        }
    }

    // Equal bits, or NaN both (a NaN's payload is not part of the contract).
    private static bool Same<T>(T got, T want)
        where T : unmanaged, IFloatingPointIeee754<T>
        => (T.IsNaN(got) && T.IsNaN(want))
            || (typeof(T) == typeof(float)
                ? BitConverter.SingleToInt32Bits((float)(object)got) == BitConverter.SingleToInt32Bits((float)(object)want)
                : BitConverter.DoubleToInt64Bits((double)(object)got) == BitConverter.DoubleToInt64Bits((double)(object)want));

    [Fact]
    public void MasksSelectAndBitwiseOperatorsAgreeAtEveryWidth()
    {
        double[] values = [-2.0, -0.0, 0.0, 1.5, double.NaN, double.PositiveInfinity];
        foreach (double a in values)
        {
            foreach (double b in values)
            {
                AssertAll<double>(l => l.Select(l.Less(a, b), 1, 2), a < b ? 1 : 2, $"{a} < {b}");
                AssertAll<double>(l => l.Select(l.LessOrEqual(a, b), 1, 2), a <= b ? 1 : 2, $"{a} <= {b}");
                AssertAll<double>(l => l.Select(l.Equal(a, b) | l.Less(b, a), 1, 2), a == b || b < a ? 1 : 2, $"{a} == {b} or {b} < {a}");
                AssertAll<float>(l => l.Select(l.Less((float)a, (float)b) & ~l.Equal((float)a, 0), 1, 2), a < b && a != 0 ? 1 : 2, $"{a} < {b} and {a} != 0");
            }

            AssertAll<double>(l => l.Select(l.Negative(a), 1, 2), double.IsNegative(a) ? 1 : 2, $"IsNegative({a})");
        }
    }

    [Fact]
    public void LoadAndBroadcastReadFromTheOffsetTheyAreGiven()
    {
        var data = new double[32];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = i * 1.5;
        }

        Assert.Equal(data[7], ScalarLane<double>.Load(in data[0], 7).Value);
        Assert.Equal(Vector256.Create(data, 5), Vector256Lane<double>.Load(in data[0], 5).Value);
        Assert.Equal(Vector512.Create(data, 9), Vector512Lane<double>.Load(in data[0], 9).Value);
        Assert.Equal(Vector512.Create(data, 0), Vector512Lane<double>.Load(in data[0]).Value);
        Assert.Equal(Vector512.Create(data[11]), Vector512Lane<double>.Broadcast(in data[0], 11).Value);
        Assert.Equal(Vector256.Create(data[3]), Vector256Lane<double>.Broadcast(in data[0], 3).Value);
        Assert.Equal(data[3], ScalarLane<double>.Broadcast(in data[0], 3).Value);
    }

    private static void AssertAll<T>(Func<Ops<T>, Value<T>> f, double want, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check<ScalarLane<T>, T>(f, want, what);
        Check<Vector256Lane<T>, T>(f, want, what);
        Check<Vector512Lane<T>, T>(f, want, what);
    }

    private static void Check<TLane, T>(Func<Ops<T>, Value<T>> f, double want, string what)
        where TLane : struct, ILane<TLane, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ops = new LaneOps<TLane, T>();
        TLane result = ((Value<TLane, T>)f(ops)).Lanes;
        for (int i = 0; i < TLane.Count; i++)
        {
            double got = double.CreateTruncating(TLane.GetElement(result, i));
            Assert.True(got.Equals(want), $"{what} [{typeof(TLane).Name} lane {i}]: got {got:R}, want {want:R}");
        }
    }

    // A small untyped front so one lambda checks every width; each value holds the lanes it wraps.
    private abstract class Value<T>
    {
        public static implicit operator Value<T>(double v) => new Constant<T>(v);

        public static Value<T> operator |(Value<T> a, Value<T> b) => a.Ops.Or(a, b);

        public static Value<T> operator &(Value<T> a, Value<T> b) => a.Ops.And(a, b);

        public static Value<T> operator ~(Value<T> a) => a.Ops.Not(a);

        public virtual Ops<T> Ops => throw new InvalidOperationException("a constant has no lane type");
    }

    private sealed class Constant<T>(double value) : Value<T>
    {
        public double Number { get; } = value;
    }

    private sealed class Value<TLane, T>(TLane lanes, Ops<T> ops) : Value<T>
        where TLane : struct, ILane<TLane, T>
        where T : unmanaged
    {
        public TLane Lanes { get; } = lanes;

        public override Ops<T> Ops { get; } = ops;
    }

    private abstract class Ops<T>
    {
        public abstract Value<T> ScaleB(double p, int n);

        public abstract Value<T> Less(double a, double b);

        public abstract Value<T> LessOrEqual(double a, double b);

        public abstract Value<T> Equal(double a, double b);

        public abstract Value<T> Negative(double a);

        public abstract Value<T> Select(Value<T> mask, Value<T> ifTrue, Value<T> ifFalse);

        public abstract Value<T> Or(Value<T> a, Value<T> b);

        public abstract Value<T> And(Value<T> a, Value<T> b);

        public abstract Value<T> Not(Value<T> a);
    }

    private sealed class LaneOps<TLane, T> : Ops<T>
        where TLane : struct, ILane<TLane, T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override Value<T> ScaleB(double p, int n) => Wrap(TLane.ScaleB(TLane.Constant(p), TLane.Constant(n)));

        public override Value<T> Less(double a, double b) => Wrap(TLane.IsLess(TLane.Constant(a), TLane.Constant(b)));

        public override Value<T> LessOrEqual(double a, double b) => Wrap(TLane.IsLessOrEqual(TLane.Constant(a), TLane.Constant(b)));

        public override Value<T> Equal(double a, double b) => Wrap(TLane.IsEqual(TLane.Constant(a), TLane.Constant(b)));

        public override Value<T> Negative(double a) => Wrap(TLane.IsNegative(TLane.Constant(a)));

        public override Value<T> Select(Value<T> mask, Value<T> ifTrue, Value<T> ifFalse) => Wrap(TLane.Select(Of(mask), Of(ifTrue), Of(ifFalse)));

        public override Value<T> Or(Value<T> a, Value<T> b) => Wrap(Of(a) | Of(b));

        public override Value<T> And(Value<T> a, Value<T> b) => Wrap(Of(a) & Of(b));

        public override Value<T> Not(Value<T> a) => Wrap(~Of(a));

        private static TLane Of(Value<T> v) => v is Constant<T> c ? TLane.Constant(c.Number) : ((Value<TLane, T>)v).Lanes;

        private Value<T> Wrap(TLane lanes) => new Value<TLane, T>(lanes, this);
    }
}
