using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;
using KeOpsGen.Cpu;
using Xunit;

namespace KeOpsGen.Tests.Runtime;

/// <summary>
/// Checks every <see cref="KMath"/> function, its float and double overloads and its one generic
/// overload at every lane width (scalar, Vector256, Vector512 of float and double), lane by lane,
/// against an independent float64 reference built from <see cref="Math"/> and KeOps's definitions;
/// likewise the lane primitives generated code calls directly (Exp, Log, Sin, Cos, Sqrt, Abs, Floor,
/// Min, Max: <c>TLane.Exp</c> in CPU kernels, <c>MathF.Exp</c>/<c>Math.Exp</c> in scalar code, as
/// for Asin, Acos, Atan and Atan2, whose lane overloads are KMath's).
/// </summary>
/// <remarks>
/// Tolerances are relative to the float64 reference, with u the unit roundoff (2^-24 for float,
/// 2^-53 for double; one ulp is between u and 2u):
/// <list type="bullet">
/// <item>Correctly rounded operations (Sqrt, Inv, Square, Fma): 1u.</item>
/// <item>Two roundings in a row (Rsqrt = 1 / sqrt): 2u.</item>
/// <item>Exp, our own code: 4u (2 ulp; measured 1.35u float, 2u double).</item>
/// <item>Other transcendental functions, from the BCL or libm (Log, Sin, Cos, Asin, ..., XLogX,
/// SinXDivX): float 3e-7 (5u), double 1e-15 (9u); measured at most 3.4u float (Log near 1)
/// and 5.2u double.</item>
/// <item>Pow(x, m) by repeated multiplication: each multiplication (and the final division for
/// negative m) adds at most u, so (|m| + 1)u.</item>
/// <item>Selections, comparisons, Abs, Floor, Round at d == 0: exact.</item>
/// </list>
/// Results that round to ±inf or 0 in the lane type must match the rounded reference exactly;
/// NaN must match NaN. Where a function is discontinuous (Round, Mod), the value handed to
/// round/floor is formed at lane precision in the reference too, since a last-place difference
/// there would move the result by a whole step.
/// Vector overloads take the AVX-512 path where the machine has it; running the suite with
/// DOTNET_EnableAVX512=0 (the .NET 10 name) exercises the portable path of Exp.
/// </remarks>
public sealed class KMathTests
{
    private const double U32 = 1.0 / (1 << 24);
    private const double U64 = 1.0 / (1L << 53);
    private const int RandomRows = 1024;

    private static readonly Tol Exact = new(0, 0);
    private static readonly Tol Rounded32 = new(U32, 0);
    private static readonly Tol Rounded64 = new(U64, 0);
    private static readonly Tol Libm32 = new(3e-7, 0);
    private static readonly Tol Libm64 = new(1e-15, 0);

    // Appended to the random rows of every case (all combinations, per argument) so that the
    // special-value behaviour of each lane type is checked against the reference too.
    private static readonly double[] Specials =
    [
        0.0, -0.0, 1.0, -1.0, 2.5, -0.5, double.PositiveInfinity, double.NegativeInfinity, double.NaN,
    ];

    private static readonly Dictionary<string, Case> Cases = BuildCases().ToDictionary(c => c.Name);

    public static TheoryData<string> CaseNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in Cases.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesFloat64ReferenceInEveryLaneType(string name)
    {
        Case c = Cases[name];
        int seed = StableSeed(name);
        var rng = new Random(seed);
        double[][] args = BuildArgs(c, rng);
        var failures = new StringBuilder();
        int failed = 0;
        foreach ((string lane, bool isFloat, Func<double[][], double[]> run) in Lanes(c))
        {
            double[][] laneArgs = isFloat ? args.Select(col => col.Select(v => (double)(float)v).ToArray()).ToArray() : args;
            double[] got = run(laneArgs);
            Tol tol = isFloat ? c.F32 : c.F64;
            for (int i = 0; i < got.Length; i++)
            {
                double[] row = laneArgs.Select(col => col[i]).ToArray();
                double want = c.Reference(row, isFloat);
                if (!Close(got[i], want, isFloat, tol) && ++failed <= 8)
                {
                    failures.AppendLine(CultureInfo.InvariantCulture, $"  [{lane}] row {i} args ({string.Join(", ", row.Select(R))}): got {R(got[i])}, want {R(want)} (tol rel {tol.Rel:E2}, abs {tol.Abs:E2})");
                }
            }
        }

        Assert.True(failed == 0, $"{name}: {failed} mismatches (seed {seed}):\n{failures}");
    }

