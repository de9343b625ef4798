using System.Linq;
using KeOpsGen.Generator;
using KeOpsGen.Tests.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace KeOpsGen.Tests.Solvers;

/// <summary>The [KernelSolve] pipeline is cached like [Reduction]'s: unrelated edits recompute nothing, a formula edit reaches Emit.</summary>
public sealed class KernelSolveIncrementalityTests
{
    private static readonly string[] Steps = { KernelSolveGenerator.ExtractStep, KernelSolveGenerator.AnalyzeStep, KernelSolveGenerator.EmitStep };

    private const string Source = """
        using System;
        using KeOpsGen;

        namespace Demo;

        public static partial class Gp
        {
            [KernelSolve("Exp(-G*SqDist(X,Y))*B", "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", "G = Pm(1)")]
            public static partial KernelSolveResult Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double g, double alpha, Span<double> result);

            public static int Helper(int value) => value + 1;
        }
        """;

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step)
    {
        GeneratorRunResult result = driver.GetRunResult().Results.Single(r => r.Generator.GetGeneratorType() == typeof(KernelSolveGenerator));
        return result.TrackedSteps.TryGetValue(step, out var runs) ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToArray() : System.Array.Empty<IncrementalStepRunReason>();
    }

    [Fact]
    public void UnrelatedEditsKeepEveryStepCachedAndAFormulaEditReachesEmit()
    {
        CSharpCompilation compilation = GeneratorDriverHelper.Compilation(Source);
        GeneratorOutput first = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(), compilation);
        Assert.True(!first.Errors.Any(), first.DescribeErrors());
        Assert.All(Steps, step => Assert.Equal(new[] { IncrementalStepRunReason.New }, Reasons(first.Driver, step)));

        SyntaxTree old = compilation.SyntaxTrees.Single();
        CSharpCompilation unrelated = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Source.Replace("value + 1", "(value * 3) - 7"), GeneratorDriverHelper.ParseOptions, path: old.FilePath));
        GeneratorOutput second = GeneratorDriverHelper.Run(first.Driver, unrelated);
        Assert.All(Steps, step => Assert.All(Reasons(second.Driver, step), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}")));

        CSharpCompilation edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Source.Replace("SqDist(X,Y))*B", "SqDist(Y,X))*B"), GeneratorDriverHelper.ParseOptions, path: old.FilePath));
        GeneratorOutput third = GeneratorDriverHelper.Run(second.Driver, edited);
        Assert.True(!third.Errors.Any(), third.DescribeErrors());
        Assert.Equal(new[] { IncrementalStepRunReason.Modified }, Reasons(third.Driver, KernelSolveGenerator.EmitStep));
        Assert.Contains("SqDist(Y,X)", third.Source("Gp.Fit.g.cs"), System.StringComparison.Ordinal);
    }
}
