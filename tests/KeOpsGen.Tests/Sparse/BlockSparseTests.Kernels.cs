// The kernels of every (reduction, element type, axis): ReductionTests declares all but Sum (same
// formulas), the Sum ones are here; the tests call them through Dispatch.
using System;
using KeOpsGen.Tests.Numerics;

namespace KeOpsGen.Tests.Sparse;

public static partial class BlockSparseTests
{
    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Sum, Axis = 0, GradientOrder = 1)]
    private static partial void Sum_float_0(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Sum, Axis = 1, GradientOrder = 1)]
    private static partial void Sum_float_1(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<float> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Sum, Axis = 0, GradientOrder = 1)]
    private static partial void Sum_double_0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    [Reduction("(X - Y) * W", "X = Vi(2)", "Y = Vj(2)", "W = Vj(1)", Op = ReductionOp.Sum, Axis = 1, GradientOrder = 1)]
    private static partial void Sum_double_1(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> w, Span<double> values);

    /// <summary>Calls the kernel of (op, element type, axis) on the buffers of <paramref name="c"/>.</summary>
    private static void Dispatch(string name, Call c)
    {
        switch (name)
        {
            case "Sum_float_0": Sum_float_0(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Sum_float_1": Sum_float_1(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Sum_double_0": Sum_double_0(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "Sum_double_1": Sum_double_1(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "Min_float_0": ReductionTests.Min_float_0(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Min_float_1": ReductionTests.Min_float_1(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Min_double_0": ReductionTests.Min_double_0(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "Min_double_1": ReductionTests.Min_double_1(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "Max_float_0": ReductionTests.Max_float_0(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Max_float_1": ReductionTests.Max_float_1(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "Max_double_0": ReductionTests.Max_double_0(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "Max_double_1": ReductionTests.Max_double_1(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "ArgMin_float_0": ReductionTests.ArgMin_float_0(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgMin_float_1": ReductionTests.ArgMin_float_1(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgMin_double_0": ReductionTests.ArgMin_double_0(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "ArgMin_double_1": ReductionTests.ArgMin_double_1(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "ArgMax_float_0": ReductionTests.ArgMax_float_0(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgMax_float_1": ReductionTests.ArgMax_float_1(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgMax_double_0": ReductionTests.ArgMax_double_0(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "ArgMax_double_1": ReductionTests.ArgMax_double_1(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "MinArgMin_float_0": ReductionTests.MinArgMin_float_0(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "MinArgMin_float_1": ReductionTests.MinArgMin_float_1(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "MinArgMin_double_0": ReductionTests.MinArgMin_double_0(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "MinArgMin_double_1": ReductionTests.MinArgMin_double_1(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "MaxArgMax_float_0": ReductionTests.MaxArgMax_float_0(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "MaxArgMax_float_1": ReductionTests.MaxArgMax_float_1(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "MaxArgMax_double_0": ReductionTests.MaxArgMax_double_0(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "MaxArgMax_double_1": ReductionTests.MaxArgMax_double_1(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "KMin_float_0": ReductionTests.KMin_float_0(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "KMin_float_1": ReductionTests.KMin_float_1(c.FX, c.FY, c.FW, c.FValues, c.Options); break;
            case "KMin_double_0": ReductionTests.KMin_double_0(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "KMin_double_1": ReductionTests.KMin_double_1(c.DX, c.DY, c.DW, c.DValues, c.Options); break;
            case "ArgKMin_float_0": ReductionTests.ArgKMin_float_0(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgKMin_float_1": ReductionTests.ArgKMin_float_1(c.FX, c.FY, c.FW, c.Indices, c.Options); break;
            case "ArgKMin_double_0": ReductionTests.ArgKMin_double_0(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "ArgKMin_double_1": ReductionTests.ArgKMin_double_1(c.DX, c.DY, c.DW, c.Indices, c.Options); break;
            case "KMinArgKMin_float_0": ReductionTests.KMinArgKMin_float_0(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "KMinArgKMin_float_1": ReductionTests.KMinArgKMin_float_1(c.FX, c.FY, c.FW, c.FValues, c.Indices, c.Options); break;
            case "KMinArgKMin_double_0": ReductionTests.KMinArgKMin_double_0(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "KMinArgKMin_double_1": ReductionTests.KMinArgKMin_double_1(c.DX, c.DY, c.DW, c.DValues, c.Indices, c.Options); break;
            case "LogSumExp_float_0": ReductionTests.LogSumExp_float_0(c.FX, c.FY, c.FS, c.FValues, c.Options); break;
            case "LogSumExp_float_1": ReductionTests.LogSumExp_float_1(c.FX, c.FY, c.FS, c.FValues, c.Options); break;
            case "LogSumExp_double_0": ReductionTests.LogSumExp_double_0(c.DX, c.DY, c.DS, c.DValues, c.Options); break;
            case "LogSumExp_double_1": ReductionTests.LogSumExp_double_1(c.DX, c.DY, c.DS, c.DValues, c.Options); break;
            case "LogSumExpW_float_0": ReductionTests.LogSumExpW_float_0(c.FX, c.FY, c.FZ, c.FS, c.FValues, c.Options); break;
            case "LogSumExpW_float_1": ReductionTests.LogSumExpW_float_1(c.FX, c.FY, c.FZ, c.FS, c.FValues, c.Options); break;
            case "LogSumExpW_double_0": ReductionTests.LogSumExpW_double_0(c.DX, c.DY, c.DZ, c.DS, c.DValues, c.Options); break;
            case "LogSumExpW_double_1": ReductionTests.LogSumExpW_double_1(c.DX, c.DY, c.DZ, c.DS, c.DValues, c.Options); break;
            case "MaxSumShiftExp_float_0": ReductionTests.MaxSumShiftExp_float_0(c.FX, c.FY, c.FS, c.FValues, c.Options); break;
            case "MaxSumShiftExp_float_1": ReductionTests.MaxSumShiftExp_float_1(c.FX, c.FY, c.FS, c.FValues, c.Options); break;
            case "MaxSumShiftExp_double_0": ReductionTests.MaxSumShiftExp_double_0(c.DX, c.DY, c.DS, c.DValues, c.Options); break;
            case "MaxSumShiftExp_double_1": ReductionTests.MaxSumShiftExp_double_1(c.DX, c.DY, c.DS, c.DValues, c.Options); break;
            case "SumSoftMaxWeight_float_0": ReductionTests.SumSoftMaxWeight_float_0(c.FX, c.FY, c.FZ, c.FS, c.FValues, c.Options); break;
            case "SumSoftMaxWeight_float_1": ReductionTests.SumSoftMaxWeight_float_1(c.FX, c.FY, c.FZ, c.FS, c.FValues, c.Options); break;
            case "SumSoftMaxWeight_double_0": ReductionTests.SumSoftMaxWeight_double_0(c.DX, c.DY, c.DZ, c.DS, c.DValues, c.Options); break;
            case "SumSoftMaxWeight_double_1": ReductionTests.SumSoftMaxWeight_double_1(c.DX, c.DY, c.DZ, c.DS, c.DValues, c.Options); break;
            default: throw new ArgumentException("no kernel " + name);
        }
    }
}
