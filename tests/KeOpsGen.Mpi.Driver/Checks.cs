using System;
using KeOpsGen.Mpi;

namespace KeOpsGen.Mpi.Driver;

/// <summary>Prints one line per check on this rank and counts failures.</summary>
public sealed class Checks(int rank)
{
    public int Failures { get; private set; }

    private void Report(string name, bool ok, string detail)
    {
        Console.WriteLine($"rank {rank}: CHECK {name}: {(ok ? "ok" : "FAIL")} {detail}");
        if (!ok)
        {
            Failures++;
        }
    }

    /// <summary>
    /// The Block-sum bound of the engine for n terms over P ranks: each SIMD lane adds about n/16
    /// terms in order, then lanes, tiles and the P rank partials are added:
    /// |error| ≤ (n/16 + 16 + P) · u · Σ|term|, u the unit roundoff (2^-24 for float).
    /// </summary>
    public void Sum(string name, float[] actual, Dense reference, long n, int ranks, double u)
    {
        double factor = ((n / 16.0) + 16 + ranks) * u;
        double worst = 0;
        bool ok = actual.Length == reference.Values.Length;
        for (int i = 0; ok && i < actual.Length; i++)
        {
            double error = Math.Abs(actual[i] - reference.Values[i]);
            double bound = (factor * reference.AbsSums[i]) + (u * Math.Abs(reference.Values[i])) + 1e-30;
            worst = Math.Max(worst, error / bound);
            ok &= error <= bound;
        }

        Report(name, ok, $"(worst error / bound = {worst:G3}, {actual.Length} values)");
    }

    /// <summary>|a − b| ≤ tolerance · max|b| (a relative tolerance on the output's scale).</summary>
    public void Close(string name, float[] actual, float[] expected, double tolerance)
    {
        double scale = 0;
        foreach (float v in expected)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        double worst = 0;
        bool ok = actual.Length == expected.Length;
        for (int i = 0; ok && i < actual.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            worst = Math.Max(worst, error);
            ok &= error <= (tolerance * scale) + 1e-30 || (float.IsNaN(actual[i]) && float.IsNaN(expected[i]));
        }

        Report(name, ok, $"(worst |error| = {worst:G3}, scale {scale:G3}, {actual.Length} values)");
    }

    public void Bitwise(string name, float[] values, float[] expectedValues, int[] indices, int[] expectedIndices)
    {
        int first = -1;
        bool ok = values.Length == expectedValues.Length && indices.Length == expectedIndices.Length;
        for (int i = 0; ok && i < values.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(values[i]) != BitConverter.SingleToInt32Bits(expectedValues[i]))
            {
                ok = false;
                first = i;
            }
        }

        for (int i = 0; ok && i < indices.Length; i++)
        {
            if (indices[i] != expectedIndices[i])
            {
                ok = false;
                first = i;
            }
        }

        Report(name, ok, ok ? $"({values.Length} values, {indices.Length} indices identical)" : $"(first difference at {first})");
    }

    public void Throws(string name, MpiCommunicator comm, Action call, int failedRank, string messagePart)
    {
        try
        {
            call();
            Report(name, comm.Size == 1 && failedRank < 0, "(no exception)");
        }
        catch (DistributedReductionException error)
        {
            bool ranksOk = failedRank < 0 ? error.FailedRanks.Count == 0 : error.FailedRanks.Count == 1 && error.FailedRanks[0] == failedRank;
            bool ok = ranksOk && error.Message.Contains(messagePart, StringComparison.Ordinal);
            Report(name, ok, $"({error.Message})");
        }
    }
}
