using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Tests.Gradients;
using KeOpsGen.Tests.Numerics;
using Xunit;

namespace KeOpsGen.Tests.Gpu;

/// <summary>
/// The numerical suite again, through the generated ILGPU kernels on ILGPU's CPU accelerator
/// (<see cref="Backend.IlgpuCpu"/>): every reduction (both axes, float and double), the summation
/// schemes, the edge cases and every gradient method, each test body unchanged, so the GPU kernels
/// meet the same float64 references and finite differences as the CPU engine. Sizes are small
/// (the CPU accelerator runs a thread group of 16 as 16 synchronized threads) but cover partial
/// groups and several tiles. The operation table runs through it in <see cref="OperationTableTests"/>.
/// </summary>
public static class IlgpuSuiteTests
{
    private static readonly (int M, int N)[] SmallSizes = { (1, 1), (17, 17), (5, 40) };

    private static void OnIlgpuCpu(Action test)
    {
        using (ComputeBackend.Use(Backend.IlgpuCpu))
        {
            test();
        }
    }

    public static IEnumerable<object[]> MinFamilyCases =>
        from op in new[] { "Min", "Max", "ArgMin", "ArgMax", "MinArgMin", "MaxArgMax", "KMin", "ArgKMin", "KMinArgKMin" }
        from isFloat in new[] { true, false }
        from axis in new[] { 0, 1 }
        from size in SmallSizes
        select new object[] { op, isFloat, axis, size.M, size.N };

    public static IEnumerable<object[]> ShiftExpCases =>
        from op in new[] { "LogSumExp", "LogSumExpW", "MaxSumShiftExp", "SumSoftMaxWeight" }
        from isFloat in new[] { true, false }
        from axis in new[] { 0, 1 }
        from size in SmallSizes
        select new object[] { op, isFloat, axis, size.M, size.N };

    [Theory]
    [MemberData(nameof(MinFamilyCases))]
    public static void MinFamily(string op, bool isFloat, int axis, int m, int n)
        => OnIlgpuCpu(() => ReductionTests.MinFamilyMatchesReference(op, isFloat, axis, m, n));

    [Theory]
    [MemberData(nameof(ShiftExpCases))]
    public static void ShiftExpFamily(string op, bool isFloat, int axis, int m, int n)
        => OnIlgpuCpu(() => ReductionTests.ShiftExpFamilyMatchesReference(op, isFloat, axis, m, n));

    [Theory]
    [InlineData("ArgMin", true, 0)]
    [InlineData("ArgMax", false, 1)]
    [InlineData("MinArgMin", true, 1)]
    [InlineData("MaxArgMax", false, 0)]
    [InlineData("ArgKMin", true, 1)]
    [InlineData("KMinArgKMin", false, 0)]
    public static void TiesGoToTheFirstIndex(string op, bool isFloat, int axis)
        => OnIlgpuCpu(() =>
        {
            ReductionTests.AllEqualTermsGiveTheFirstIndices(op, isFloat, axis);
            ReductionTests.DuplicatedExtremeGoesToTheLowerIndex(op, isFloat, axis);
        });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public static void NaNAndEmptyReductions(bool isFloat)
        => OnIlgpuCpu(() =>
        {
            ReductionTests.MinSkipsNaNTerms(isFloat);
            ReductionTests.EmptyReducedSideGivesIdentities(isFloat);
            ReductionNumericsTests.EmptyReducedSideGivesZeros();
            ReductionNumericsTests.EmptyOutputSideIsANoOp();
        });

    [Theory]
    [InlineData("LogSumExp", true, 1)]
    [InlineData("LogSumExp", false, 0)]
    [InlineData("LogSumExpW", true, 1)]
    [InlineData("MaxSumShiftExp", false, 1)]
    [InlineData("SumSoftMaxWeight", true, 0)]
    public static void ShiftExpDoesNotOverflowForLargeF(string op, bool isFloat, int axis)
        => OnIlgpuCpu(() => ReductionTests.ShiftExpFamilyDoesNotOverflowForLargeF(op, isFloat, axis));

