using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// The pipeline's models are equatable, so an edit that does not touch a [Reduction] method must
/// leave every step's outputs Cached or Unchanged (no re-analysis, no re-emission), an edit that
/// only moves the methods' text must leave Plan and Emit Cached (no source location reaches them),
/// and an edit of the formula must reach the Emit step.
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] Steps =
    {
        ReductionGenerator.ExtractStep, ReductionGenerator.ParseStep, ReductionGenerator.BindStep,
        ReductionGenerator.DifferentiateStep, ReductionGenerator.PlanStep, ReductionGenerator.EmitStep,
    };

    private const string Kernels = """
        using System;
        using KeOpsGen;

        namespace Demo;

        public static partial class Kernels
        {
            [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)")]
            public static partial void GaussianConv(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

            [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", Axis = 0)]
            public static partial void Seed(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, Span<double> result);

            public static int Helper(int value) => value + 1;
        }
        """;

    private static Dictionary<string, IncrementalStepRunReason[]> Reasons(GeneratorDriver driver)
    {
        GeneratorRunResult result = driver.GetRunResult().Results[0];
        return Steps.ToDictionary(
            step => step,
            step => result.TrackedSteps.TryGetValue(step, out var runs)
                ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToArray()
                : System.Array.Empty<IncrementalStepRunReason>());
    }

    private static string Describe(Dictionary<string, IncrementalStepRunReason[]> reasons)
        => string.Join("; ", reasons.Select(kv => $"{kv.Key}: [{string.Join(", ", kv.Value)}]"));

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        CSharpCompilation compilation = GeneratorDriverHelper.Compilation(Kernels);
        GeneratorOutput first = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(), compilation);
        Assert.True(!first.Errors.Any(), first.DescribeErrors());
        // Two reductions, plus the one InternalsVisibleTo("ILGPURuntime") file for their GPU kernels.
        Assert.Equal(3, first.Sources.Length);

        // The first run must have produced something in each step, or the checks below are vacuous.
        Dictionary<string, IncrementalStepRunReason[]> reasons = Reasons(first.Driver);
        foreach (string step in Steps)
        {
            Assert.True(reasons[step].Length == 2 && reasons[step].All(r => r == IncrementalStepRunReason.New), Describe(reasons));
        }

        return (first.Driver, compilation);
    }

    private static void AssertAllCached(GeneratorDriver driver)
    {
        Dictionary<string, IncrementalStepRunReason[]> reasons = Reasons(driver);
        foreach (string step in Steps)
        {
            Assert.True(reasons[step].Length > 0, $"step {step} did not run: {Describe(reasons)}");
            Assert.True(
                reasons[step].All(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged),
                $"step {step} was recomputed after an unrelated edit: {Describe(reasons)}");
        }
    }

    [Fact]
    public void AddingAnUnrelatedFileKeepsEveryStepCached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        CSharpCompilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Demo; public static class Other { public static int Two() => 2; }", GeneratorDriverHelper.ParseOptions, path: "Other.cs"));

        GeneratorOutput second = GeneratorDriverHelper.Run(driver, edited);
        Assert.True(!second.Errors.Any(), second.DescribeErrors());
        AssertAllCached(second.Driver);
    }

    [Fact]
    public void EditingAnUnrelatedMethodInTheSameFileKeepsEveryStepCached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree changed = CSharpSyntaxTree.ParseText(
            Kernels.Replace("value + 1", "(value * 3) - 7"), GeneratorDriverHelper.ParseOptions, path: old.FilePath);

        GeneratorOutput second = GeneratorDriverHelper.Run(driver, compilation.ReplaceSyntaxTree(old, changed));
        Assert.True(!second.Errors.Any(), second.DescribeErrors());
        AssertAllCached(second.Driver);
    }

    [Fact]
    public void EditingAFormulaRecomputesItsStepsOnly()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree old = compilation.SyntaxTrees.Single();
        // Same length, so the other method's source locations (part of its model) do not move.
        SyntaxTree changed = CSharpSyntaxTree.ParseText(
            Kernels.Replace("Exp(-G*SqDist(X,Y))*B", "Exp(-G*SqDist(X,Y))+B"), GeneratorDriverHelper.ParseOptions, path: old.FilePath);

        GeneratorOutput second = GeneratorDriverHelper.Run(driver, compilation.ReplaceSyntaxTree(old, changed));
        Assert.True(!second.Errors.Any(), second.DescribeErrors());
        Dictionary<string, IncrementalStepRunReason[]> reasons = Reasons(second.Driver);
        foreach (string step in Steps)
        {
            // One method's outputs are Modified, the other's stay Cached/Unchanged.
            Assert.True(reasons[step].Count(r => r == IncrementalStepRunReason.Modified) == 1, $"step {step}: {Describe(reasons)}");
            Assert.True(reasons[step].Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged) == 1, $"step {step}: {Describe(reasons)}");
        }

        Assert.Contains("Exp(-G*SqDist(X,Y))+B", second.Source("GaussianConv.g.cs"));
    }

    [Fact]
    public void InsertingALineAboveTheMethodsKeepsTheirPlanAndEmitStepsCached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();
        SyntaxTree old = compilation.SyntaxTrees.Single();
        // Every [Reduction] method moves one line down; nothing else changes.
        string moved = Kernels.Replace("public static partial class Kernels\n{", "public static partial class Kernels\n{\n    // a line that moves every method below it");
        Assert.NotEqual(Kernels, moved);
        SyntaxTree changed = CSharpSyntaxTree.ParseText(moved, GeneratorDriverHelper.ParseOptions, path: old.FilePath);

        GeneratorOutput second = GeneratorDriverHelper.Run(driver, compilation.ReplaceSyntaxTree(old, changed));
        Assert.True(!second.Errors.Any(), second.DescribeErrors());
        Dictionary<string, IncrementalStepRunReason[]> reasons = Reasons(second.Driver);

        // The located steps saw the move (else this test would not exercise the split) ...
        Assert.True(reasons[ReductionGenerator.ExtractStep].Length == 2 && reasons[ReductionGenerator.ExtractStep].All(r => r == IncrementalStepRunReason.Modified), Describe(reasons));
        // ... and nothing after the split ran again: Cached, not merely Unchanged.
        foreach (string step in new[] { ReductionGenerator.PlanStep, ReductionGenerator.EmitStep })
        {
            Assert.True(reasons[step].Length == 2 && reasons[step].All(r => r == IncrementalStepRunReason.Cached), $"step {step} re-ran after a move: {Describe(reasons)}");
        }
    }

    [Fact]
    public void DiagnosticsFollowAMovedMethod()
    {
        const string Source = """
            using System;
            using KeOpsGen;

            public static partial class Kernels
            {
                [Reduction("X*Y", "X = Vi(1)", "Y = Vj(1)", "Z = Vj(1)")]
                public static partial void Unused(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> result);
            }
            """;
        CSharpCompilation compilation = GeneratorDriverHelper.Compilation(Source);
        GeneratorOutput first = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(), compilation);
        Diagnostic before = Assert.Single(first.GeneratorDiagnostics, d => d.Id == "KEOPS0107");

        SyntaxTree old = compilation.SyntaxTrees.Single();
        SyntaxTree changed = CSharpSyntaxTree.ParseText(Source.Replace("{\n", "{\n\n\n"), GeneratorDriverHelper.ParseOptions, path: old.FilePath);
        GeneratorOutput second = GeneratorDriverHelper.Run(first.Driver, compilation.ReplaceSyntaxTree(old, changed));
        Diagnostic after = Assert.Single(second.GeneratorDiagnostics, d => d.Id == "KEOPS0107");

        Assert.Equal(before.Location.GetLineSpan().StartLinePosition.Line + 2, after.Location.GetLineSpan().StartLinePosition.Line);
    }
}
