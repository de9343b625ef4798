using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Distributed;
using Xunit;

namespace KeOpsGen.Mpi.Tests;

/// <summary>
/// The merge rules without MPI: pieces built from random data (with many ties) as one process
/// would compute them over its slice, merged, and compared with dense loops over the union.
/// </summary>
public sealed class PartialStateMergeTests
{
    private static int NewSeed() => Environment.GetEnvironmentVariable("KEOPSGEN_TEST_SEED") is { Length: > 0 } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();

    /// <summary>Random slices of a reduced side of <paramref name="total"/> rows, some empty.</summary>
    private static int[] Offsets(Random rng, int total, int pieces)
    {
        var cuts = Enumerable.Range(0, pieces - 1).Select(_ => rng.Next(total + 1)).Order().ToList();
        cuts.Insert(0, 0);
        return cuts.ToArray();
    }

    private static int Count(int[] offsets, int p, int total) => (p + 1 < offsets.Length ? offsets[p + 1] : total) - offsets[p];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MinAndMaxKeepTheFirstGlobalIndexOnTies(bool max)
    {
        int seed = NewSeed();
        var rng = new Random(seed);
        const int rows = 50, total = 300, pieces = 4;
        // Few distinct values: ties across pieces everywhere; some +∞/−∞ and NaN terms that are never selected.
        float[,] f = new float[rows, total];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < total; j++)
            {
                int pick = rng.Next(12);
                f[r, j] = pick switch { 10 => float.NaN, 11 => max ? float.NegativeInfinity : float.PositiveInfinity, _ => pick };
            }
        }

        int[] offsets = Offsets(rng, total, pieces);
        var pv = new float[pieces * rows];
        var pi = new int[pieces * rows];
        for (int p = 0; p < pieces; p++)
        {
            for (int r = 0; r < rows; r++)
            {
                (pv[(p * rows) + r], pi[(p * rows) + r]) = First(f, r, offsets[p], Count(offsets, p, total), max);
            }
        }

        var values = new float[rows];
        var indices = new int[rows];
        PartialStateMerge.Merge<float>(max ? PartialStateKind.Max : PartialStateKind.Min, rows, 1, 0, pv, pi, offsets, values, indices);
        for (int r = 0; r < rows; r++)
        {
            (float v, int i) = First(f, r, 0, total, max);
            Assert.True(v.Equals(values[r]) && i == indices[r], $"row {r}: expected ({v}, {i}), got ({values[r]}, {indices[r]}); seed {seed}");
        }
    }

    /// <summary>Strict comparison scan of f[r, start..start+count): the first extreme, index relative to start (−1 if none).</summary>
    private static (float, int) First(float[,] f, int r, int start, int count, bool max)
    {
        float best = max ? float.NegativeInfinity : float.PositiveInfinity;
        int index = -1;
        for (int j = 0; j < count; j++)
        {
            float v = f[r, start + j];
            if (max ? v > best : v < best)
            {
                best = v;
                index = j;
            }
        }

        return (best, index);
    }

    [Fact]
    public void KMinListsMergeToTheKSmallestOfTheUnionByValueThenIndex()
    {
        int seed = NewSeed();
        var rng = new Random(seed);
        const int rows = 30, total = 200, pieces = 5, k = 7, dim = 2;
        var f = new float[rows, total, dim];
        foreach (int r in Enumerable.Range(0, rows))
        {
            foreach (int j in Enumerable.Range(0, total))
            {
                foreach (int c in Enumerable.Range(0, dim))
                {
                    int pick = rng.Next(25);
                    f[r, j, c] = pick == 24 ? float.PositiveInfinity : pick == 23 ? float.NaN : pick;
                }
            }
        }

        // Short slices (fewer than K terms) leave −1 slots in their lists.
        int[] offsets = Offsets(rng, total, pieces);
        int width = k * dim;
        var pv = new float[pieces * rows * width];
        var pi = new int[pieces * rows * width];
        for (int p = 0; p < pieces; p++)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < dim; c++)
                {
                    var list = Smallest(f, r, c, offsets[p], Count(offsets, p, total), k);
                    for (int s = 0; s < k; s++)
                    {
                        int at = (p * rows * width) + (((r * k) + s) * dim) + c;
                        (pv[at], pi[at]) = s < list.Count ? (list[s].Value, list[s].Index - offsets[p]) : (float.PositiveInfinity, -1);
                    }
                }
            }
        }

        var values = new float[rows * width];
        var indices = new int[rows * width];
        PartialStateMerge.Merge<float>(PartialStateKind.KMin, rows, width, k, pv, pi, offsets, values, indices);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < dim; c++)
            {
                var list = Smallest(f, r, c, 0, total, k);
                for (int s = 0; s < k; s++)
                {
                    int at = (((r * k) + s) * dim) + c;
                    (float v, int i) = s < list.Count ? (list[s].Value, list[s].Index) : (float.PositiveInfinity, -1);
                    Assert.True(v.Equals(values[at]) && i == indices[at], $"row {r}, component {c}, slot {s}: expected ({v}, {i}), got ({values[at]}, {indices[at]}); seed {seed}");
                }
            }
        }
    }

    /// <summary>The K smallest finite terms of a range, ordered by (value, index), indices global.</summary>
    private static List<(float Value, int Index)> Smallest(float[,,] f, int r, int c, int start, int count, int k)
        => Enumerable.Range(start, count)
            .Select(j => (Value: f[r, j, c], Index: j))
            .Where(t => t.Value < float.PositiveInfinity)
            .OrderBy(t => t.Value).ThenBy(t => t.Index)
            .Take(k)
            .ToList();

    [Fact]
    public void ShiftedSumsMergeToTheLogSumExpAndSoftMaxOfTheUnion()
    {
        int seed = NewSeed();
        var rng = new Random(seed);
        const int rows = 20, total = 500, pieces = 4, weights = 2, width = 2 + weights;
        // F spread over hundreds: a merge that forgot the shift would overflow or lose pieces.
        double[,] f = new double[rows, total];
        double[,,] w = new double[rows, total, weights];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < total; j++)
            {
                f[r, j] = (rng.NextDouble() * 800) - 400;
                w[r, j, 0] = rng.NextDouble();
                w[r, j, 1] = rng.NextDouble() - 0.5;
            }
        }

        int[] offsets = Offsets(rng, total, pieces);
        var pv = new double[pieces * rows * width];
        for (int p = 0; p < pieces; p++)
        {
            for (int r = 0; r < rows; r++)
            {
                int at = (p * rows * width) + (r * width);
                (double m, double[] s) = Shifted(f, w, r, offsets[p], Count(offsets, p, total));
                pv[at] = m;
                s.CopyTo(pv, at + 1);
            }
        }

        var values = new double[rows * width];
        PartialStateMerge.Merge<double>(PartialStateKind.ShiftExp, rows, width, 0, pv, default, offsets, values, default);
        for (int r = 0; r < rows; r++)
        {
            (double m, double[] s) = Shifted(f, w, r, 0, total);
            double lse = m + Math.Log(s[0]);
            double merged = values[r * width] + Math.Log(values[(r * width) + 1]);
            Assert.True(Math.Abs(lse - merged) <= 1e-12 * Math.Abs(lse), $"row {r}: log-sum-exp {lse} vs merged {merged}; seed {seed}");
            for (int c = 1; c <= weights; c++)
            {
                double softmax = s[c] / s[0];
                double mergedSoftmax = values[(r * width) + 1 + c] / values[(r * width) + 1];
                Assert.True(Math.Abs(softmax - mergedSoftmax) <= 1e-12, $"row {r}, weight {c}: {softmax} vs {mergedSoftmax}; seed {seed}");
            }
        }
    }

    private static (double M, double[] S) Shifted(double[,] f, double[,,] w, int r, int start, int count)
    {
        double m = double.NegativeInfinity;
        for (int j = start; j < start + count; j++)
        {
            m = Math.Max(m, f[r, j]);
        }

        var s = new double[1 + w.GetLength(2)];
        for (int j = start; j < start + count; j++)
        {
            double e = Math.Exp(f[r, j] - m);
            s[0] += e;
            for (int c = 0; c < w.GetLength(2); c++)
            {
                s[1 + c] += e * w[r, j, c];
            }
        }

        return (m, s);
    }

    [Fact]
    public void SumsAddInDouble()
    {
        float[] pieces = { 1e8f, 1f, -1e8f, 1f, 3f, 0.5f };
        var values = new float[2];
        PartialStateMerge.Merge<float>(PartialStateKind.Sum, 1, 2, 0, pieces, default, new[] { 0, 10, 20 }, values, default);
        // 1e8 + (−1e8) + 3 = 3 exactly in double (float would give 0 or 4 depending on order), 1 + 1 + 0.5.
        Assert.Equal(new[] { 3f, 2.5f }, values);
    }

    [Fact]
    public void AnIndexedMergeWithoutIndicesIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => PartialStateMerge.Merge<float>(PartialStateKind.Min, 2, 1, 0, new float[4], default, new[] { 0, 5 }, new float[2], default));
        Assert.Equal("pieceIndices", error.ParamName);
    }
}