    [Theory]
    [InlineData("Rsqrt", 0.0, 0.0)]
    [InlineData("XLogX", 0.0, 0.0)]
    [InlineData("SinXDivX", 0.0, 1.0)]
    [InlineData("Step", 0.0, 1.0)]
    [InlineData("Sign", 0.0, 0.0)]
    [InlineData("Sign", -3.0, -1.0)]
    [InlineData("Sign", double.NaN, 0.0)]
    [InlineData("Step", double.NaN, 1.0)]
    [InlineData("ReLU", -2.0, 0.0)]
    [InlineData("Exp", 1000.0, double.PositiveInfinity)]
    [InlineData("Exp", 100.0, double.PositiveInfinity, true)]
    [InlineData("Exp", -1000.0, 0.0)]
    [InlineData("Exp", -110.0, 0.0, true)]
    [InlineData("Exp", double.NegativeInfinity, 0.0)]
    [InlineData("Exp", double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData("Exp", 0.0, 1.0)]
    [InlineData("Exp", double.NaN, double.NaN)]
    [InlineData("Log", double.NaN, double.NaN)]
    [InlineData("Log", 0.0, double.NegativeInfinity)]
    [InlineData("Log", -1.0, double.NaN)]
    [InlineData("Sin", double.NaN, double.NaN)]
    [InlineData("Cos", double.NaN, double.NaN)]
    [InlineData("Round0", 2.5, 3.0)]
    [InlineData("Round0", -2.5, -3.0)]
    [InlineData("Round0", 0.5, 1.0)]
    [InlineData("Round0", 0.49999997, 0.0)]
    [InlineData("Round2", 1.125, 1.13)]
    [InlineData("DiffClampInt", -2.0, 1.0)]
    [InlineData("DiffClampInt", 3.0, 1.0)]
    [InlineData("DiffClampInt", 3.5, 0.0)]
    [InlineData("DiffClampInt", double.NaN, 1.0)]
    [InlineData("Pow0", double.NaN, 1.0)]
    public void EdgePoint(string name, double x, double expected, bool floatLanesOnly = false)
    {
        AssertAllLanes(Cases[name], [x], expected, floatLanesOnly);
    }

    [Theory]
    [InlineData(0.0, 2.0, 3.0, 2.0)]
    [InlineData(-1e-30, 2.0, 3.0, 3.0)]
    [InlineData(double.NaN, 2.0, 3.0, 3.0)]
    public void IfElsePicksGWhereFIsNotNegative(double f, double g, double h, double expected)
    {
        AssertAllLanes(Cases["IfElse"], [f, g, h], expected);
    }

    [Theory]
    [InlineData("Powf", 1.0, double.NaN, 1.0)]
    [InlineData("Powf", double.NaN, 0.0, 1.0)]
    [InlineData("Powf", -8.0, 0.5, double.NaN)]
    [InlineData("Powf", -0.0, -1.0, double.NegativeInfinity)]
    [InlineData("Powf", -1.0, double.PositiveInfinity, 1.0)]
    [InlineData("NotEqual", double.NaN, double.NaN, 1.0)]
    [InlineData("Equal", double.NaN, double.NaN, 0.0)]
    [InlineData("LessOrEqual", 2.0, 2.0, 1.0)]
    [InlineData("LessThan", 2.0, 2.0, 0.0)]
    [InlineData("Max", double.NaN, 1.0, double.NaN)]
    [InlineData("Min", 1.0, double.NaN, double.NaN)]
    public void BinaryEdgePoint(string name, double a, double b, double expected)
    {
        AssertAllLanes(Cases[name], [a, b], expected);
    }

    [Fact]
    public void NegativeZeroActsAsZero()
    {
        // Separate from the theories: xunit's analyzer counts 0.0 and -0.0 as duplicate data.
        AssertAllLanes(Cases["Rsqrt"], [-0.0], 0.0);
        AssertAllLanes(Cases["Step"], [-0.0], 1.0);
        AssertAllLanes(Cases["Sign"], [-0.0], 0.0);
        AssertAllLanes(Cases["XLogX"], [-0.0], 0.0);
        AssertAllLanes(Cases["SinXDivX"], [-0.0], 1.0);
        AssertAllLanes(Cases["IfElse"], [-0.0, 2.0, 3.0], 2.0);
    }

    [Fact]
    public void PowfOfNegativeBaseTakesTheSignOfOddIntegerExponents()
    {
        // exp(y log|x|) is not exact for integer powers, so only the sign and the 1.2e-14 budget
        // of the random cases are required here.
        Assert.Equal(-512f, KMath.Powf(-8f, 3f));
        Assert.Equal(-512.0, KMath.Powf(-8.0, 3.0));
        Assert.Equal(-512f, KMath.Powf(ScalarLane<float>.Create(-8f), ScalarLane<float>.Create(3f)).Value);
        Assert.Equal(Vector512.Create(-512f), KMath.Powf(Vector512Lane<float>.Create(-8f), Vector512Lane<float>.Create(3f)).Value);
        Assert.Equal(Vector256.Create(-512f), KMath.Powf(Vector256Lane<float>.Create(-8f), Vector256Lane<float>.Create(3f)).Value);
        Assert.Equal(Vector256.Create(64f), KMath.Powf(Vector256Lane<float>.Create(-8f), Vector256Lane<float>.Create(2f)).Value);
        foreach (double got in new[]
        {
            KMath.Powf(Vector512Lane<double>.Create(-8.0), Vector512Lane<double>.Create(3.0)).Value.GetElement(0),
            KMath.Powf(Vector256Lane<double>.Create(-8.0), Vector256Lane<double>.Create(3.0)).Value.GetElement(0),
            KMath.Powf(ScalarLane<double>.Create(-8.0), ScalarLane<double>.Create(3.0)).Value,
        })
        {
            Assert.InRange(got, -512 * (1 + 1.2e-14), -512 * (1 - 1.2e-14));
        }
    }

    [Fact]
    public void MinAndMaxOrderSignedZerosLikeMath()
    {
        AssertAllLanes(Cases["Max"], [-0.0, 0.0], 0.0, signOfZero: true);
        AssertAllLanes(Cases["Max"], [0.0, -0.0], 0.0, signOfZero: true);
        AssertAllLanes(Cases["Min"], [-0.0, 0.0], -0.0, signOfZero: true);
        AssertAllLanes(Cases["Min"], [0.0, -0.0], -0.0, signOfZero: true);
    }

    [Fact]
    public void PowOfIntMinValueDoesNotOverflowTheExponent()
    {
        Assert.Equal(1.0, KMath.Pow(1.0, int.MinValue));
        Assert.Equal(0.0, KMath.Pow(2.0, int.MinValue));
        Assert.Equal(0f, KMath.Pow(2f, int.MinValue));
        Assert.Equal(Vector512<float>.Zero, KMath.Pow(Vector512Lane<float>.Create(2f), int.MinValue).Value);
        Assert.Equal(Vector256<double>.One, KMath.Pow(Vector256Lane<double>.One, int.MinValue).Value);
        Assert.Equal(0.0, KMath.Pow(ScalarLane<double>.Create(2.0), int.MinValue).Value);
    }

    [Fact]
    public void ClampTestsLowerBoundFirst()
    {
        // With a > b KeOps's (x < a) ? a : (x > b) ? b : x returns a for x below a.
        AssertAllLanes(Cases["Clamp"], [0.0, 1.0, -1.0], 1.0);
        AssertAllLanes(Cases["Clamp"], [2.0, 1.0, -1.0], -1.0);
    }

    // ------------------------------------------------------------------------------------------

    private static IEnumerable<Case> BuildCases()
    {
        Gen wide = U(-80, 80);
        yield return Unary("Exp", MathF.Exp, Math.Exp, ScalarLane<float>.Exp, ScalarLane<double>.Exp, Vector256Lane<float>.Exp, Vector256Lane<double>.Exp, Vector512Lane<float>.Exp, Vector512Lane<double>.Exp, Math.Exp, wide, new(4 * U32, 0), new(4 * U64, 0));

        // Spans overflow and gradual underflow of both types; the absolute term is one subnormal
        // quantum, the whole error budget of a result that is rounded once into the subnormals.
        yield return Unary("ExpWide", MathF.Exp, Math.Exp, ScalarLane<float>.Exp, ScalarLane<double>.Exp, Vector256Lane<float>.Exp, Vector256Lane<double>.Exp, Vector512Lane<float>.Exp, Vector512Lane<double>.Exp, Math.Exp, Mix(U(-760, 720), U(-105, 90)), new(4 * U32, float.Epsilon), new(4 * U64, double.Epsilon));
        yield return Unary("Log", MathF.Log, Math.Log, ScalarLane<float>.Log, ScalarLane<double>.Log, Vector256Lane<float>.Log, Vector256Lane<double>.Log, Vector512Lane<float>.Log, Vector512Lane<double>.Log, Math.Log, Mix(LogU(1e-30, 1e30), U(0.5, 2)), Libm32, Libm64);
        yield return Unary("Sin", MathF.Sin, Math.Sin, ScalarLane<float>.Sin, ScalarLane<double>.Sin, Vector256Lane<float>.Sin, Vector256Lane<double>.Sin, Vector512Lane<float>.Sin, Vector512Lane<double>.Sin, Math.Sin, U(-50, 50), Libm32, Libm64);
        yield return Unary("Cos", MathF.Cos, Math.Cos, ScalarLane<float>.Cos, ScalarLane<double>.Cos, Vector256Lane<float>.Cos, Vector256Lane<double>.Cos, Vector512Lane<float>.Cos, Vector512Lane<double>.Cos, Math.Cos, U(-50, 50), Libm32, Libm64);
        yield return Unary("Sqrt", MathF.Sqrt, Math.Sqrt, ScalarLane<float>.Sqrt, ScalarLane<double>.Sqrt, Vector256Lane<float>.Sqrt, Vector256Lane<double>.Sqrt, Vector512Lane<float>.Sqrt, Vector512Lane<double>.Sqrt, Math.Sqrt, LogU(1e-20, 1e20), Rounded32, Rounded64);
        yield return Unary("Abs", MathF.Abs, Math.Abs, ScalarLane<float>.Abs, ScalarLane<double>.Abs, Vector256Lane<float>.Abs, Vector256Lane<double>.Abs, Vector512Lane<float>.Abs, Vector512Lane<double>.Abs, Math.Abs, U(-1e3, 1e3), Exact, Exact);
        yield return Unary("Floor", MathF.Floor, Math.Floor, ScalarLane<float>.Floor, ScalarLane<double>.Floor, Vector256Lane<float>.Floor, Vector256Lane<double>.Floor, Vector512Lane<float>.Floor, Vector512Lane<double>.Floor, Math.Floor, Mix(U(-1e3, 1e3), Ints(-5, 5)), Exact, Exact);
        yield return Unary("Rsqrt", KMath.Rsqrt, KMath.Rsqrt, KMath.Rsqrt, KMath.Rsqrt, KMath.Rsqrt, KMath.Rsqrt, KMath.Rsqrt, KMath.Rsqrt, x => x == 0 ? 0 : 1 / Math.Sqrt(x), LogU(1e-20, 1e20), new(2 * U32, 0), new(2 * U64, 0));
        yield return Unary("Inv", KMath.Inv, KMath.Inv, KMath.Inv, KMath.Inv, KMath.Inv, KMath.Inv, KMath.Inv, KMath.Inv, x => 1 / x, SignedLogU(1e-20, 1e20), Rounded32, Rounded64);
        yield return Unary("Square", KMath.Square, KMath.Square, KMath.Square, KMath.Square, KMath.Square, KMath.Square, KMath.Square, KMath.Square, x => x * x, U(-1e3, 1e3), Rounded32, Rounded64);
        yield return Unary("XLogX", KMath.XLogX, KMath.XLogX, KMath.XLogX, KMath.XLogX, KMath.XLogX, KMath.XLogX, KMath.XLogX, KMath.XLogX, x => x == 0 ? 0 : x * Math.Log(x), Mix(LogU(1e-10, 1e10), U(0.5, 2)), Libm32, Libm64);
        yield return Unary("SinXDivX", KMath.SinXDivX, KMath.SinXDivX, KMath.SinXDivX, KMath.SinXDivX, KMath.SinXDivX, KMath.SinXDivX, KMath.SinXDivX, KMath.SinXDivX, x => x == 0 ? 1 : Math.Sin(x) / x, Mix(U(-50, 50), SignedLogU(1e-30, 1e-3)), Libm32, Libm64);
        yield return Unary("Asin", MathF.Asin, Math.Asin, KMath.Asin, KMath.Asin, KMath.Asin, KMath.Asin, KMath.Asin, KMath.Asin, Math.Asin, U(-1.1, 1.1), Libm32, Libm64);
        yield return Unary("Acos", MathF.Acos, Math.Acos, KMath.Acos, KMath.Acos, KMath.Acos, KMath.Acos, KMath.Acos, KMath.Acos, Math.Acos, U(-1.1, 1.1), Libm32, Libm64);
        yield return Unary("Atan", MathF.Atan, Math.Atan, KMath.Atan, KMath.Atan, KMath.Atan, KMath.Atan, KMath.Atan, KMath.Atan, Math.Atan, SignedLogU(1e-10, 1e10), Libm32, Libm64);
        yield return Unary("Sign", KMath.Sign, KMath.Sign, KMath.Sign, KMath.Sign, KMath.Sign, KMath.Sign, KMath.Sign, KMath.Sign, x => x > 0 ? 1 : x < 0 ? -1 : 0, U(-10, 10), Exact, Exact);
        yield return Unary("Step", KMath.Step, KMath.Step, KMath.Step, KMath.Step, KMath.Step, KMath.Step, KMath.Step, KMath.Step, x => x < 0 ? 0 : 1, U(-10, 10), Exact, Exact);
        yield return Unary("ReLU", KMath.ReLU, KMath.ReLU, KMath.ReLU, KMath.ReLU, KMath.ReLU, KMath.ReLU, KMath.ReLU, KMath.ReLU, x => x < 0 ? 0 : x, U(-10, 10), Exact, Exact);

        foreach (int m in new[] { -7, -3, -2, -1, 0, 1, 2, 3, 4, 5, 8 })
        {
            var tol32 = new Tol((Math.Abs(m) + 1) * U32, 0);
            var tol64 = new Tol((Math.Abs(m) + 1) * U64, 0);
            yield return new Case(
                $"Pow{m}",
                [SignedU(0.05, 3)],
                (a, _) => Math.Pow(a[0], m),
                tol32,
                tol64,
                (x, _, _) => KMath.Pow(x, m),
                (x, _, _) => KMath.Pow(x, m),
                (x, _, _) => KMath.Pow(x, m),
                (x, _, _) => KMath.Pow(x, m),
                (x, _, _) => KMath.Pow(x, m),
                (x, _, _) => KMath.Pow(x, m),
                (x, _, _) => KMath.Pow(x, m),
                (x, _, _) => KMath.Pow(x, m));
        }

        foreach (int d in new[] { 0, 2, -1 })
        {
            // d == 0 is exact; otherwise the final division by 10^d rounds once (1u).
            Tol tol32 = d == 0 ? Exact : Rounded32;
            Tol tol64 = d == 0 ? Exact : Rounded64;
            yield return new Case(
                $"Round{d}",
                [Mix(U(-1e3, 1e3), HalfInts(-20, 20))],
                (a, isFloat) =>
                {
                    if (d == 0)
                    {
                        return Math.Round(a[0], MidpointRounding.AwayFromZero);
                    }

                    double scale = isFloat ? (float)Math.Pow(10, d) : Math.Pow(10, d);
                    double scaled = isFloat ? (float)(a[0] * scale) : a[0] * scale;
                    return Math.Round(scaled, MidpointRounding.AwayFromZero) / scale;
                },
                tol32,
                tol64,
                (x, _, _) => KMath.Round(x, d),
                (x, _, _) => KMath.Round(x, d),
                (x, _, _) => KMath.Round(x, d),
                (x, _, _) => KMath.Round(x, d),
                (x, _, _) => KMath.Round(x, d),
                (x, _, _) => KMath.Round(x, d),
                (x, _, _) => KMath.Round(x, d),
                (x, _, _) => KMath.Round(x, d));
        }

        yield return new Case(
            "ClampInt",
            [Mix(U(-6, 6), Ints(-4, 5))],
            (a, _) => a[0] < -2 ? -2 : a[0] > 3 ? 3 : a[0],
            Exact,
            Exact,
            (x, _, _) => KMath.ClampInt(x, -2, 3),
            (x, _, _) => KMath.ClampInt(x, -2, 3),
            (x, _, _) => KMath.ClampInt(x, -2, 3),
            (x, _, _) => KMath.ClampInt(x, -2, 3),
            (x, _, _) => KMath.ClampInt(x, -2, 3),
            (x, _, _) => KMath.ClampInt(x, -2, 3),
            (x, _, _) => KMath.ClampInt(x, -2, 3),
            (x, _, _) => KMath.ClampInt(x, -2, 3));
        yield return new Case(
            "DiffClampInt",
            [Mix(U(-6, 6), Ints(-4, 5))],
            (a, _) => a[0] < -2 ? 0 : a[0] > 3 ? 0 : 1,
            Exact,
            Exact,
            (x, _, _) => KMath.DiffClampInt(x, -2, 3),
            (x, _, _) => KMath.DiffClampInt(x, -2, 3),
            (x, _, _) => KMath.DiffClampInt(x, -2, 3),
            (x, _, _) => KMath.DiffClampInt(x, -2, 3),
            (x, _, _) => KMath.DiffClampInt(x, -2, 3),
            (x, _, _) => KMath.DiffClampInt(x, -2, 3),
            (x, _, _) => KMath.DiffClampInt(x, -2, 3),
            (x, _, _) => KMath.DiffClampInt(x, -2, 3));

        // Inputs kept to |ln x| <= 4.6 and |y| <= 10: the double vector path's error is about
        // |y ln x| * 2u plus exp's 2u, at most 1.1e-14. The float vector path runs in double and
        // rounds once; the scalar paths are libm's pow.
        Gen baseGen = Mix(U(0.01, 10), SignedU(0.01, 10));
        Gen expGen = Mix(U(-10, 10), Ints(-10, 10));
        yield return Binary("Powf", KMath.Powf, KMath.Powf, KMath.Powf, KMath.Powf, KMath.Powf, KMath.Powf, KMath.Powf, KMath.Powf, Math.Pow, baseGen, expGen, new(3e-7, float.Epsilon), new(1.2e-14, 0));
        yield return Binary("Atan2", MathF.Atan2, Math.Atan2, KMath.Atan2, KMath.Atan2, KMath.Atan2, KMath.Atan2, KMath.Atan2, KMath.Atan2, Math.Atan2, U(-10, 10), U(-10, 10), Libm32, Libm64);
        Gen ties = Mix(U(-5, 5), Ints(-3, 3));
        yield return Binary("Min", MathF.Min, Math.Min, ScalarLane<float>.Min, ScalarLane<double>.Min, Vector256Lane<float>.Min, Vector256Lane<double>.Min, Vector512Lane<float>.Min, Vector512Lane<double>.Min, Math.Min, ties, ties, Exact, Exact);
        yield return Binary("Max", MathF.Max, Math.Max, ScalarLane<float>.Max, ScalarLane<double>.Max, Vector256Lane<float>.Max, Vector256Lane<double>.Max, Vector512Lane<float>.Max, Vector512Lane<double>.Max, Math.Max, ties, ties, Exact, Exact);
        yield return Binary("Equal", KMath.Equal, KMath.Equal, KMath.Equal, KMath.Equal, KMath.Equal, KMath.Equal, KMath.Equal, KMath.Equal, (a, b) => a == b ? 1 : 0, ties, ties, Exact, Exact);
        yield return Binary("NotEqual", KMath.NotEqual, KMath.NotEqual, KMath.NotEqual, KMath.NotEqual, KMath.NotEqual, KMath.NotEqual, KMath.NotEqual, KMath.NotEqual, (a, b) => a != b ? 1 : 0, ties, ties, Exact, Exact);
        yield return Binary("LessThan", KMath.LessThan, KMath.LessThan, KMath.LessThan, KMath.LessThan, KMath.LessThan, KMath.LessThan, KMath.LessThan, KMath.LessThan, (a, b) => a < b ? 1 : 0, ties, ties, Exact, Exact);
        yield return Binary("LessOrEqual", KMath.LessOrEqual, KMath.LessOrEqual, KMath.LessOrEqual, KMath.LessOrEqual, KMath.LessOrEqual, KMath.LessOrEqual, KMath.LessOrEqual, KMath.LessOrEqual, (a, b) => a <= b ? 1 : 0, ties, ties, Exact, Exact);

        yield return Ternary("Clamp", KMath.Clamp, KMath.Clamp, KMath.Clamp, KMath.Clamp, KMath.Clamp, KMath.Clamp, KMath.Clamp, KMath.Clamp, (x, a, b) => x < a ? a : x > b ? b : x, U(-10, 10), U(-5, 0), U(0, 5), Exact, Exact);
        yield return Ternary("IfElse", KMath.IfElse, KMath.IfElse, KMath.IfElse, KMath.IfElse, KMath.IfElse, KMath.IfElse, KMath.IfElse, KMath.IfElse, (f, g, h) => f >= 0 ? g : h, Mix(U(-1, 1), Ints(0, 0)), U(-5, 5), U(-5, 5), Exact, Exact);

        // Fma rounds once (1u). Mod's last two operations round at magnitudes up to
        // |x| + |n * floor(...)| <= 45, an absolute 2 * 45u, since the result may cancel.
        yield return Ternary("Fma", KMath.Fma, KMath.Fma, KMath.Fma, KMath.Fma, KMath.Fma, KMath.Fma, KMath.Fma, KMath.Fma, Math.FusedMultiplyAdd, U(-10, 10), U(-10, 10), U(-10, 10), Rounded32, Rounded64);
        yield return new Case(
            "Mod",
            [U(-20, 20), U(0.5, 5), U(-3, 3)],
            (a, isFloat) =>
            {
                double x = a[0], n = a[1], d = a[2];
                double q = isFloat ? (float)((float)(x - d) / n) : (x - d) / n;
                return x - n * Math.Floor(q);
            },
            new(0, 90 * U32),
            new(0, 90 * U64),
            KMath.Mod,
            KMath.Mod,
            KMath.Mod,
            KMath.Mod,
            KMath.Mod,
            KMath.Mod,
            KMath.Mod,
            KMath.Mod);
    }

    private static Case Unary(
        string name,
        Func<float, float> s32,
        Func<double, double> s64,
        Func<ScalarLane<float>, ScalarLane<float>> l1f,
        Func<ScalarLane<double>, ScalarLane<double>> l1d,
        Func<Vector256Lane<float>, Vector256Lane<float>> v256f,
        Func<Vector256Lane<double>, Vector256Lane<double>> v256d,
        Func<Vector512Lane<float>, Vector512Lane<float>> v512f,
        Func<Vector512Lane<double>, Vector512Lane<double>> v512d,
        Func<double, double> reference,
        Gen gen,
        Tol f32,
        Tol f64) =>
        new(name, [gen], (a, _) => reference(a[0]), f32, f64,
            (x, _, _) => s32(x), (x, _, _) => s64(x), (x, _, _) => l1f(x), (x, _, _) => l1d(x), (x, _, _) => v256f(x), (x, _, _) => v256d(x), (x, _, _) => v512f(x), (x, _, _) => v512d(x));

    private static Case Binary(
        string name,
        Func<float, float, float> s32,
        Func<double, double, double> s64,
        Func<ScalarLane<float>, ScalarLane<float>, ScalarLane<float>> l1f,
        Func<ScalarLane<double>, ScalarLane<double>, ScalarLane<double>> l1d,
        Func<Vector256Lane<float>, Vector256Lane<float>, Vector256Lane<float>> v256f,
        Func<Vector256Lane<double>, Vector256Lane<double>, Vector256Lane<double>> v256d,
        Func<Vector512Lane<float>, Vector512Lane<float>, Vector512Lane<float>> v512f,
        Func<Vector512Lane<double>, Vector512Lane<double>, Vector512Lane<double>> v512d,
        Func<double, double, double> reference,
        Gen gen0,
        Gen gen1,
        Tol f32,
        Tol f64) =>
        new(name, [gen0, gen1], (a, _) => reference(a[0], a[1]), f32, f64,
            (x, y, _) => s32(x, y), (x, y, _) => s64(x, y), (x, y, _) => l1f(x, y), (x, y, _) => l1d(x, y), (x, y, _) => v256f(x, y), (x, y, _) => v256d(x, y), (x, y, _) => v512f(x, y), (x, y, _) => v512d(x, y));

    private static Case Ternary(
        string name,
        Func<float, float, float, float> s32,
        Func<double, double, double, double> s64,
        Func<ScalarLane<float>, ScalarLane<float>, ScalarLane<float>, ScalarLane<float>> l1f,
        Func<ScalarLane<double>, ScalarLane<double>, ScalarLane<double>, ScalarLane<double>> l1d,
        Func<Vector256Lane<float>, Vector256Lane<float>, Vector256Lane<float>, Vector256Lane<float>> v256f,
        Func<Vector256Lane<double>, Vector256Lane<double>, Vector256Lane<double>, Vector256Lane<double>> v256d,
        Func<Vector512Lane<float>, Vector512Lane<float>, Vector512Lane<float>, Vector512Lane<float>> v512f,
        Func<Vector512Lane<double>, Vector512Lane<double>, Vector512Lane<double>, Vector512Lane<double>> v512d,
        Func<double, double, double, double> reference,
        Gen gen0,
        Gen gen1,
        Gen gen2,
        Tol f32,
        Tol f64) =>
        new(name, [gen0, gen1, gen2], (a, _) => reference(a[0], a[1], a[2]), f32, f64, s32, s64, l1f, l1d, v256f, v256d, v512f, v512d);

    private static IEnumerable<(string Lane, bool IsFloat, Func<double[][], double[]> Run)> Lanes(Case c)
    {
        // The float and double overloads (what the ILGPU kernels call), then the one generic
        // overload at every lane width.
        yield return ("float", true, a => RunScalar(a, c.S32));
        yield return ("double", false, a => RunScalar(a, c.S64));
        yield return ("ScalarLane<float>", true, a => RunLanes<ScalarLane<float>, float>(a, c.L1F));
        yield return ("ScalarLane<double>", false, a => RunLanes<ScalarLane<double>, double>(a, c.L1D));
        yield return ("Vector256Lane<float>", true, a => RunLanes<Vector256Lane<float>, float>(a, c.V256F));
        yield return ("Vector256Lane<double>", false, a => RunLanes<Vector256Lane<double>, double>(a, c.V256D));
        yield return ("Vector512Lane<float>", true, a => RunLanes<Vector512Lane<float>, float>(a, c.V512F));
        yield return ("Vector512Lane<double>", false, a => RunLanes<Vector512Lane<double>, double>(a, c.V512D));
    }

    private static void AssertAllLanes(Case c, double[] args, double expected, bool floatLanesOnly = false, bool signOfZero = false)
    {
        // 16 rows fill every vector width with the same point.
        double[][] cols = args.Select(v => Enumerable.Repeat(v, 16).ToArray()).ToArray();
        foreach ((string lane, bool isFloat, Func<double[][], double[]> run) in Lanes(c))
        {
            if (floatLanesOnly && !isFloat)
            {
                continue;
            }

            double want = isFloat ? (float)expected : expected;
            foreach (double got in run(cols))
            {
                bool same = got.Equals(want) && (!signOfZero || double.IsNegative(got) == double.IsNegative(want));
                Assert.True(same, $"{c.Name}({string.Join(", ", args.Select(R))}) [{lane}]: got {R(got)}, want {R(want)}");
            }
        }
    }

    private static double[][] BuildArgs(Case c, Random rng)
    {
        int arity = c.Gens.Length;
        var rows = new List<double[]>();
        for (int i = 0; i < RandomRows; i++)
        {
            rows.Add(c.Gens.Select(g => g(rng)).ToArray());
        }

        int combos = (int)Math.Pow(Specials.Length, arity);
        for (int i = 0; i < combos; i++)
        {
            var row = new double[arity];
            for (int k = 0, rest = i; k < arity; k++, rest /= Specials.Length)
            {
                row[k] = Specials[rest % Specials.Length];
            }

            rows.Add(row);
        }

        // Every vector width must see whole vectors.
        for (int i = 0; rows.Count % 16 != 0; i++)
        {
            rows.Add(rows[i]);
        }

        return Enumerable.Range(0, arity).Select(k => rows.Select(r => r[k]).ToArray()).ToArray();
    }

    private static bool Close(double got, double want, bool isFloat, Tol tol)
    {
        if (double.IsNaN(got) || double.IsNaN(want))
        {
            return double.IsNaN(got) && double.IsNaN(want);
        }

        double wantInLane = isFloat ? (float)want : want;
        if (got == wantInLane)
        {
            return true;
        }

        if (double.IsInfinity(got) || double.IsInfinity(wantInLane))
        {
            return false;
        }

        return Math.Abs(got - want) <= (tol.Rel * Math.Abs(want)) + tol.Abs;
    }

    private static double[] RunScalar<T>(double[][] args, Func<T, T, T, T> f)
        where T : struct, IBinaryFloatingPointIeee754<T>
    {
        var res = new double[args[0].Length];
        for (int i = 0; i < res.Length; i++)
        {
            res[i] = double.CreateTruncating(f(Arg<T>(args, 0, i), Arg<T>(args, 1, i), Arg<T>(args, 2, i)));
        }

        return res;
    }

    private static double[] RunLanes<TLane, T>(double[][] args, Func<TLane, TLane, TLane, TLane> f)
        where TLane : struct, ILane<TLane, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int width = TLane.Count;
        var res = new double[args[0].Length];
        for (int i = 0; i < res.Length; i += width)
        {
            TLane r = f(TLane.Load(in Slice<T>(args, 0, i, width)[0]), TLane.Load(in Slice<T>(args, 1, i, width)[0]), TLane.Load(in Slice<T>(args, 2, i, width)[0]));
            for (int j = 0; j < width; j++)
            {
                res[i + j] = double.CreateTruncating(TLane.GetElement(r, j));
            }
        }

        return res;
    }

