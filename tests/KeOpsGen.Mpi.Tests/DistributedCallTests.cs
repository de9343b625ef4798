using System;
using System.Linq;
using Xunit;

namespace KeOpsGen.Mpi.Tests;

/// <summary>
/// The distributed calls under mpirun with 4 ranks (the driver's checks: bitwise identical to one
/// process for Min/ArgMax/KMin and the Min gradients, within the Block sum bound of float64
/// references for sums and their gradients, within stated tolerances for the log-sum-exp family).
/// </summary>
public sealed class DistributedCallTests(MpiRunFixture run) : IClassFixture<MpiRunFixture>
{
    [Fact]
    public void DriverExitsZeroAndEveryRankPassed()
    {
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains($"ALL OK ({MpiRunFixture.Ranks} ranks", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("J.", 21)]
    [InlineData("I.", 9)]
    [InlineData("FAIL.", 4)]
    public void EveryCheckOfTheSectionPassedOnEveryRank(string section, int checksPerRank)
    {
        string[] lines = run.Checks(section);
        Assert.True(lines.Length == checksPerRank * MpiRunFixture.Ranks, $"expected {checksPerRank} '{section}' checks per rank, got {lines.Length} lines in all; " + run.Describe());
        string[] failed = lines.Where(l => !l.Contains(": ok ", StringComparison.Ordinal)).ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed) + "\n" + run.Describe());
    }

    [Fact]
    public void ARankThatThrowsMakesEveryRankThrowTheSameError()
    {
        string[] lines = run.Checks("FAIL.rank throws");
        Assert.Equal(MpiRunFixture.Ranks, lines.Length);
        // The same message on every rank, naming the failing rank, its exception and the parameter.
        string[] messages = lines.Select(l => l[l.IndexOf('(')..]).Distinct().ToArray();
        Assert.Single(messages);
        Assert.Contains("rank 2: ArgumentException", messages[0], StringComparison.Ordinal);
        Assert.Contains("'result'", messages[0], StringComparison.Ordinal);
    }
}