    [Theory]
    [InlineData("Kahan")]
    [InlineData("Double")]
    public static void ShiftExpAccuracyOptions(string option)
        => OnIlgpuCpu(() => ReductionTests.ShiftExpAccuracyOptionsMatchReference(option));

    [Theory]
    [InlineData("Block", 2e-5)]
    [InlineData("Kahan", 2e-6)]
    [InlineData("Direct", 1e-4)]
    [InlineData("AccumulationDouble", 2e-6)]
    public static void SumSchemes(string scheme, double tolerance)
        => OnIlgpuCpu(() => ReductionNumericsTests.SumSchemesMatchTheReference(scheme, tolerance));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(17, 40)]
    public static void SumFamilies(int m, int n)
        => OnIlgpuCpu(() =>
        {
            ReductionNumericsTests.GaussianFloat(m, n);
            ReductionNumericsTests.GaussianDouble(m, n);
            ReductionNumericsTests.ArithmeticFloatAxis1(m, n);
            ReductionNumericsTests.ArithmeticDoubleAxis0(m, n);
            ReductionNumericsTests.ElementwiseFloatAxis1(m, n);
            ReductionNumericsTests.ElementwiseDoubleAxis0(m, n);
            ReductionNumericsTests.VectorFloatAxis1(m, n);
            ReductionNumericsTests.VectorDoubleAxis0(m, n);
            ReductionNumericsTests.PowersFloatAxis1(m, n);
            ReductionNumericsTests.PowersDoubleAxis0(m, n);
            SeedReductionTests.SeedFormulaMatchesDenseReference(m, n);
        });

    public static IEnumerable<object[]> SumGradientCases =>
        from name in new[] { "GaussianJ", "GaussianI", "CauchyJ", "CauchyI", "SeedJ", "SeedI" }
        select new object[] { name };

    public static IEnumerable<object[]> FamilyGradientCases =>
        from name in new[]
        {
            "LseJ", "LseI", "WeightedLseJ", "WeightedLseI", "SoftMaxJ", "SoftMaxI", "MinJ", "MinI", "MaxJ", "MaxI",
            "MinArgMinJ", "MaxArgMaxI", "KMinJ", "KMinI", "KMinArgKMinJ",
        }
        select new object[] { name };

    [Theory]
    [MemberData(nameof(SumGradientCases))]
    public static void SumGradientMethods(string name)
        => OnIlgpuCpu(() => ReductionGradientTests.GradientMethodsMatchFiniteDifferences(name, 7, 13));

    [Theory]
    [MemberData(nameof(FamilyGradientCases))]
    public static void ReductionFamilyGradientMethods(string name)
        => OnIlgpuCpu(() => ReductionFamilyGradientTests.GradientMethodsMatchFiniteDifferences(name, 7, 13));

    [Fact]
    public static void ParameterNestedAndForwardGradients()
        => OnIlgpuCpu(() =>
        {
            ReductionGradientTests.ParameterGradientIsTheSumOfPerRowGradients(5, 9);
            ReductionGradientTests.NestedGradMatchesFiniteDifferencesOfTheFirstOrderMethod(6, 11);
            ReductionGradientTests.DiffMatchesDirectionalFiniteDifferences(3, 4);
            ReductionGradientTests.PiecewiseConstantDependenceGivesZeroGradientAndExactOthers();
            ReductionFamilyGradientTests.ParameterGradientIsTheSumOfPerRowGradients("LseJ", 6, 9);
            ReductionFamilyGradientTests.ParameterGradientIsTheSumOfPerRowGradients("SoftMaxJ", 11, 17);
            ReductionFamilyGradientTests.ParameterGradientIsTheSumOfPerRowGradients("KMinJ", 8, 12);
        });
}
