using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gradients;

/// <summary>
/// Generated gradient methods of the LogSumExp family and of the selecting reductions (Min, Max,
/// KMin and their Arg forms) against central finite differences of the generated forward method,
/// on both axes, in double.
/// </summary>
public static partial class ReductionFamilyGradientTests
{
    // Central differences of s = <gradOutput, M(inputs)> with h = 1e-6. The LogSumExp family is
    // smooth with third derivatives of order 10 on these ranges: truncation h²·|s'''|/6 < 1e-10
    // relative, covered by RelativeTolerance with margin. Rounding of s is about eps·Σ|g·out| /h =
    // 2.2e-10·scale, times a small factor for the engine's summation order (RoundingTolerance).
    // Away from ties the selecting reductions are locally the polynomial F at fixed pairs, so the
    // same bounds hold.
    private const double Step = 1e-6;
    private const double RelativeTolerance = 1e-6;
    private const double RoundingTolerance = 1e-8;

    // Finite differences of Min/Max/KMin are only valid where the selection does not change under a
    // perturbation of ±h: inputs are redrawn until the K+1 best values of every row and component
    // are at least this far apart (1e-4 ≫ 2h·|∂F| ≈ 1e-5 for these formulas).
    private const double MinimumGap = 1e-4;

    private delegate void Forward(double[][] inputs, Span<double> values);

    private delegate void Backward(double[][] inputs, ReadOnlySpan<double> gradOutput, Span<double> result);

    // out_i = log Σ_j exp(a_j − g|x_i − y_j|²).
    [Reduction("A-G*SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", "A = Vj(1)", "G = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 1, GradientOrder = 1)]
    private static partial void LseJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("A-G*SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", "A = Vj(1)", "G = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 0, GradientOrder = 1)]
    private static partial void LseI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> g, Span<double> result);

    // A positive weight depending on both sides, so that every log is finite.
    [Reduction("A-G*SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", "A = Vj(1)", "G = Pm(1)", "W = Vj(2)", Op = ReductionOp.LogSumExp, Weight = "Exp(W+Sin(X))", Axis = 1, GradientOrder = 1)]
    private static partial void WeightedLseJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> g, ReadOnlySpan<double> w, Span<double> result);

    [Reduction("A-G*SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", "A = Vj(1)", "G = Pm(1)", "W = Vj(2)", Op = ReductionOp.LogSumExp, Weight = "Exp(W+Sin(X))", Axis = 0, GradientOrder = 1)]
    private static partial void WeightedLseI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> g, ReadOnlySpan<double> w, Span<double> result);

