// Block-sparse and batched calls through the generated ILGPU kernels on ILGPU's CPU accelerator
// (Backend.IlgpuCpu, what CI can run): the same masked float64 references as the CPU engine's
// tests, plus agreement with the CPU engine and with the dense GPU result.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using KeOpsGen.Gpu;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Sparse;

public static partial class BlockSparseTests
{
    private static ReductionOptions OnIlgpuCpu(Ranges? ranges) => new() { Ranges = ranges, Backend = Backend.IlgpuCpu };

    private static void InIlgpuCpuScope(Action test)
    {
        using (ComputeBackend.Use(Backend.IlgpuCpu))
        {
            test();
        }
    }

    /// <summary>
    /// Every reduction (both axes, float and double) on random ranges with empty blocks, single
    /// rows, uncovered rows and a whole side in one block, on the GPU kernels: against the masked
    /// float64 reference (tolerances of <see cref="Check"/>) and against the CPU engine's ranges
    /// result (the two engines sum in different orders: twice the reference tolerance). Sizes stay
    /// below 120 rows a side: ILGPU's CPU accelerator runs each group as synchronized threads.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllCases))]
    public static void IlgpuCpuEveryReductionMatchesTheMaskedReferenceAndTheCpuEngine(string op, bool isFloat, int axis)
    {
        var random = new SeededRandom(nameof(IlgpuCpuEveryReductionMatchesTheMaskedReferenceAndTheCpuEngine), op, isFloat, axis);
        double tol = isFloat ? 2e-4 : 2e-10;
        for (int layout = 0; layout < 3; layout++)
        {
            int m = 20 + random.Next(100), n = 20 + random.Next(100);
            Inputs a = Draw(random, m, n, isFloat);
            int[] ri = RandomBlocks(random, m, whole: layout == 1, gaps: true);
            int[] rj = RandomBlocks(random, n, whole: layout == 2, gaps: true);
            Ranges ranges = Ranges.FromMatrix(ri, rj, RandomKeep(random, ri.Length / 2, rj.Length / 2, 0.5));
            var gpu = Run(op, isFloat, axis, a, OnIlgpuCpu(ranges));
            Check(op, isFloat, axis, a, MaskFor(ranges, axis, m, n), gpu, $"{random} layout {layout} IlgpuCpu");
            var cpu = Run(op, isFloat, axis, a, new ReductionOptions { Ranges = ranges, Backend = Backend.Cpu });
            for (int k = 0; k < gpu.Values.Length; k++)
            {
                double g = gpu.Values[k], c = cpu.Values[k];
                bool same = g == c || (double.IsNaN(g) && double.IsNaN(c)) || Math.Abs(g - c) <= tol * Math.Max(1, Math.Abs(c));
                Assert.True(same, $"{random} layout {layout} {op} axis {axis} value {k}: IlgpuCpu {g}, CPU engine {c}");
            }
        }
    }

    /// <summary>
    /// A mask keeping every pair gives the dense GPU result bit for bit; so do the rows of a mask
    /// keeping every j block for some i blocks and nothing for the others (those rows go through
    /// the group table, each group reading the same tiles as the dense launch), while the rows
    /// kept nowhere get the reduction of nothing.
    /// </summary>
    [Theory]
    [InlineData("Sum", 1)]
    [InlineData("Sum", 0)]
    [InlineData("MinArgMin", 1)]
    [InlineData("KMinArgKMin", 0)]
    [InlineData("LogSumExp", 1)]
    [InlineData("SumSoftMaxWeight", 0)]
    public static void IlgpuCpuKeepingEveryPairIsBitwiseTheDenseGpuResult(string op, int axis)
    {
        var random = new SeededRandom(nameof(IlgpuCpuKeepingEveryPairIsBitwiseTheDenseGpuResult), op, axis);
        int m = 100 + random.Next(100), n = 100 + random.Next(100);
        Inputs a = Draw(random, m, n, isFloat: true);
        int[] ri = RandomBlocks(random, m, whole: false, gaps: false);
        int[] rj = RandomBlocks(random, n, whole: false, gaps: false);
        int ci = ri.Length / 2, cj = rj.Length / 2;
        var dense = Run(op, true, axis, a, OnIlgpuCpu(null));
        var all = Run(op, true, axis, a, OnIlgpuCpu(Ranges.FromMatrix(ri, rj, Enumerable.Repeat(true, ci * cj).ToArray())));
        AssertBitwise(dense, all, Enumerable.Range(0, axis == 1 ? m : n), axis == 1 ? m : n, $"{random} {op} all kept");

        // Rows of the outer side's blocks kept whole or not at all.
        bool outerIsI = axis == 1;
        int blocks = outerIsI ? ci : cj;
        bool[] keptBlock = Enumerable.Range(0, blocks).Select(_ => random.Next(2) == 0).ToArray();
        var keep = new bool[ci * cj];
        for (int p = 0; p < ci; p++)
        {
            for (int q = 0; q < cj; q++)
            {
                keep[(p * cj) + q] = keptBlock[outerIsI ? p : q];
            }
        }

        Ranges ranges = Ranges.FromMatrix(ri, rj, keep);
        var partial = Run(op, true, axis, a, OnIlgpuCpu(ranges));
        int[] outerBlocks = outerIsI ? ri : rj;
        var keptRows = Enumerable.Range(0, blocks).Where(b => keptBlock[b]).SelectMany(b => Enumerable.Range(outerBlocks[2 * b], outerBlocks[(2 * b) + 1] - outerBlocks[2 * b])).ToList();
        AssertBitwise(dense, partial, keptRows, axis == 1 ? m : n, $"{random} {op} blocks kept whole");
        Check(op, true, axis, a, MaskFor(ranges, axis, m, n), partial, $"{random} {op} blocks kept whole");
    }