    private static T Arg<T>(double[][] args, int k, int i)
        where T : struct, IBinaryFloatingPointIeee754<T> =>
        k < args.Length ? T.CreateTruncating(args[k][i]) : T.Zero;

    private static T[] Slice<T>(double[][] args, int k, int start, int width)
        where T : struct, IBinaryFloatingPointIeee754<T>
    {
        var lanes = new T[width];
        for (int j = 0; j < width; j++)
        {
            lanes[j] = Arg<T>(args, k, start + j);
        }

        return lanes;
    }

    // FNV-1a, because string.GetHashCode is randomised per process and the seed must reproduce.
    private static int StableSeed(string name)
    {
        uint h = 2166136261;
        foreach (char ch in name)
        {
            h = (h ^ ch) * 16777619;
        }

        return (int)(h & 0x7FFFFFFF);
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static Gen U(double lo, double hi) => r => lo + ((hi - lo) * r.NextDouble());

    private static Gen SignedU(double lo, double hi) => r => (r.Next(2) == 0 ? -1 : 1) * (lo + ((hi - lo) * r.NextDouble()));

    private static Gen LogU(double lo, double hi) => r => Math.Exp(Math.Log(lo) + ((Math.Log(hi) - Math.Log(lo)) * r.NextDouble()));

    private static Gen SignedLogU(double lo, double hi)
    {
        Gen mag = LogU(lo, hi);
        return r => (r.Next(2) == 0 ? -1 : 1) * mag(r);
    }

    private static Gen Ints(int lo, int hi) => r => r.Next(lo, hi + 1);

    private static Gen HalfInts(int lo, int hi) => r => r.Next(lo, hi + 1) + 0.5;

    private static Gen Mix(params Gen[] gens) => r => gens[r.Next(gens.Length)](r);

    private delegate double Gen(Random rng);

    private sealed record Tol(double Rel, double Abs);

    private sealed record Case(
        string Name,
        Gen[] Gens,
        Func<double[], bool, double> Reference,
        Tol F32,
        Tol F64,
        Func<float, float, float, float> S32,
        Func<double, double, double, double> S64,
        Func<ScalarLane<float>, ScalarLane<float>, ScalarLane<float>, ScalarLane<float>> L1F,
        Func<ScalarLane<double>, ScalarLane<double>, ScalarLane<double>, ScalarLane<double>> L1D,
        Func<Vector256Lane<float>, Vector256Lane<float>, Vector256Lane<float>, Vector256Lane<float>> V256F,
        Func<Vector256Lane<double>, Vector256Lane<double>, Vector256Lane<double>, Vector256Lane<double>> V256D,
        Func<Vector512Lane<float>, Vector512Lane<float>, Vector512Lane<float>, Vector512Lane<float>> V512F,
        Func<Vector512Lane<double>, Vector512Lane<double>, Vector512Lane<double>, Vector512Lane<double>> V512D);
}
