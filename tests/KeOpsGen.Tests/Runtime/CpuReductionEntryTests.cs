using System;
using System.Linq;
using KeOpsGen.Cpu;
using KeOpsGen.Generator.Reductions;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Runtime;

/// <summary>
/// CpuEngine.Reduce, the one forward entry generated code calls, and the CpuReduction names the
/// generator writes for it (the generator cannot see the runtime's enum, so a drift would only
/// show as generated code that does not compile).
/// </summary>
public sealed partial class CpuReductionEntryTests
{
    [Reduction("Exp(-SqDist(X,Y)) * B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]
    private static partial void Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, Span<float> result);

    [Fact]
    public void EveryEntryTheRegistryNamesIsACpuReductionMember()
    {
        string[] members = Enum.GetNames<CpuReduction>();
        string[] written = ReductionRegistry.All
            .SelectMany(r => new[] { r.CpuEntry, r.SavedCpuEntry })
            .OfType<string>()
            .Append("SumOverRows")
            .Distinct()
            .ToArray();
        foreach (string entry in written)
        {
            Assert.True(members.Contains(entry), $"the generator writes CpuReduction.{entry}, which the runtime does not define");
        }
    }

    [Fact]
    public void ReduceSumAndTheGeneratedMethodMatchAFloat64Reference()
    {
        var random = new SeededRandom(nameof(ReduceSumAndTheGeneratedMethodMatchAFloat64Reference));
        const int n = 37, m = 53;
        float[] x = random.Floats(n * 3, -1, 1), y = random.Floats(m * 3, -1, 1), b = random.Floats(m, -1, 1);
        var viaReduce = new float[n];
        var viaMethod = new float[n];
        var kernel = new KernelSpans<float>();
        kernel.Add(x);
        kernel.Add(y);
        kernel.Add(b);
        CpuEngine.Reduce<__KeOpsKernel_Gauss, float>(kernel, CpuReduction.Sum, n, m, 0, viaReduce, default, new ReductionSettings(SumScheme.Auto, Accumulation.Auto));
        Gauss(x, y, b, viaMethod);
        for (int i = 0; i < n; i++)
        {
            double expected = 0;
            for (int j = 0; j < m; j++)
            {
                double d2 = 0;
                for (int c = 0; c < 3; c++)
                {
                    double d = (double)x[(i * 3) + c] - y[(j * 3) + c];
                    d2 += d * d;
                }

                expected += Math.Exp(-d2) * b[j];
            }

            // 53 float terms of magnitude ≤ 1 with a float exp: a few ulps of the largest term each.
            Assert.True(Math.Abs(viaReduce[i] - expected) <= 1e-5 * m, $"{random} row {i}: Reduce {viaReduce[i]:R}, reference {expected:R}");
            Assert.True(Math.Abs(viaMethod[i] - expected) <= 1e-5 * m, $"{random} row {i}: generated method {viaMethod[i]:R}, reference {expected:R}");
        }
    }

    [Fact]
    public void ReduceRejectsAValueNoMemberNamesAndWritesNothing()
    {
        var result = new float[] { 42 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var kernel = new KernelSpans<float>();
            kernel.Add(new float[3]);
            kernel.Add(new float[3]);
            kernel.Add(new float[1]);
            CpuEngine.Reduce<__KeOpsKernel_Gauss, float>(kernel, (CpuReduction)(-1), 1, 1, 0, result, default, new ReductionSettings(SumScheme.Auto, Accumulation.Auto));
        });
        Assert.Equal("reduction", error.ParamName);
        Assert.Equal(42f, result[0]);
    }
}