    private static void AssertBitwise((double[] Values, int[] Indices) expected, (double[] Values, int[] Indices) got, IEnumerable<int> rows, int outerCount, string label)
    {
        int vw = expected.Values.Length / outerCount, iw = expected.Indices.Length / outerCount;
        foreach (int o in rows)
        {
            for (int k = 0; k < vw; k++)
            {
                double e = expected.Values[(o * vw) + k], g = got.Values[(o * vw) + k];
                Assert.True(BitConverter.DoubleToInt64Bits(e) == BitConverter.DoubleToInt64Bits(g), $"{label} row {o} value {k}: {g} vs dense {e}");
            }

            for (int k = 0; k < iw; k++)
            {
                Assert.True(expected.Indices[(o * iw) + k] == got.Indices[(o * iw) + k], $"{label} row {o} index {k}: {got.Indices[(o * iw) + k]} vs dense {expected.Indices[(o * iw) + k]}");
            }
        }
    }

    /// <summary>Gaussian sum and its X, Y, B, G gradients on random ranges: Vj gradients use the transposed half.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public static void IlgpuCpuSumGradientsFollowTheMask(int axis) => InIlgpuCpuScope(() => SumGradientsFollowTheMask(axis));

    /// <summary>LogSumExp gradients: the forward pass on one half of the ranges, the Y gradient on the other.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public static void IlgpuCpuLogSumExpGradientsFollowTheMask(bool isFloat) => InIlgpuCpuScope(() => LogSumExpGradientsFollowTheMask(isFloat));

    /// <summary>Min gradients at the pairs the masked forward pass selects (pair kernels after a ranged forward).</summary>
    [Fact]
    public static void IlgpuCpuMinGradientsUseTheMaskedSelection() => InIlgpuCpuScope(MinGradientsUseTheMaskedSelection);

    /// <summary>Batch [2, 3] with broadcast X and B: forward, X gradient summed back, G gradient.</summary>
    [Fact]
    public static void IlgpuCpuBatchBroadcastsAndSumsGradientsBack() => InIlgpuCpuScope(BatchBroadcastsAndSumsGradientsBack);

    /// <summary>The GPU path rejects what the CPU engine rejects, with the same messages.</summary>
    [Fact]
    public static void IlgpuCpuRejectsRangesPastTheRowsAndBadBatches() => InIlgpuCpuScope(() =>
    {
        RangesPastTheRowsOfTheCallAreRejected();
        BatchRejectsRowsNotDivisibleAndBadShapes();
    });

