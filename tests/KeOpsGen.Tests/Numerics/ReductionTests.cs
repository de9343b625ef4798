using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Numerics;

/// <summary>
/// Every reduction other than Sum through generated methods (float and double, both axes),
/// against float64 references written here. Float inputs are rounded to float before the
/// reference sees them, so only the arithmetic differs.
/// </summary>
public static partial class ReductionTests
{
    private const int K = 3;

    // Min family: F = (X - Y) * W, two components, W > 0 in the random draws.
    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Min, Axis = 0)]
    internal static partial void Min_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Min, Axis = 1)]
    internal static partial void Min_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Min, Axis = 0, GradientOrder = 1)]
    internal static partial void Min_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Min, Axis = 1)]
    internal static partial void Min_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Max, Axis = 0)]
    internal static partial void Max_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Max, Axis = 1)]
    internal static partial void Max_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Max, Axis = 0)]
    internal static partial void Max_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Max, Axis = 1)]
    internal static partial void Max_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMin, Axis = 0)]
    internal static partial void ArgMin_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMin, Axis = 1)]
    internal static partial void ArgMin_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMin, Axis = 0)]
    internal static partial void ArgMin_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMin, Axis = 1)]
    internal static partial void ArgMin_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMax, Axis = 0)]
    internal static partial void ArgMax_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMax, Axis = 1)]
    internal static partial void ArgMax_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMax, Axis = 0)]
    internal static partial void ArgMax_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMax, Axis = 1)]
    internal static partial void ArgMax_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MinArgMin, Axis = 0)]
    internal static partial void MinArgMin_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MinArgMin, Axis = 1)]
    internal static partial void MinArgMin_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MinArgMin, Axis = 0)]
    internal static partial void MinArgMin_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MinArgMin, Axis = 1)]
    internal static partial void MinArgMin_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MaxArgMax, Axis = 0)]
    internal static partial void MaxArgMax_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MaxArgMax, Axis = 1)]
    internal static partial void MaxArgMax_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MaxArgMax, Axis = 0)]
    internal static partial void MaxArgMax_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MaxArgMax, Axis = 1)]
    internal static partial void MaxArgMax_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMin, Axis = 0, K = 3)]
    internal static partial void KMin_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMin, Axis = 1, K = 3)]
    internal static partial void KMin_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMin, Axis = 0, K = 3)]
    internal static partial void KMin_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMin, Axis = 1, K = 3)]
    internal static partial void KMin_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgKMin, Axis = 0, K = 3)]
    internal static partial void ArgKMin_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgKMin, Axis = 1, K = 3)]
    internal static partial void ArgKMin_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgKMin, Axis = 0, K = 3)]
    internal static partial void ArgKMin_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgKMin, Axis = 1, K = 3)]
    internal static partial void ArgKMin_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMinArgKMin, Axis = 0, K = 3)]
    internal static partial void KMinArgKMin_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMinArgKMin, Axis = 1, K = 3)]
    internal static partial void KMinArgKMin_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMinArgKMin, Axis = 0, K = 3)]
    internal static partial void KMinArgKMin_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMinArgKMin, Axis = 1, K = 3)]
    internal static partial void KMinArgKMin_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    // LogSumExp family: scalar F = S * <X, Y>, weight G = Z (2 components).
    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 0)]
    internal static partial void LogSumExp_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 1, GradientOrder = 1)]
    internal static partial void LogSumExp_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 0)]
    internal static partial void LogSumExp_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, Span<double> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 1, GradientOrder = 1)]
    internal static partial void LogSumExp_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, Span<double> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Weight = "Z", Axis = 0)]
    internal static partial void LogSumExpW_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Weight = "Z", Axis = 1)]
    internal static partial void LogSumExpW_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Weight = "Z", Axis = 0)]
    internal static partial void LogSumExpW_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, ReadOnlySpan<double> s, Span<double> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Weight = "Z", Axis = 1)]
    internal static partial void LogSumExpW_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, ReadOnlySpan<double> s, Span<double> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.MaxSumShiftExp, Axis = 0)]
    internal static partial void MaxSumShiftExp_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.MaxSumShiftExp, Axis = 1)]
    internal static partial void MaxSumShiftExp_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.MaxSumShiftExp, Axis = 0)]
    internal static partial void MaxSumShiftExp_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, Span<double> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.MaxSumShiftExp, Axis = 1)]
    internal static partial void MaxSumShiftExp_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, Span<double> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "Z", Axis = 0)]
    internal static partial void SumSoftMaxWeight_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "Z", Axis = 1)]
    internal static partial void SumSoftMaxWeight_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "Z", Axis = 0)]
    internal static partial void SumSoftMaxWeight_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, ReadOnlySpan<double> s, Span<double> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "Z", Axis = 1)]
    internal static partial void SumSoftMaxWeight_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, ReadOnlySpan<double> s, Span<double> result);

    // Accuracy options on the shift-exp family, and the exact-index check.
    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.LogSumExp, SumScheme = SumScheme.Kahan)]
    private static partial void LseKahan(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "Z", Accumulation = Accumulation.Double)]
    private static partial void SoftMaxDouble(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<float> s, Span<float> result);

    [Reduction("X - Y", "X = Vi(1)", "Y = Vj(1)", Op = ReductionOp.ArgMin)]
    private static partial void ArgMinLarge(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    /// <summary>Kahan and double accumulation go through the same shifted sums: same reference, same tolerance.</summary>
    [Theory]
    [InlineData("Kahan")]
    [InlineData("Double")]
    public static void ShiftExpAccuracyOptionsMatchReference(string option)
    {
        var random = new SeededRandom(nameof(ShiftExpAccuracyOptionsMatchReference), option);
        const int m = 33, n = 5000;
        double[] x = Round(random.Doubles(m * 3, -1, 1), true), y = Round(random.Doubles(n * 3, -1, 1), true);
        double[] z = Round(random.Doubles(n * 2, 0.1, 1), true), s = Round(new[] { random.Double(0.5, 2) }, true);
        string op = option == "Kahan" ? "LogSumExp" : "SumSoftMaxWeight";
        double[] result = option == "Kahan" ? new double[m] : new double[m * 2];
        var raw = new float[result.Length];
        if (option == "Kahan")
        {
            LseKahan(Cast<float>(x), Cast<float>(y), Cast<float>(s), raw);
        }
        else
        {
            SoftMaxDouble(Cast<float>(x), Cast<float>(y), Cast<float>(z), Cast<float>(s), raw);
        }

                double[] expected = RunReference(op, 1, m, n, x, y, z, s);
        for (int k = 0; k < raw.Length; k++)
        {
            // As in CheckShiftExp for float: |F| <= 6 here, so 2e-5 covers F rounding and the sums.
            Assert.True(Math.Abs(raw[k] - expected[k]) <= 2e-5 * Math.Max(1, Math.Abs(expected[k])), $"{random} {op} entry {k}: {raw[k]} vs {expected[k]}");
        }
    }

    /// <summary>
    /// Indices are ints end to end: with 2^24 + 11 terms and the minimum at the last one, an index
    /// carried as a float would round to 2^24 + 10 or 2^24 + 12.
    /// </summary>
    [Fact]
    public static void ArgMinIndexIsExactBeyondFloatPrecision()
    {
        var random = new SeededRandom(nameof(ArgMinIndexIsExactBeyondFloatPrecision));
        int n = (1 << 24) + 11;
        // One random level for all but the last term (drawing 2^24 values would dominate the run).
        var y = new float[n];
        Array.Fill(y, (float)random.Double(-1, 1));
        y[n - 1] = 5f;
        var indices = new int[1];
        ArgMinLarge(new[] { 0f }, y, indices);
        Assert.True(indices[0] == n - 1, $"{random}: index {indices[0]}, expected {n - 1}");
    }

    public static IEnumerable<object[]> Sizes => new[] { new object[] { 1, 1 }, new object[] { 17, 17 }, new object[] { 3000, 7 }, new object[] { 7, 3000 } };

    public static IEnumerable<object[]> MinFamilyCases =>
        from op in new[] { "Min", "Max", "ArgMin", "ArgMax", "MinArgMin", "MaxArgMax", "KMin", "ArgKMin", "KMinArgKMin" }
        from isFloat in new[] { true, false }
        from axis in new[] { 0, 1 }
        from size in Sizes
        select new object[] { op, isFloat, axis, size[0], size[1] };

    public static IEnumerable<object[]> ShiftExpCases =>
        from op in new[] { "LogSumExp", "LogSumExpW", "MaxSumShiftExp", "SumSoftMaxWeight" }
        from isFloat in new[] { true, false }
        from axis in new[] { 0, 1 }
        from size in Sizes
        select new object[] { op, isFloat, axis, size[0], size[1] };

    public static IEnumerable<object[]> TieCases =>
        from op in new[] { "ArgMin", "ArgMax", "MinArgMin", "MaxArgMax", "ArgKMin", "KMinArgKMin" }
        from isFloat in new[] { true, false }
        from axis in new[] { 0, 1 }
        select new object[] { op, isFloat, axis };

    [Theory]
    [MemberData(nameof(MinFamilyCases))]
    public static void MinFamilyMatchesReference(string op, bool isFloat, int axis, int m, int n)
    {
        var random = new SeededRandom(nameof(MinFamilyMatchesReference), op, isFloat, axis, m, n);
        double[] x = Round(random.Doubles(m * 2, -1, 1), isFloat);
        double[] y = Round(random.Doubles(n * 2, -1, 1), isFloat);
        double[] w = Round(random.Doubles(n, 0.5, 1.5), isFloat);
        CheckMinFamily(op, isFloat, axis, m, n, x, y, w, random.ToString());
    }

    /// <summary>All terms equal: every Arg reduction must report the first indices (0, 1, 2, ...).</summary>
    [Theory]
    [MemberData(nameof(TieCases))]
    public static void AllEqualTermsGiveTheFirstIndices(string op, bool isFloat, int axis)
    {
        var random = new SeededRandom(nameof(AllEqualTermsGiveTheFirstIndices), op, isFloat, axis);
        const int m = 5, n = 3000;
        double[] rowX = Round(random.Doubles(2, -1, 1), isFloat), rowY = Round(random.Doubles(2, -1, 1), isFloat);
        double[] x = Enumerable.Range(0, m * 2).Select(k => rowX[k % 2]).ToArray();
        double[] y = Enumerable.Range(0, n * 2).Select(k => rowY[k % 2]).ToArray();
        double[] w = Enumerable.Repeat(Round(new[] { random.Double(0.5, 1.5) }, isFloat)[0], n).ToArray();
        int outer = axis == 1 ? m : n;
        var (_, indices) = Run(op, isFloat, axis, x, y, w, outer);
        int slots = op.Contains('K') ? K : 1;
        for (int o = 0; o < outer; o++)
        {
            for (int s = 0; s < slots; s++)
            {
                for (int c = 0; c < 2; c++)
                {
                    Assert.True(indices![(((o * slots) + s) * 2) + c] == s, $"{random} {op} row {o} slot {s} comp {c}: index {indices[(((o * slots) + s) * 2) + c]}, expected {s}");
                }
            }
        }
    }

    /// <summary>
    /// The extreme term of row 0, component 0, duplicated at a random other reduced index (usually in
    /// another tile and SIMD lane): the lower of the two indices must win.
    /// </summary>
    [Theory]
    [MemberData(nameof(TieCases))]
    public static void DuplicatedExtremeGoesToTheLowerIndex(string op, bool isFloat, int axis)
    {
        var random = new SeededRandom(nameof(DuplicatedExtremeGoesToTheLowerIndex), op, isFloat, axis);
        int m = axis == 1 ? 2 : 3000, n = axis == 1 ? 3000 : 2;
        double[] x = Round(random.Doubles(m * 2, -1, 1), isFloat);
        double[] y = Round(random.Doubles(n * 2, -1, 1), isFloat);
        double[] w = Round(random.Doubles(n, 0.5, 1.5), isFloat);
        bool max = op.Contains("Max");
        int inner = axis == 1 ? n : m;
        double[] row0 = Enumerable.Range(0, inner).Select(t => axis == 1 ? (x[0] - y[2 * t]) * w[t] : (x[2 * t] - y[0]) * w[0]).ToArray();
        int extreme = 0;
        for (int t = 1; t < inner; t++)
        {
            if (max ? row0[t] > row0[extreme] : row0[t] < row0[extreme])
            {
                extreme = t;
            }
        }

        int partner = (extreme + 1 + random.Next(inner - 1)) % inner;
        if (axis == 1)
        {
            y[2 * partner] = y[2 * extreme];
            y[(2 * partner) + 1] = y[(2 * extreme) + 1];
            w[partner] = w[extreme];
        }
        else
        {
            x[2 * partner] = x[2 * extreme];
            x[(2 * partner) + 1] = x[(2 * extreme) + 1];
        }

        var (_, indices) = Run(op, isFloat, axis, x, y, w, axis == 1 ? m : n);
        int first = Math.Min(extreme, partner), second = Math.Max(extreme, partner);
        Assert.True(indices![0] == first, $"{random} {op}: index {indices[0]}, expected {first} (tie between {first} and {second})");
        if (op.Contains('K'))
        {
            Assert.True(indices[2] == second, $"{random} {op}: second slot {indices[2]}, expected {second}");
        }
    }

    /// <summary>NaN terms are never selected by Min/ArgMin (strict comparisons, as KeOps).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public static void MinSkipsNaNTerms(bool isFloat)
    {
        var random = new SeededRandom(nameof(MinSkipsNaNTerms), isFloat);
        const int m = 4, n = 100;
        double[] x = Round(random.Doubles(m * 2, -1, 1), isFloat), y = Round(random.Doubles(n * 2, -1, 1), isFloat);
        double[] w = Round(random.Doubles(n, 0.5, 1.5), isFloat);
        int nanAt = random.Next(n);
        w[nanAt] = double.NaN;
        var (values, indices) = Run("MinArgMin", isFloat, 1, x, y, w, m);
        for (int i = 0; i < m; i++)
        {
            for (int c = 0; c < 2; c++)
            {
                double expected = Enumerable.Range(0, n).Where(j => j != nanAt).Min(j => (x[(2 * i) + c] - y[(2 * j) + c]) * w[j]);
                Assert.True(Math.Abs(values![(i * 2) + c] - expected) <= Tolerance(isFloat), $"{random} row {i} comp {c}: {values[(i * 2) + c]} vs {expected}");
                Assert.True(indices![(i * 2) + c] != nanAt, $"{random} row {i} comp {c}: the NaN term {nanAt} was selected");
            }
        }
    }

    /// <summary>Zero terms on the reduced side: every reduction returns its identity.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public static void EmptyReducedSideGivesIdentities(bool isFloat)
    {
        const int m = 5;
        double[] x = new double[m * 2], y = Array.Empty<double>(), w = Array.Empty<double>();
        foreach (string op in new[] { "Min", "Max", "MinArgMin", "MaxArgMax", "KMinArgKMin" })
        {
            var (values, indices) = Run(op, isFloat, 1, x, y, w, m);
            double identity = op.StartsWith("Max", StringComparison.Ordinal) ? double.NegativeInfinity : double.PositiveInfinity;
            Assert.All(values!, v => Assert.Equal(identity, v));
            Assert.All(indices ?? Array.Empty<int>(), i => Assert.Equal(-1, i));
        }

        double[] x3 = new double[m * 3], s = { 1.0 };
        Assert.All(RunShiftExp("LogSumExp", isFloat, 1, x3, Array.Empty<double>(), Array.Empty<double>(), s, m), v => Assert.Equal(double.NegativeInfinity, v));
        Assert.All(RunShiftExp("LogSumExpW", isFloat, 1, x3, Array.Empty<double>(), Array.Empty<double>(), s, m), v => Assert.Equal(double.NegativeInfinity, v));
        double[] pair = RunShiftExp("MaxSumShiftExp", isFloat, 1, x3, Array.Empty<double>(), Array.Empty<double>(), s, m);
        for (int i = 0; i < m; i++)
        {
            Assert.Equal(double.NegativeInfinity, pair[2 * i]);
            Assert.Equal(0.0, pair[(2 * i) + 1]);
        }

        Assert.All(RunShiftExp("SumSoftMaxWeight", isFloat, 1, x3, Array.Empty<double>(), Array.Empty<double>(), s, m), v => Assert.True(double.IsNaN(v)));
    }

    [Theory]
    [MemberData(nameof(ShiftExpCases))]
    public static void ShiftExpFamilyMatchesReference(string op, bool isFloat, int axis, int m, int n)
    {
        var random = new SeededRandom(nameof(ShiftExpFamilyMatchesReference), op, isFloat, axis, m, n);
        double[] x = Round(random.Doubles(m * 3, -1, 1), isFloat), y = Round(random.Doubles(n * 3, -1, 1), isFloat);
        double[] z = Round(random.Doubles(n * 2, 0.1, 1), isFloat), s = Round(new[] { random.Double(0.5, 2) }, isFloat);
        CheckShiftExp(op, isFloat, axis, m, n, x, y, z, s, random.ToString(), largeF: false);
    }

    /// <summary>F around ±6000: exp would overflow without the running max shift.</summary>
    [Theory]
    [InlineData("LogSumExp", true, 1)]
    [InlineData("LogSumExp", true, 0)]
    [InlineData("LogSumExp", false, 1)]
    [InlineData("LogSumExp", false, 0)]
    [InlineData("LogSumExpW", true, 1)]
    [InlineData("LogSumExpW", false, 0)]
    [InlineData("MaxSumShiftExp", false, 1)]
    [InlineData("SumSoftMaxWeight", false, 1)]
    public static void ShiftExpFamilyDoesNotOverflowForLargeF(string op, bool isFloat, int axis)
    {
        var random = new SeededRandom(nameof(ShiftExpFamilyDoesNotOverflowForLargeF), op, isFloat, axis);
        const int m = 50, n = 3000;
        double[] x = Round(random.Doubles(m * 3, -1, 1), isFloat), y = Round(random.Doubles(n * 3, -1, 1), isFloat);
        double[] z = Round(random.Doubles(n * 2, 0.1, 1), isFloat), s = Round(new[] { random.Double(1900, 2100) }, isFloat);
        CheckShiftExp(op, isFloat, axis, m, n, x, y, z, s, random.ToString(), largeF: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public static void LogSumExpPropagatesNaN(bool isFloat)
    {
        var random = new SeededRandom(nameof(LogSumExpPropagatesNaN), isFloat);
        const int m = 3, n = 40;
        double[] x = Round(random.Doubles(m * 3, -1, 1), isFloat), y = Round(random.Doubles(n * 3, -1, 1), isFloat);
        y[3 * random.Next(n)] = double.NaN;
        double[] result = RunShiftExp("LogSumExp", isFloat, 1, x, y, Array.Empty<double>(), new[] { 1.0 }, m);
        Assert.All(result, v => Assert.True(double.IsNaN(v), $"{random}: {v}"));
    }

    private static void CheckMinFamily(string op, bool isFloat, int axis, int m, int n, double[] x, double[] y, double[] w, string label)
    {
        int outer = axis == 1 ? m : n, inner = axis == 1 ? n : m;
        var (values, indices) = Run(op, isFloat, axis, x, y, w, outer);
        bool max = op.Contains("Max");
        int slots = op.Contains('K') ? K : 1;
        double tolerance = Tolerance(isFloat);
        for (int o = 0; o < outer; o++)
        {
            for (int c = 0; c < 2; c++)
            {
                double Term(int t) => axis == 1 ? (x[(2 * o) + c] - y[(2 * t) + c]) * w[t] : (x[(2 * t) + c] - y[(2 * o) + c]) * w[o];
                double[] sorted = Enumerable.Range(0, inner).Select(Term).OrderBy(v => max ? -v : v).ToArray();
                var seen = new HashSet<int>();
                for (int s = 0; s < slots; s++)
                {
                    int slot = (((o * slots) + s) * 2) + c;
                    string where = $"{label} {op} row {o} slot {s} comp {c}";
                    if (s >= inner)
                    {
                        // K beyond the reduced size: the unfilled slots are (+inf, -1).
                        if (values is not null)
                        {
                            Assert.True(values[slot] == (max ? double.NegativeInfinity : double.PositiveInfinity), $"{where}: {values[slot]}");
                        }

                        if (indices is not null)
                        {
                            Assert.True(indices[slot] == -1, $"{where}: index {indices[slot]}");
                        }

                        continue;
                    }

                    if (values is not null)
                    {
                        Assert.True(Math.Abs(values[slot] - sorted[s]) <= tolerance, $"{where}: {values[slot]} vs {sorted[s]}");
                    }

                    if (indices is not null)
                    {
                        int index = indices[slot];
                        Assert.True(index >= 0 && index < inner && seen.Add(index), $"{where}: index {index} out of range or repeated");
                        // The engine's float F may order near-equal terms differently from the
                        // reference: the index must hold the expected value, up to the tolerance.
                        Assert.True(Math.Abs(Term(index) - sorted[s]) <= tolerance, $"{where}: index {index} holds {Term(index)}, expected {sorted[s]}");
                    }
                }
            }
        }
    }

    private static double[] RunReference(string op, int axis, int m, int n, double[] x, double[] y, double[] z, double[] s)
    {
        int outer = axis == 1 ? m : n, inner = axis == 1 ? n : m;
        int width = op == "LogSumExp" ? 1 : 2;
        var all = new double[outer * width];
        for (int o = 0; o < outer; o++)
        {
            double fmax = double.NegativeInfinity;
            var f = new double[inner];
            for (int t = 0; t < inner; t++)
            {
                int i = axis == 1 ? o : t, j = axis == 1 ? t : o;
                f[t] = s[0] * ((x[3 * i] * y[3 * j]) + (x[(3 * i) + 1] * y[(3 * j) + 1]) + (x[(3 * i) + 2] * y[(3 * j) + 2]));
                fmax = Math.Max(fmax, f[t]);
            }

            double s0 = 0, s1 = 0, s2 = 0;
            for (int t = 0; t < inner; t++)
            {
                int j = axis == 1 ? t : o;
                double e = Math.Exp(f[t] - fmax);
                s0 += e;
                s1 += e * z[2 * j];
                s2 += e * z[(2 * j) + 1];
            }

            double[] row = op switch
            {
                "LogSumExp" => new[] { fmax + Math.Log(s0) },
                "LogSumExpW" => new[] { fmax + Math.Log(s1), fmax + Math.Log(s2) },
                "MaxSumShiftExp" => new[] { fmax, s0 },
                _ => new[] { s1 / s0, s2 / s0 },
            };
            Array.Copy(row, 0, all, o * width, width);
        }

        return all;
    }

    private static void CheckShiftExp(string op, bool isFloat, int axis, int m, int n, double[] x, double[] y, double[] z, double[] s, string label, bool largeF)
    {
        int outer = axis == 1 ? m : n, inner = axis == 1 ? n : m;
        double[] result = RunShiftExp(op, isFloat, axis, x, y, z, s, outer);
        int width = op == "LogSumExp" ? 1 : 2;
        for (int o = 0; o < outer; o++)
        {
            double[] f = new double[inner];
            for (int t = 0; t < inner; t++)
            {
                int i = axis == 1 ? o : t, j = axis == 1 ? t : o;
                f[t] = s[0] * ((x[3 * i] * y[3 * j]) + (x[(3 * i) + 1] * y[(3 * j) + 1]) + (x[(3 * i) + 2] * y[(3 * j) + 2]));
            }

            double fmax = f.Max();
            double s0 = 0, s1 = 0, s2 = 0;
            for (int t = 0; t < inner; t++)
            {
                int j = axis == 1 ? t : o;
                double e = Math.Exp(f[t] - fmax);
                s0 += e;
                s1 += e * z[2 * j];
                s2 += e * z[(2 * j) + 1];
            }

            double[] expected = op switch
            {
                "LogSumExp" => new[] { fmax + Math.Log(s0) },
                "LogSumExpW" => new[] { fmax + Math.Log(s1), fmax + Math.Log(s2) },
                "MaxSumShiftExp" => new[] { fmax, s0 },
                _ => new[] { s1 / s0, s2 / s0 },
            };

            double scale = f.Max(Math.Abs);
            for (int k = 0; k < width; k++)
            {
                double got = result[(o * width) + k];
                // Float: F itself is rounded (relative 2^-24 per operation, a few operations), which
                // moves m + log s by about |F| · 1e-7 and s or a softmax ratio by a relative 1e-6.
                // Double: the same at 1e-16, plus summation order over up to 3000 terms.
                double tolerance = op is "LogSumExp" or "LogSumExpW" || (op == "MaxSumShiftExp" && k == 0)
                    ? (isFloat ? 2e-6 : 1e-13) * Math.Max(1, scale) * (largeF ? 4 : 1) + (isFloat ? 1e-5 : 1e-12)
                    : (isFloat ? 2e-5 : 1e-11) * Math.Max(1, Math.Abs(expected[k])) * (largeF ? Math.Max(1, scale) / 10 : 1);
                Assert.True(double.IsFinite(got) && Math.Abs(got - expected[k]) <= tolerance,
                    $"{label} {op} row {o} comp {k}: {got} vs {expected[k]} (tolerance {tolerance})");
            }
        }
    }

    private static double Tolerance(bool isFloat) => isFloat ? 1e-5 : 1e-12; // |F| <= 3: float rounding of a few operations

    private static double[] Round(double[] values, bool isFloat) => isFloat ? values.Select(v => (double)(float)v).ToArray() : values;

    private static T[] Cast<T>(double[] values) => typeof(T) == typeof(float)
        ? (T[])(object)values.Select(v => (float)v).ToArray()
        : (T[])(object)values.ToArray();

    private static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();

    private static double[] ToDouble(double[] values) => values;

    private static (double[]? Values, int[]? Indices) Run(string op, bool isFloat, int axis, double[] x, double[] y, double[] w, int outer)
    {
        int valueLength = outer * 2 * (op.Contains('K') ? K : 1);
        double[]? values = null;
        int[]? indices = op.Contains("Arg") ? new int[valueLength] : null;
        switch ((op, isFloat, axis))
        {
            case ("Min", true, 0): { var tv = new float[valueLength]; Min_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv); values = ToDouble(tv); break; }
            case ("Min", true, 1): { var tv = new float[valueLength]; Min_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv); values = ToDouble(tv); break; }
            case ("Min", false, 0): { var tv = new double[valueLength]; Min_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv); values = ToDouble(tv); break; }
            case ("Min", false, 1): { var tv = new double[valueLength]; Min_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv); values = ToDouble(tv); break; }
            case ("Max", true, 0): { var tv = new float[valueLength]; Max_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv); values = ToDouble(tv); break; }
            case ("Max", true, 1): { var tv = new float[valueLength]; Max_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv); values = ToDouble(tv); break; }
            case ("Max", false, 0): { var tv = new double[valueLength]; Max_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv); values = ToDouble(tv); break; }
            case ("Max", false, 1): { var tv = new double[valueLength]; Max_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv); values = ToDouble(tv); break; }
            case ("ArgMin", true, 0): { ArgMin_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(w), indices); break; }
            case ("ArgMin", true, 1): { ArgMin_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(w), indices); break; }
            case ("ArgMin", false, 0): { ArgMin_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(w), indices); break; }
            case ("ArgMin", false, 1): { ArgMin_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(w), indices); break; }
            case ("ArgMax", true, 0): { ArgMax_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(w), indices); break; }
            case ("ArgMax", true, 1): { ArgMax_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(w), indices); break; }
            case ("ArgMax", false, 0): { ArgMax_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(w), indices); break; }
            case ("ArgMax", false, 1): { ArgMax_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(w), indices); break; }
            case ("MinArgMin", true, 0): { var tv = new float[valueLength]; MinArgMin_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv, indices); values = ToDouble(tv); break; }
            case ("MinArgMin", true, 1): { var tv = new float[valueLength]; MinArgMin_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv, indices); values = ToDouble(tv); break; }
            case ("MinArgMin", false, 0): { var tv = new double[valueLength]; MinArgMin_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv, indices); values = ToDouble(tv); break; }
            case ("MinArgMin", false, 1): { var tv = new double[valueLength]; MinArgMin_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv, indices); values = ToDouble(tv); break; }
            case ("MaxArgMax", true, 0): { var tv = new float[valueLength]; MaxArgMax_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv, indices); values = ToDouble(tv); break; }
            case ("MaxArgMax", true, 1): { var tv = new float[valueLength]; MaxArgMax_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv, indices); values = ToDouble(tv); break; }
            case ("MaxArgMax", false, 0): { var tv = new double[valueLength]; MaxArgMax_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv, indices); values = ToDouble(tv); break; }
            case ("MaxArgMax", false, 1): { var tv = new double[valueLength]; MaxArgMax_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv, indices); values = ToDouble(tv); break; }
            case ("KMin", true, 0): { var tv = new float[valueLength]; KMin_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv); values = ToDouble(tv); break; }
            case ("KMin", true, 1): { var tv = new float[valueLength]; KMin_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv); values = ToDouble(tv); break; }
            case ("KMin", false, 0): { var tv = new double[valueLength]; KMin_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv); values = ToDouble(tv); break; }
            case ("KMin", false, 1): { var tv = new double[valueLength]; KMin_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv); values = ToDouble(tv); break; }
            case ("ArgKMin", true, 0): { ArgKMin_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(w), indices); break; }
            case ("ArgKMin", true, 1): { ArgKMin_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(w), indices); break; }
            case ("ArgKMin", false, 0): { ArgKMin_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(w), indices); break; }
            case ("ArgKMin", false, 1): { ArgKMin_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(w), indices); break; }
            case ("KMinArgKMin", true, 0): { var tv = new float[valueLength]; KMinArgKMin_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv, indices); values = ToDouble(tv); break; }
            case ("KMinArgKMin", true, 1): { var tv = new float[valueLength]; KMinArgKMin_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(w), tv, indices); values = ToDouble(tv); break; }
            case ("KMinArgKMin", false, 0): { var tv = new double[valueLength]; KMinArgKMin_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv, indices); values = ToDouble(tv); break; }
            case ("KMinArgKMin", false, 1): { var tv = new double[valueLength]; KMinArgKMin_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(w), tv, indices); values = ToDouble(tv); break; }
            default: throw new ArgumentException(op);
        }

        return (values, indices);
    }

    private static double[] RunShiftExp(string op, bool isFloat, int axis, double[] x, double[] y, double[] z, double[] s, int outer)
    {
        int valueLength = outer * (op == "LogSumExp" ? 1 : 2);
        double[] values;
        switch ((op, isFloat, axis))
        {
            case ("LogSumExp", true, 0): { var tv = new float[valueLength]; LogSumExp_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(s), tv); values = ToDouble(tv); break; }
            case ("LogSumExp", true, 1): { var tv = new float[valueLength]; LogSumExp_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(s), tv); values = ToDouble(tv); break; }
            case ("LogSumExp", false, 0): { var tv = new double[valueLength]; LogSumExp_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(s), tv); values = ToDouble(tv); break; }
            case ("LogSumExp", false, 1): { var tv = new double[valueLength]; LogSumExp_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(s), tv); values = ToDouble(tv); break; }
            case ("LogSumExpW", true, 0): { var tv = new float[valueLength]; LogSumExpW_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(z), Cast<float>(s), tv); values = ToDouble(tv); break; }
            case ("LogSumExpW", true, 1): { var tv = new float[valueLength]; LogSumExpW_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(z), Cast<float>(s), tv); values = ToDouble(tv); break; }
            case ("LogSumExpW", false, 0): { var tv = new double[valueLength]; LogSumExpW_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(z), Cast<double>(s), tv); values = ToDouble(tv); break; }
            case ("LogSumExpW", false, 1): { var tv = new double[valueLength]; LogSumExpW_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(z), Cast<double>(s), tv); values = ToDouble(tv); break; }
            case ("MaxSumShiftExp", true, 0): { var tv = new float[valueLength]; MaxSumShiftExp_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(s), tv); values = ToDouble(tv); break; }
            case ("MaxSumShiftExp", true, 1): { var tv = new float[valueLength]; MaxSumShiftExp_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(s), tv); values = ToDouble(tv); break; }
            case ("MaxSumShiftExp", false, 0): { var tv = new double[valueLength]; MaxSumShiftExp_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(s), tv); values = ToDouble(tv); break; }
            case ("MaxSumShiftExp", false, 1): { var tv = new double[valueLength]; MaxSumShiftExp_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(s), tv); values = ToDouble(tv); break; }
            case ("SumSoftMaxWeight", true, 0): { var tv = new float[valueLength]; SumSoftMaxWeight_float_0(Cast<float>(x), Cast<float>(y), Cast<float>(z), Cast<float>(s), tv); values = ToDouble(tv); break; }
            case ("SumSoftMaxWeight", true, 1): { var tv = new float[valueLength]; SumSoftMaxWeight_float_1(Cast<float>(x), Cast<float>(y), Cast<float>(z), Cast<float>(s), tv); values = ToDouble(tv); break; }
            case ("SumSoftMaxWeight", false, 0): { var tv = new double[valueLength]; SumSoftMaxWeight_double_0(Cast<double>(x), Cast<double>(y), Cast<double>(z), Cast<double>(s), tv); values = ToDouble(tv); break; }
            case ("SumSoftMaxWeight", false, 1): { var tv = new double[valueLength]; SumSoftMaxWeight_double_1(Cast<double>(x), Cast<double>(y), Cast<double>(z), Cast<double>(s), tv); values = ToDouble(tv); break; }
            default: throw new ArgumentException(op);
        }

        return values;
    }
}
