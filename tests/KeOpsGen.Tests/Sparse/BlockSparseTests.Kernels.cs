// One kernel per (reduction, element type, axis), written out by a script; the tests call them through Dispatch.
using System;

namespace KeOpsGen.Tests.Sparse;

public static partial class BlockSparseTests
{
    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Sum, Axis = 0)]
    private static partial void Sum_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Sum, Axis = 1)]
    private static partial void Sum_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Sum, Axis = 0)]
    private static partial void Sum_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Sum, Axis = 1)]
    private static partial void Sum_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Min, Axis = 0)]
    private static partial void Min_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Min, Axis = 1)]
    private static partial void Min_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Min, Axis = 0)]
    private static partial void Min_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Min, Axis = 1)]
    private static partial void Min_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Max, Axis = 0)]
    private static partial void Max_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Max, Axis = 1)]
    private static partial void Max_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Max, Axis = 0)]
    private static partial void Max_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Max, Axis = 1)]
    private static partial void Max_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMin, Axis = 0)]
    private static partial void ArgMin_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMin, Axis = 1)]
    private static partial void ArgMin_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMin, Axis = 0)]
    private static partial void ArgMin_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMin, Axis = 1)]
    private static partial void ArgMin_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMax, Axis = 0)]
    private static partial void ArgMax_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMax, Axis = 1)]
    private static partial void ArgMax_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMax, Axis = 0)]
    private static partial void ArgMax_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgMax, Axis = 1)]
    private static partial void ArgMax_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MinArgMin, Axis = 0)]
    private static partial void MinArgMin_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MinArgMin, Axis = 1)]
    private static partial void MinArgMin_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MinArgMin, Axis = 0)]
    private static partial void MinArgMin_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MinArgMin, Axis = 1)]
    private static partial void MinArgMin_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MaxArgMax, Axis = 0)]
    private static partial void MaxArgMax_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MaxArgMax, Axis = 1)]
    private static partial void MaxArgMax_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MaxArgMax, Axis = 0)]
    private static partial void MaxArgMax_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.MaxArgMax, Axis = 1)]
    private static partial void MaxArgMax_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMin, Axis = 0, K = 3)]
    private static partial void KMin_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMin, Axis = 1, K = 3)]
    private static partial void KMin_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMin, Axis = 0, K = 3)]
    private static partial void KMin_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMin, Axis = 1, K = 3)]
    private static partial void KMin_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgKMin, Axis = 0, K = 3)]
    private static partial void ArgKMin_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgKMin, Axis = 1, K = 3)]
    private static partial void ArgKMin_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgKMin, Axis = 0, K = 3)]
    private static partial void ArgKMin_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.ArgKMin, Axis = 1, K = 3)]
    private static partial void ArgKMin_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMinArgKMin, Axis = 0, K = 3)]
    private static partial void KMinArgKMin_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMinArgKMin, Axis = 1, K = 3)]
    private static partial void KMinArgKMin_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMinArgKMin, Axis = 0, K = 3)]
    private static partial void KMinArgKMin_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.KMinArgKMin, Axis = 1, K = 3)]
    private static partial void KMinArgKMin_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values, Span<int> indices);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 0)]
    private static partial void LogSumExp_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 1)]
    private static partial void LogSumExp_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 0)]
    private static partial void LogSumExp_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, Span<double> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Axis = 1)]
    private static partial void LogSumExp_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, Span<double> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Weight = "Z", Axis = 0)]
    private static partial void LogSumExpW_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<float> s, Span<float> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Weight = "Z", Axis = 1)]
    private static partial void LogSumExpW_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<float> s, Span<float> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Weight = "Z", Axis = 0)]
    private static partial void LogSumExpW_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, ReadOnlySpan<double> s, Span<double> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.LogSumExp, Weight = "Z", Axis = 1)]
    private static partial void LogSumExpW_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, ReadOnlySpan<double> s, Span<double> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.MaxSumShiftExp, Axis = 0)]
    private static partial void MaxSumShiftExp_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.MaxSumShiftExp, Axis = 1)]
    private static partial void MaxSumShiftExp_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> s, Span<float> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.MaxSumShiftExp, Axis = 0)]
    private static partial void MaxSumShiftExp_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, Span<double> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "S = Pm(1)", Op = ReductionOp.MaxSumShiftExp, Axis = 1)]
    private static partial void MaxSumShiftExp_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> s, Span<double> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "Z", Axis = 0)]
    private static partial void SumSoftMaxWeight_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<float> s, Span<float> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "Z", Axis = 1)]
    private static partial void SumSoftMaxWeight_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, ReadOnlySpan<float> s, Span<float> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "Z", Axis = 0)]
    private static partial void SumSoftMaxWeight_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, ReadOnlySpan<double> s, Span<double> values);

    [Reduction("S * Sum(X * Y)", "X = Vi(3)", "Y = Vj(3)", "Z = Vj(2)", "S = Pm(1)", Op = ReductionOp.SumSoftMaxWeight, Weight = "Z", Axis = 1)]
    private static partial void SumSoftMaxWeight_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, ReadOnlySpan<double> s, Span<double> values);

    /// <summary>Calls the kernel of (op, element type, axis) on the buffers of <paramref name="c"/>.</summary>
    private static void Dispatch(string name, Call c)
    {
        switch (name)
        {
            case "Sum_float_0": Sum_float_0(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Sum_float_1": Sum_float_1(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Sum_double_0": Sum_double_0(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "Sum_double_1": Sum_double_1(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "Min_float_0": Min_float_0(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Min_float_1": Min_float_1(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Min_double_0": Min_double_0(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "Min_double_1": Min_double_1(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "Max_float_0": Max_float_0(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Max_float_1": Max_float_1(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Max_double_0": Max_double_0(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "Max_double_1": Max_double_1(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "ArgMin_float_0": ArgMin_float_0(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgMin_float_1": ArgMin_float_1(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgMin_double_0": ArgMin_double_0(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "ArgMin_double_1": ArgMin_double_1(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "ArgMax_float_0": ArgMax_float_0(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgMax_float_1": ArgMax_float_1(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgMax_double_0": ArgMax_double_0(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "ArgMax_double_1": ArgMax_double_1(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "MinArgMin_float_0": MinArgMin_float_0(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "MinArgMin_float_1": MinArgMin_float_1(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "MinArgMin_double_0": MinArgMin_double_0(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "MinArgMin_double_1": MinArgMin_double_1(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "MaxArgMax_float_0": MaxArgMax_float_0(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "MaxArgMax_float_1": MaxArgMax_float_1(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "MaxArgMax_double_0": MaxArgMax_double_0(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "MaxArgMax_double_1": MaxArgMax_double_1(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "KMin_float_0": KMin_float_0(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "KMin_float_1": KMin_float_1(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "KMin_double_0": KMin_double_0(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "KMin_double_1": KMin_double_1(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "ArgKMin_float_0": ArgKMin_float_0(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgKMin_float_1": ArgKMin_float_1(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgKMin_double_0": ArgKMin_double_0(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "ArgKMin_double_1": ArgKMin_double_1(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "KMinArgKMin_float_0": KMinArgKMin_float_0(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "KMinArgKMin_float_1": KMinArgKMin_float_1(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "KMinArgKMin_double_0": KMinArgKMin_double_0(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "KMinArgKMin_double_1": KMinArgKMin_double_1(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "LogSumExp_float_0": LogSumExp_float_0(c.FX, c.FY, c.FS, c.FValues, c.Options); break;
            case "LogSumExp_float_1": LogSumExp_float_1(c.FX, c.FY, c.FS, c.FValues, c.Options); break;
            case "LogSumExp_double_0": LogSumExp_double_0(c.DX, c.DY, c.DS, c.DValues, c.Options); break;
            case "LogSumExp_double_1": LogSumExp_double_1(c.DX, c.DY, c.DS, c.DValues, c.Options); break;
            case "LogSumExpW_float_0": LogSumExpW_float_0(c.FX, c.FY, c.FZ, c.FS, c.FValues, c.Options); break;
            case "LogSumExpW_float_1": LogSumExpW_float_1(c.FX, c.FY, c.FZ, c.FS, c.FValues, c.Options); break;
            case "LogSumExpW_double_0": LogSumExpW_double_0(c.DX, c.DY, c.DZ, c.DS, c.DValues, c.Options); break;
            case "LogSumExpW_double_1": LogSumExpW_double_1(c.DX, c.DY, c.DZ, c.DS, c.DValues, c.Options); break;
            case "MaxSumShiftExp_float_0": MaxSumShiftExp_float_0(c.FX, c.FY, c.FS, c.FValues, c.Options); break;
            case "MaxSumShiftExp_float_1": MaxSumShiftExp_float_1(c.FX, c.FY, c.FS, c.FValues, c.Options); break;
            case "MaxSumShiftExp_double_0": MaxSumShiftExp_double_0(c.DX, c.DY, c.DS, c.DValues, c.Options); break;
            case "MaxSumShiftExp_double_1": MaxSumShiftExp_double_1(c.DX, c.DY, c.DS, c.DValues, c.Options); break;
            case "SumSoftMaxWeight_float_0": SumSoftMaxWeight_float_0(c.FX, c.FY, c.FZ, c.FS, c.FValues, c.Options); break;
            case "SumSoftMaxWeight_float_1": SumSoftMaxWeight_float_1(c.FX, c.FY, c.FZ, c.FS, c.FValues, c.Options); break;
            case "SumSoftMaxWeight_double_0": SumSoftMaxWeight_double_0(c.DX, c.DY, c.DZ, c.DS, c.DValues, c.Options); break;
            case "SumSoftMaxWeight_double_1": SumSoftMaxWeight_double_1(c.DX, c.DY, c.DZ, c.DS, c.DValues, c.Options); break;
            default: throw new ArgumentException("no kernel " + name);
        }
    }
}