    /// <summary>
    /// Block-sparse and batched calls are no longer sent to the CPU engine: IlgpuCpu (and Auto above
    /// its threshold, when a GPU exists) picks an accelerator, Backend.Gpu no longer refuses them
    /// with NotSupportedException (without a GPU it fails only for want of one); Auto's threshold
    /// counts the kept pairs.
    /// </summary>
    [Fact]
    public static void RangesAndBatchCallsAreNotDivertedToTheCpuEngine()
    {
        Ranges ranges = Ranges.FromMatrix(new[] { 0, 5, 5, 10 }, new[] { 0, 10 }, new[] { true, false });
        foreach (ReductionOptions options in new[] { new ReductionOptions { Ranges = ranges }, new ReductionOptions { BatchCount = 2 } })
        {
            Assert.Null(GpuRuntime.CpuOnlyCall(options));
            Assert.NotNull(GpuRuntime.Choose(Backend.IlgpuCpu, options, 10, 10));
            Assert.Null(GpuRuntime.Choose(Backend.Cpu, options, 10, 10));
            if (ComputeBackend.IsGpuAvailable)
            {
                Assert.NotNull(GpuRuntime.Choose(Backend.Gpu, options, 10, 10));
            }
            else
            {
                var error = Assert.Throws<InvalidOperationException>(() => GpuRuntime.Choose(Backend.Gpu, options, 10, 10));
                Assert.Contains("Backend.Gpu was requested, but", error.Message, StringComparison.Ordinal);
            }
        }

        // Auto's threshold counts the pairs a call reduces: 5 × 10 kept of 10 × 10, half of a batch of 2.
        Assert.Equal(50, GpuRuntime.PairCount(new ReductionOptions { Ranges = ranges }, 10, 10));
        Assert.Equal(50, GpuRuntime.PairCount(new ReductionOptions { BatchCount = 2 }, 10, 10));
        Assert.Equal(100, GpuRuntime.PairCount(null, 10, 10));
    }

    /// <summary>
    /// The accelerator overload honours the options' ranges (the masked reference, and bit for bit
    /// the span overload on IlgpuCpu, which runs the same kernels) and batch, and observes a
    /// cancelled token before launching.
    /// </summary>
    [Fact]
    public static void DeviceOverloadHonoursRangesBatchAndCancellation()
    {
        var random = new SeededRandom(nameof(DeviceOverloadHonoursRangesBatchAndCancellation));
        int m = 30 + random.Next(90), n = 30 + random.Next(90);
        Inputs a = Draw(random, m, n, isFloat: true);
        int[] ri = RandomBlocks(random, m, whole: false, gaps: true), rj = RandomBlocks(random, n, whole: false, gaps: true);
        Ranges ranges = Ranges.FromMatrix(ri, rj, RandomKeep(random, ri.Length / 2, rj.Length / 2, 0.5));
        var span = Run("Sum", true, 1, a, OnIlgpuCpu(ranges));

        using var context = Context.Create(builder => builder.CPU().EnableAlgorithms());
        using var accelerator = context.CreateCPUAccelerator(0);
        using var dx = accelerator.Allocate1D(F(a.X2));
        using var dy = accelerator.Allocate1D(F(a.Y2));
        using var dw = accelerator.Allocate1D(F(a.W));
        using var result = accelerator.Allocate1D<float>(m * 2);
        Sum_float_1(accelerator, dx.View, dy.View, dw.View, result.View, new ReductionOptions { Ranges = ranges });
        accelerator.Synchronize();
        double[] device = result.GetAsArray1D().Select(v => (double)v).ToArray();
        Check("Sum", true, 1, a, MaskFor(ranges, 1, m, n), (device, Array.Empty<int>()), $"{random} device overload");
        for (int k = 0; k < device.Length; k++)
        {
            Assert.True(device[k] == span.Values[k], $"{random} entry {k}: device overload {device[k]}, span overload on IlgpuCpu {span.Values[k]}");
        }

        // Batch of 2 on the same views: m and n even below, each half reduced on its own.
        int mb = m - (m % 2), nb = n - (n % 2);
        Sum_float_1(accelerator, dx.View.SubView(0, mb * 2), dy.View.SubView(0, nb * 2), dw.View.SubView(0, nb), result.View.SubView(0, mb * 2), new ReductionOptions { BatchCount = 2 });
        accelerator.Synchronize();
        float[] batched = result.GetAsArray1D();
        Ranges diagonal = Ranges.BlockDiagonal(2, mb / 2, nb / 2);
        Inputs even = a with { M = mb, N = nb };
        Check("Sum", true, 1, even, MaskFor(diagonal, 1, mb, nb), (batched.Take(mb * 2).Select(v => (double)v).ToArray(), Array.Empty<int>()), $"{random} device overload, batch 2");

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Sum_float_1(accelerator, dx.View, dy.View, dw.View, result.View, new ReductionOptions { Ranges = ranges, CancellationToken = cancelled.Token }));
        Assert.ThrowsAny<OperationCanceledException>(() => Sum_float_1(accelerator, dx.View, dy.View, dw.View, result.View, new ReductionOptions { CancellationToken = cancelled.Token }));
        var bad = Ranges.FromMatrix(new[] { 0, m + 1 }, new[] { 0, n }, new[] { true });
        var error = Assert.Throws<ArgumentException>(() => Sum_float_1(accelerator, dx.View, dy.View, dw.View, result.View, new ReductionOptions { Ranges = bad }));
        Assert.Equal("ranges", error.ParamName);
    }
}
