using System;
using System.IO;
using System.Linq;
using KeOpsGen.Generator.Reductions;
using Xunit;
using RuntimeOp = KeOpsGen.ReductionOp;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// The attribute's ReductionOp (runtime) and the generator's are one linked source file; these
/// tests fail if the link is removed and the two copies drift, or if the registry misses one.
/// </summary>
public sealed class ReductionRegistryTests
{
    [Fact]
    public void RuntimeAndGeneratorShareOneReductionNumbering()
    {
        string[] runtime = Enum.GetValues(typeof(RuntimeOp)).Cast<RuntimeOp>().Select(v => $"{(int)v}={v}").ToArray();
        string[] generator = Enum.GetValues(typeof(ReductionOp)).Cast<ReductionOp>().Select(v => $"{(int)v}={v}").ToArray();
        Assert.Equal(runtime, generator);
    }

    [Fact]
    public void TheGeneratorCompilesTheRuntimesEnumFile()
    {
        string project = File.ReadAllText(Path.Combine(Support.RepositoryPaths.Root(), "src", "Generator", "KeOpsGen.Generator.csproj"));
        Assert.Contains(@"<Compile Include=""..\Runtime\ReductionOp.cs""", project, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRegistryHasOneEntryPerReductionInNumberingOrder()
    {
        RuntimeOp[] values = Enum.GetValues(typeof(RuntimeOp)).Cast<RuntimeOp>().ToArray();
        Assert.Equal(values.Length, ReductionRegistry.All.Count);
        foreach (RuntimeOp op in values)
        {
            ReductionInfo? entry = ReductionRegistry.Find((int)op);
            Assert.True(entry is not null && entry.Name == op.ToString(), $"entry {(int)op} is {entry?.Name ?? "missing"}, expected {op}");
        }

        Assert.Null(ReductionRegistry.Find(-1));
        Assert.Null(ReductionRegistry.Find(values.Length));
    }

    // Widths per output row as the KeOps documentation states them, written out by hand:
    // (op, dim F, dim G, K) -> (values, indices).
    [Theory]
    [InlineData(RuntimeOp.Sum, 3, 0, 0, 3, 0)]
    [InlineData(RuntimeOp.Min, 2, 0, 0, 2, 0)]
    [InlineData(RuntimeOp.ArgMax, 2, 0, 0, 0, 2)]
    [InlineData(RuntimeOp.MinArgMin, 2, 0, 0, 2, 2)]
    [InlineData(RuntimeOp.KMin, 2, 0, 5, 10, 0)]
    [InlineData(RuntimeOp.ArgKMin, 2, 0, 4, 0, 8)]
    [InlineData(RuntimeOp.KMinArgKMin, 1, 0, 3, 3, 3)]
    [InlineData(RuntimeOp.LogSumExp, 1, 0, 0, 1, 0)]
    [InlineData(RuntimeOp.LogSumExp, 1, 3, 0, 3, 0)]
    [InlineData(RuntimeOp.MaxSumShiftExp, 1, 0, 0, 2, 0)]
    [InlineData(RuntimeOp.SumSoftMaxWeight, 1, 3, 0, 3, 0)]
    [InlineData(RuntimeOp.MaxSumShiftExpWeight, 1, 3, 0, 4, 0)]
    public void OutputWidthsAreKeOps(RuntimeOp op, int formulaDim, int weightDim, int k, int values, int indices)
        => Assert.Equal(new ReductionOutputs(values, indices), ReductionRegistry.Get((int)op).Outputs(formulaDim, weightDim, k));
}