    [Reduction("A-G*SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", "A = Vj(1)", "G = Pm(1)", "W = Vj(2)", Op = ReductionOp.SumSoftMaxWeight, Weight = "W*Cos(X)+Y", Axis = 1, GradientOrder = 1)]
    private static partial void SoftMaxJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> g, ReadOnlySpan<double> w, Span<double> result);

    [Reduction("A-G*SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", "A = Vj(1)", "G = Pm(1)", "W = Vj(2)", Op = ReductionOp.SumSoftMaxWeight, Weight = "W*Cos(X)+Y", Axis = 0, GradientOrder = 1)]
    private static partial void SoftMaxI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> g, ReadOnlySpan<double> w, Span<double> result);

    // The selecting reductions share F_k = b_jk |x_i − y_j|² + g x_ik (see SelectingF below).
    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.Min, Axis = 1, GradientOrder = 1)]
    private static partial void MinJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.Min, Axis = 0, GradientOrder = 1)]
    private static partial void MinI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.Max, Axis = 1, GradientOrder = 1)]
    private static partial void MaxJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.Max, Axis = 0, GradientOrder = 1)]
    private static partial void MaxI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.MinArgMin, Axis = 1, GradientOrder = 1)]
    private static partial void MinArgMinJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> values, Span<int> indices);

    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.MaxArgMax, Axis = 0, GradientOrder = 1)]
    private static partial void MaxArgMaxI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> values, Span<int> indices);

    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.KMin, K = 3, Axis = 1, GradientOrder = 1)]
    private static partial void KMinJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.KMin, K = 3, Axis = 0, GradientOrder = 1)]
    private static partial void KMinI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.KMinArgKMin, K = 3, Axis = 1, GradientOrder = 1)]
    private static partial void KMinArgKMinJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> values, Span<int> indices);

    // Zero gradients (piecewise constant) and KeOps' pseudo-gradient: no gradient methods.
    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.ArgMin, Axis = 1, GradientOrder = 1)]
    private static partial void ArgMinJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<int> indices);

    [Reduction("B*SqDist(X,Y)+G*X", "X = Vi(2)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)", Op = ReductionOp.ArgKMin, K = 2, Axis = 1, GradientOrder = 1)]
    private static partial void ArgKMinJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<int> indices);

    [Reduction("A-G*SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", "A = Vj(1)", "G = Pm(1)", Op = ReductionOp.MaxSumShiftExp, Axis = 1, GradientOrder = 1)]
    private static partial void ShiftJ(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> g, Span<double> result);

    private sealed record Case(Forward Forward, Backward[] Backward, int[] Dims, char[] Categories, int OutputWidth, int Axis, int Selecting, int K);

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string name in new[]
        {
            "LseJ", "LseI", "WeightedLseJ", "WeightedLseI", "SoftMaxJ", "SoftMaxI", "MinJ", "MinI", "MaxJ", "MaxI",
            "MinArgMinJ", "MaxArgMaxI", "KMinJ", "KMinI", "KMinArgKMinJ",
        })
        {
            data.Add(name, 1, 1);
            data.Add(name, 7, 13);
            data.Add(name, 40, 55);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public static void GradientMethodsMatchFiniteDifferences(string name, int m, int n)
    {
        var random = new SeededRandom(nameof(GradientMethodsMatchFiniteDifferences), name, m, n);
        Case c = Declaration(name);
        double[][] inputs = Inputs(random, c, m, n);
        int outputRows = c.Axis == 1 ? m : n;
        int width = c.OutputWidth;
        double[] gradOutput = random.Doubles(outputRows * width, -1, 1);

        // KMin slots beyond the reduced size hold +∞ with index −1: they carry no gradient, and the
        // finite differences leave them out of s.
        var values = new double[outputRows * width];
        c.Forward(inputs, values);
        bool[] finite = values.Select(double.IsFinite).ToArray();
        Assert.True(finite.Count(f => !f) == (c.K > 0 ? outputRows * 2 * Math.Max(0, c.K - (c.Axis == 1 ? n : m)) : 0), $"{random}: unexpected non-finite outputs");
        for (int p = 0; p < inputs.Length; p++)
        {
            var symbolic = new double[inputs[p].Length];
            Array.Fill(symbolic, double.NaN);
            c.Backward[p](inputs, gradOutput, symbolic);
            CheckAgainstFiniteDifferences($"{name} grad of input {p}", random, c, inputs, p, gradOutput, finite, symbolic);
        }
    }

    [Theory]
    [InlineData("LseJ", 6, 9)]
    [InlineData("SoftMaxJ", 11, 17)]
    [InlineData("KMinJ", 8, 12)]
    public static void ParameterGradientIsTheSumOfPerRowGradients(string name, int m, int n)
    {
        var random = new SeededRandom(nameof(ParameterGradientIsTheSumOfPerRowGradients), name, m, n);
        Case c = Declaration(name);
        double[][] inputs = Inputs(random, c, m, n);
        int width = c.OutputWidth;
        double[] gradOutput = random.Doubles(m * width, -1, 1);
        int g = Array.IndexOf(c.Categories, 'p');
        var whole = new double[1];
        c.Backward[g](inputs, gradOutput, whole);
        double sum = 0;
        var row = new double[1];
        for (int i = 0; i < m; i++)
        {
            // Output row i alone: the i-variables cut to row i, the others unchanged.
            double[][] one = inputs.Select((v, k) => c.Categories[k] == 'i' ? v.AsSpan(i * c.Dims[k], c.Dims[k]).ToArray() : v).ToArray();
            c.Backward[g](one, gradOutput.AsSpan(i * width, width), row);
            sum += row[0];
        }

        // The same terms summed in another order: double rounding of ≤ m·n terms of size ≤ 10.
        Assert.True(Math.Abs(whole[0] - sum) <= 1e-12 * Math.Max(1, Math.Abs(sum)) * m * n, $"{random}: {whole[0]} vs {sum}");
    }

    [Fact]
    public static void ZeroGradientReductionsAndMaxSumShiftExpHaveNoGradientMethods()
    {
        const BindingFlags flags = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;
        string[] methods = typeof(ReductionFamilyGradientTests).GetMethods(flags).Select(m => m.Name).ToArray();
        foreach (string forward in new[] { "ArgMinJ", "ArgKMinJ", "ShiftJ" })
        {
            Assert.Contains(forward, methods);
            Assert.DoesNotContain(methods, m => m.StartsWith(forward + "Grad", StringComparison.Ordinal));
        }

        // The differentiable reductions do get one per input.
        foreach (string input in new[] { "X", "Y", "B", "G" })
        {
            Assert.Contains("MinArgMinJGrad" + input, methods);
        }
    }

    private static Case Declaration(string name)
    {
        int[] lse = { 2, 2, 1, 1 };
        char[] lseCategories = { 'i', 'j', 'j', 'p' };
        int[] weighted = { 2, 2, 1, 1, 2 };
        char[] weightedCategories = { 'i', 'j', 'j', 'p', 'j' };
        int[] selecting = { 2, 2, 2, 1 };
        char[] selectingCategories = { 'i', 'j', 'j', 'p' };
        return name switch
        {
            "LseJ" => new(
                (v, r) => LseJ(v[0], v[1], v[2], v[3], r),
                new Backward[] { (v, e, r) => LseJGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => LseJGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => LseJGradA(v[0], v[1], v[2], v[3], e, r), (v, e, r) => LseJGradG(v[0], v[1], v[2], v[3], e, r) },
                lse, lseCategories, 1, 1, 0, 0),
            "LseI" => new(
                (v, r) => LseI(v[0], v[1], v[2], v[3], r),
                new Backward[] { (v, e, r) => LseIGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => LseIGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => LseIGradA(v[0], v[1], v[2], v[3], e, r), (v, e, r) => LseIGradG(v[0], v[1], v[2], v[3], e, r) },
                lse, lseCategories, 1, 0, 0, 0),
            "WeightedLseJ" => new(
                (v, r) => WeightedLseJ(v[0], v[1], v[2], v[3], v[4], r),
                new Backward[] { (v, e, r) => WeightedLseJGradX(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => WeightedLseJGradY(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => WeightedLseJGradA(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => WeightedLseJGradG(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => WeightedLseJGradW(v[0], v[1], v[2], v[3], v[4], e, r) },
                weighted, weightedCategories, 2, 1, 0, 0),
            "WeightedLseI" => new(
                (v, r) => WeightedLseI(v[0], v[1], v[2], v[3], v[4], r),
                new Backward[] { (v, e, r) => WeightedLseIGradX(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => WeightedLseIGradY(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => WeightedLseIGradA(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => WeightedLseIGradG(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => WeightedLseIGradW(v[0], v[1], v[2], v[3], v[4], e, r) },
                weighted, weightedCategories, 2, 0, 0, 0),
            "SoftMaxJ" => new(
                (v, r) => SoftMaxJ(v[0], v[1], v[2], v[3], v[4], r),
                new Backward[] { (v, e, r) => SoftMaxJGradX(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => SoftMaxJGradY(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => SoftMaxJGradA(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => SoftMaxJGradG(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => SoftMaxJGradW(v[0], v[1], v[2], v[3], v[4], e, r) },
                weighted, weightedCategories, 2, 1, 0, 0),
            "SoftMaxI" => new(
                (v, r) => SoftMaxI(v[0], v[1], v[2], v[3], v[4], r),
                new Backward[] { (v, e, r) => SoftMaxIGradX(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => SoftMaxIGradY(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => SoftMaxIGradA(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => SoftMaxIGradG(v[0], v[1], v[2], v[3], v[4], e, r), (v, e, r) => SoftMaxIGradW(v[0], v[1], v[2], v[3], v[4], e, r) },
                weighted, weightedCategories, 2, 0, 0, 0),
            "MinJ" => new(
                (v, r) => MinJ(v[0], v[1], v[2], v[3], r),
                new Backward[] { (v, e, r) => MinJGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MinJGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MinJGradB(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MinJGradG(v[0], v[1], v[2], v[3], e, r) },
                selecting, selectingCategories, 2, 1, -1, 1),
            "MinI" => new(
                (v, r) => MinI(v[0], v[1], v[2], v[3], r),
                new Backward[] { (v, e, r) => MinIGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MinIGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MinIGradB(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MinIGradG(v[0], v[1], v[2], v[3], e, r) },
                selecting, selectingCategories, 2, 0, -1, 1),
            "MaxJ" => new(
                (v, r) => MaxJ(v[0], v[1], v[2], v[3], r),
                new Backward[] { (v, e, r) => MaxJGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MaxJGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MaxJGradB(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MaxJGradG(v[0], v[1], v[2], v[3], e, r) },
                selecting, selectingCategories, 2, 1, 1, 1),
            "MaxI" => new(
                (v, r) => MaxI(v[0], v[1], v[2], v[3], r),
                new Backward[] { (v, e, r) => MaxIGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MaxIGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MaxIGradB(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MaxIGradG(v[0], v[1], v[2], v[3], e, r) },
                selecting, selectingCategories, 2, 0, 1, 1),
            "MinArgMinJ" => new(
                (v, r) => MinArgMinJ(v[0], v[1], v[2], v[3], r, new int[r.Length]),
                new Backward[] { (v, e, r) => MinArgMinJGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MinArgMinJGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MinArgMinJGradB(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MinArgMinJGradG(v[0], v[1], v[2], v[3], e, r) },
                selecting, selectingCategories, 2, 1, -1, 1),
            "MaxArgMaxI" => new(
                (v, r) => MaxArgMaxI(v[0], v[1], v[2], v[3], r, new int[r.Length]),
                new Backward[] { (v, e, r) => MaxArgMaxIGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MaxArgMaxIGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MaxArgMaxIGradB(v[0], v[1], v[2], v[3], e, r), (v, e, r) => MaxArgMaxIGradG(v[0], v[1], v[2], v[3], e, r) },
                selecting, selectingCategories, 2, 0, 1, 1),
            "KMinJ" => new(
                (v, r) => KMinJ(v[0], v[1], v[2], v[3], r),
                new Backward[] { (v, e, r) => KMinJGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => KMinJGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => KMinJGradB(v[0], v[1], v[2], v[3], e, r), (v, e, r) => KMinJGradG(v[0], v[1], v[2], v[3], e, r) },
                selecting, selectingCategories, 6, 1, -1, 3),
            "KMinI" => new(
                (v, r) => KMinI(v[0], v[1], v[2], v[3], r),
                new Backward[] { (v, e, r) => KMinIGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => KMinIGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => KMinIGradB(v[0], v[1], v[2], v[3], e, r), (v, e, r) => KMinIGradG(v[0], v[1], v[2], v[3], e, r) },
                selecting, selectingCategories, 6, 0, -1, 3),
            "KMinArgKMinJ" => new(
                (v, r) => KMinArgKMinJ(v[0], v[1], v[2], v[3], r, new int[r.Length]),
                new Backward[] { (v, e, r) => KMinArgKMinJGradX(v[0], v[1], v[2], v[3], e, r), (v, e, r) => KMinArgKMinJGradY(v[0], v[1], v[2], v[3], e, r), (v, e, r) => KMinArgKMinJGradB(v[0], v[1], v[2], v[3], e, r), (v, e, r) => KMinArgKMinJGradG(v[0], v[1], v[2], v[3], e, r) },
                selecting, selectingCategories, 6, 1, -1, 3),
            _ => throw new ArgumentException(name, nameof(name)),
        };
    }

    private static double[][] Inputs(SeededRandom random, Case c, int m, int n)
    {
        for (int attempt = 0; ; attempt++)
        {
            double[][] inputs = c.Dims.Select((dim, k) => c.Categories[k] switch
            {
                'i' => random.Doubles(m * dim, -1, 1),
                'j' => random.Doubles(n * dim, -1, 1),
                _ => random.Doubles(dim, 0.5, 1.5),
            }).ToArray();
            if (c.Selecting == 0 || TieFree(inputs, c, m, n))
            {
                return inputs;
            }

            // With 55 candidates the chance of a gap below 1e-4 among the best four is a few percent.
            Assert.True(attempt < 200, $"{random}: no tie-free draw found");
        }
    }

    /// <summary>Independent float64 reference of the selecting reductions' F: b_jk |x_i − y_j|² + g x_ik.</summary>
    private static double SelectingF(double[][] v, int i, int j, int k)
    {
        double dx = v[0][i * 2] - v[1][j * 2], dy = v[0][(i * 2) + 1] - v[1][(j * 2) + 1];
        return (v[2][(j * 2) + k] * ((dx * dx) + (dy * dy))) + (v[3][0] * v[0][(i * 2) + k]);
    }

    private static bool TieFree(double[][] inputs, Case c, int m, int n)
    {
        int rows = c.Axis == 1 ? m : n, reduced = c.Axis == 1 ? n : m;
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < 2; k++)
            {
                double[] terms = Enumerable.Range(0, reduced).Select(s => c.Selecting * (c.Axis == 1 ? SelectingF(inputs, r, s, k) : SelectingF(inputs, s, r, k))).OrderByDescending(t => t).Take(c.K + 1).ToArray();
                for (int t = 1; t < terms.Length; t++)
                {
                    if (terms[t - 1] - terms[t] < MinimumGap)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static void CheckAgainstFiniteDifferences(string what, SeededRandom random, Case c, double[][] inputs, int p, double[] gradOutput, bool[] finite, double[] symbolic)
    {
        var values = new double[gradOutput.Length];
        double Contracted()
        {
            c.Forward(inputs, values);
            double s = 0;
            for (int k = 0; k < values.Length; k++)
            {
                s += finite[k] ? gradOutput[k] * values[k] : 0;
            }

            return s;
        }

        _ = Contracted();
        double scale = 0;
        for (int k = 0; k < values.Length; k++)
        {
            scale += finite[k] ? Math.Abs(gradOutput[k]) * (1 + Math.Abs(values[k])) : 0;
        }

        // Every entry of small inputs; 8 random entries (and the first and last) of larger ones.
        double[] x = inputs[p];
        IEnumerable<int> entries = x.Length <= 30
            ? Enumerable.Range(0, x.Length)
            : new[] { 0, x.Length - 1 }.Concat(Enumerable.Range(0, 8).Select(_ => random.Next(x.Length))).Distinct();
        foreach (int e in entries)
        {
            double original = x[e];
            x[e] = original + Step;
            double plus = Contracted();
            x[e] = original - Step;
            double minus = Contracted();
            x[e] = original;
            double fd = (plus - minus) / (2 * Step);
            double tolerance = (RelativeTolerance * Math.Abs(fd)) + (RoundingTolerance * Math.Max(1, scale));
            Assert.True(Math.Abs(symbolic[e] - fd) <= tolerance,
                $"{random} {what}, entry {e}: generated {symbolic[e]} vs finite differences {fd} (tolerance {tolerance})");
        }
    }
}
