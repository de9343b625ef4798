using System;
using System.Collections.Generic;
using KeOpsGen.Distributed;
using Xunit;

namespace KeOpsGen.Mpi.Tests;

public static partial class StateKernels
{
    [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgKMin, K = 3, Axis = 0)]
    public static partial void NearestToEachY(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

    [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.LogSumExp, Axis = 1)]
    public static partial void Lse(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);
}

/// <summary>
/// What the engine hands an exchange: with a one-process exchange that merges nothing, a call
/// must describe its state correctly and give the plain call's result.
/// </summary>
public sealed class EngineStateTests
{
    private sealed class Recording : ReductionExchange
    {
        public List<string> Calls { get; } = new();

        public override unsafe void Merge<T>(in PartialState<T> state)
            => Calls.Add($"{state.Kind} rows={state.Rows} width={state.Width} k={state.K} rowSide={state.RowSide} reduced={state.ReducedSide}:{state.ReducedCount} indices={state.Indices != null}");

        public override int FirstRow(Side side, int localCount) => 0;
    }

    private static float[] Points(Random rng, int rows)
    {
        var a = new float[rows * 3];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)rng.NextDouble();
        }

        return a;
    }

    [Fact]
    public void ArgKMinOverIHandsItsValueIndexListsIndexedByJ()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        float[] x = Points(rng, 40), y = Points(rng, 30);
        var plain = new int[30 * 3];
        var viaState = new int[30 * 3];
        StateKernels.NearestToEachY(x, y, plain);
        var exchange = new Recording();
        using (exchange.Enter())
        {
            StateKernels.NearestToEachY(x, y, viaState);
        }

        Assert.Equal(new[] { "KMin rows=30 width=3 k=3 rowSide=J reduced=I:40 indices=True" }, exchange.Calls);
        Assert.True(plain.AsSpan().SequenceEqual(viaState), $"the indices differ from the plain call; seed {seed}");
    }

    [Fact]
    public void LogSumExpHandsItsShiftedSumsAndFinalizesThemAfterTheMerge()
    {
        int seed = Random.Shared.Next();
        var rng = new Random(seed);
        float[] x = Points(rng, 50), y = Points(rng, 70);
        var viaState = new float[50];
        var exchange = new Recording();
        using (exchange.Enter())
        {
            StateKernels.Lse(x, y, viaState);
        }

        Assert.Equal(new[] { "ShiftExp rows=50 width=2 k=0 rowSide=I reduced=J:70 indices=False" }, exchange.Calls);
        double[] expected = KeOpsGen.Mpi.Driver.Reference.Lse(x, y, 1);
        for (int i = 0; i < 50; i++)
        {
            // float terms, sums of 70 in float: a few units of roundoff on values near 4.
            Assert.True(Math.Abs(viaState[i] - expected[i]) <= 2e-6 * Math.Max(1, Math.Abs(expected[i])), $"row {i}: {viaState[i]} vs {expected[i]}; seed {seed}");
        }

        Assert.Null(ReductionExchange.Current);
    }
}
