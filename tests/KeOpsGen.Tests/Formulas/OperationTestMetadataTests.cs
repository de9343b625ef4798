using System;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Formulas;

/// <summary>
/// Every operation's definition describes how the table-driven tests call it (Operation.Tests):
/// integer arguments that fit its signature, argument dimensions its own dimension rule accepts,
/// a domain, and a reason wherever a test leaves it out.
/// </summary>
public sealed class OperationTestMetadataTests
{
    [Fact]
    public void EveryOperationIsTestedOrSaysWhyNot()
    {
        var silent = OperationTable.All
            .Where(op => op.Tests.NotRunBecause is null && ValidCases(op) == 0)
            .Select(op => op.Name).ToList();
        Assert.True(silent.Count == 0, "no valid case and no reason: " + string.Join(", ", silent));

        var undifferentiated = OperationTable.All
            .Where(op => op.Tests.NotDifferentiatedBecause is null && op.FormulaParameterCount == 0)
            .Select(op => op.Name).ToList();
        Assert.True(undifferentiated.Count == 0, "nothing to differentiate and no reason: " + string.Join(", ", undifferentiated));
    }

    [Fact]
    public void IntegerArgumentsFitTheSignature()
    {
        foreach (Operation op in OperationTable.All.Where(o => o.Tests.NotRunBecause is null || o.Tests.NotDifferentiatedBecause is null))
        {
            int integers = op.Parameters.Count(p => p != ParamKind.Formula);
            int requiredIntegers = op.Parameters.Take(op.RequiredParameters).Count(p => p != ParamKind.Formula);
            int given = op.Tests.Ints?.Length ?? 0;
            Assert.True(given >= requiredIntegers && given <= integers,
                $"{op.Name}: {given} integer arguments given, the signature {op.Signature} takes {requiredIntegers} to {integers}");
            for (int i = 0; i < given; i++)
            {
                ParamKind kind = op.Parameters.Where(p => p != ParamKind.Formula).ElementAt(i);
                Assert.True(kind == ParamKind.IntList || op.Tests.Ints![i].Length == 1, $"{op.Name}: integer argument {i} is a list, the signature wants one value");
            }

            Assert.Equal(integers > 0 && given > 0, op.Tests.Ints is not null);
            Assert.NotNull(OperationTestCases.Ints(op));
        }
    }

    [Fact]
    public void ExplicitDimensionsAreAcceptedByTheDimensionRule()
    {
        foreach (Operation op in OperationTable.All.Where(o => o.Tests.Dims is not null))
        {
            IntArgs ints = OperationTestCases.Ints(op);
            foreach (int[] dims in op.Tests.Dims!)
            {
                Assert.True(dims.Length == op.FormulaParameterCount, $"{op.Name}: case [{string.Join(",", dims)}] for {op.FormulaParameterCount} formula arguments");
                DimResult result = op.Dim(dims, ints);
                Assert.False(result.IsError, $"{op.Name}[{string.Join(",", dims)}]: {result.Error}");
            }
        }
    }

    [Fact]
    public void DomainsAndReasonsAreMeaningful()
    {
        foreach (Operation op in OperationTable.All)
        {
            OpTestCases t = op.Tests;
            Assert.True(t.Domain.Low < t.Domain.High, $"{op.Name}: empty domain {t.Domain}");
            foreach (string? reason in new[] { t.NotRunBecause, t.NotDifferentiatedBecause, t.FirstOrderOnlyBecause })
            {
                Assert.True(reason is null || reason.Length > 20, $"{op.Name}: '{reason}' does not say why");
            }

            // A first-order-only operation is differentiated once, so its refusal is checked.
            Assert.True(t.FirstOrderOnlyBecause is null || (t.NotDifferentiatedBecause is null && op.Vjp is not null), $"{op.Name}: first order only, but not differentiated");
        }
    }

    [Fact]
    public void TestMetadataIsNotSharedBetweenOperations()
    {
        // Entries set their metadata in place (Tests = new() { ... }): one shared instance would
        // let one operation's domain leak into another's.
        var all = OperationTable.All.ToList();
        Assert.Equal(all.Count, all.Select(op => op.Tests).Distinct().Count());
    }

    private static int ValidCases(Operation op)
    {
        IntArgs ints;
        try
        {
            ints = OperationTestCases.Ints(op);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }

        int arity = op.FormulaParameterCount;
        var candidates = op.Tests.Dims ?? new[] { Enumerable.Repeat(3, arity).ToArray(), new[] { 1 }.Concat(Enumerable.Repeat(3, arity - 1)).ToArray() };
        return arity == 0 ? 0 : candidates.Count(d => d.Length == arity && !op.Dim(d, ints).IsError);
    }
}
