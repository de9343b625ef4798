using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// Generated code compiles in a project without AllowUnsafeBlocks (the package no longer turns it
/// on): every reduction kind, both axes, float/double/Half, plain scalars, gradients (both
/// forward-pass kinds), the options overloads (with ranges and tokens converted to options),
/// hoisted one-side values (scalar and looped), the blocked k-NN path, KernelSolve and the GPU
/// struct. Before kernels became structs with static members only (spans handed to the runtime),
/// this compilation failed with CS0227 on every method body.
/// </summary>
public sealed class SafeConsumerTests
{
    private const string Source = """
        using System;
        using KeOpsGen;

        public static partial class K
        {
            [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", GradientOrder = 1)]
            public static partial void SumF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

            [Reduction("Exp(-G*SqDist(X,Y))*A", "X = Vi(3)", "Y = Vj(3)", "A = Vi(1)", "G = Pm(1)", Axis = 0, GradientOrder = 1)]
            public static partial void SumD0(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, double g, Span<double> result);

            [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", "G = Pm(1)", GradientOrder = 1)]
            public static partial void SumH(ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, ReadOnlySpan<Half> b, ReadOnlySpan<Half> g, Span<Half> result);

            // Hoisted values on every side: Sin(X) per outer row, Cos(Y) per inner row, -G once.
            [Reduction("Sin(X)*Cos(Y)*Exp(-G*Sum(X*Y))", "X = Vi(2)", "Y = Vj(2)", "G = Pm(1)", GradientOrder = 1)]
            public static partial void Hoisted(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float g, Span<float> result);

            // Wide: the looped lowering, in the hoisted values too.
            [Reduction("Exp(-SqDist(Sin(X),Y))", "X = Vi(300)", "Y = Vj(300)", GradientOrder = 1)]
            public static partial void Wide(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

            [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.Min, GradientOrder = 1)]
            public static partial void MinF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

            [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgMin, Axis = 0, GradientOrder = 1)]
            public static partial void ArgMinF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

            [Reduction("X-Y", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.MinArgMin, GradientOrder = 1)]
            public static partial void MinArgMinD(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> values, Span<int> indices);

            [Reduction("X*Y", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.Max, GradientOrder = 1)]
            public static partial void MaxF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

            [Reduction("X*Y", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.ArgMax, GradientOrder = 1)]
            public static partial void ArgMaxF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

            [Reduction("X*Y", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.MaxArgMax, GradientOrder = 1)]
            public static partial void MaxArgMaxF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> values, Span<int> indices);

            [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.KMin, K = 3, GradientOrder = 1)]
            public static partial void KMinF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

            [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgKMin, K = 3, Axis = 0, GradientOrder = 1)]
            public static partial void ArgKMinD(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<int> indices);

            [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.KMinArgKMin, K = 2, GradientOrder = 1)]
            public static partial void KMinArgKMinF(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> values, Span<int> indices);

            // Large D: the blocked distance path of the k-NN.
            [Reduction("SqDist(X,Y)", "X = Vi(128)", "Y = Vj(128)", Op = ReductionOp.ArgKMin, K = 4, GradientOrder = 1)]
            public static partial void Knn(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

            [Reduction("-G*SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "G = Pm(1)", Op = ReductionOp.LogSumExp, GradientOrder = 1)]
            public static partial void Lse(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> result);

            [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", Op = ReductionOp.LogSumExp, Weight = "B", GradientOrder = 1)]
            public static partial void LseWeighted(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, Span<double> result);

            [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.MaxSumShiftExp, GradientOrder = 1)]
            public static partial void ShiftExp(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

            [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", Op = ReductionOp.SumSoftMaxWeight, Weight = "B", GradientOrder = 1)]
            public static partial void SoftMax(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, Span<float> result);

            [KernelSolve("Exp(-G*SqDist(X,Y)) * B", "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", "G = Pm(1)", GradientOrder = 1)]
            public static partial KernelSolveResult Solve(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double g, double alpha, Span<double> result);

            [KernelSolve("Exp(-SqDist(X,Y)) * MatVecMult(A, B)", "X = Vi(1)", "Y = Vj(1)", "B = Vj(2)", "A = Pm(4)", GradientOrder = 1)]
            public static partial KernelSolveResult SolveCoupled(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> a, double alpha, Span<float> result);
        }
        """;

    /// <summary>Methods the source declares: each must have been generated, with its gradients where it has them.</summary>
    private static readonly string[] s_methods =
    {
        "SumF", "SumD0", "SumH", "Hoisted", "Wide", "MinF", "ArgMinF", "MinArgMinD", "MaxF", "ArgMaxF", "MaxArgMaxF",
        "KMinF", "ArgKMinD", "KMinArgKMinF", "Knn", "Lse", "LseWeighted", "ShiftExp", "SoftMax", "Solve", "SolveCoupled",
    };

    [Fact]
    public void GeneratedCodeCompilesWithoutAllowUnsafeBlocks()
    {
        // The user's source and the generated files, compiled with unsafe off (before the runtime
        // pinned the spans itself, every generated method failed here with CS0227).
        CSharpCompilation compilation = TestCompilation.Create("KeOpsGen.SafeConsumer", OptimizationLevel.Debug, allowUnsafe: false, Source);
        GeneratorOutput output = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(), compilation);
        Assert.Empty(output.Errors);
        Compilation safe = output.OutputCompilation;
        foreach (string method in s_methods)
        {
            Assert.Contains(output.Sources, s => s.HintName.EndsWith($"K.{method}.g.cs", StringComparison.Ordinal));
        }

        // What the source asks for is really there: gradients of both forward-pass kinds, a
        // gradient's one span method (options optional), a group row check (stackalloc'd shapes),
        // the GPU class and the KernelSolve system.
        string all = string.Concat(output.Sources.Select(s => s.SourceText.ToString()));
        foreach (string expected in new[] { "LseGradX(", "MinFGradX(", "SumFGradG(", "global::KeOpsGen.ReductionOptions? options = null)", "stackalloc int[] { ", "__KeOpsKernel_SumFGpu", "__KeOpsSolve_Solve", "BlockedDistance.TryKMin", "PrecomputeOuter", "PrecomputeInner", "PrecomputeParams" })
        {
            Assert.Contains(expected, all, StringComparison.Ordinal);
        }

        List<Diagnostic> errors = safe.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "errors without AllowUnsafeBlocks:\n" + string.Join("\n", errors.Take(30)));
    }

    [Fact]
    public void GeneratedBodiesHoldNoPinningOrPointers()
    {
        CSharpCompilation compilation = TestCompilation.Create("KeOpsGen.SafeConsumerText", OptimizationLevel.Debug, allowUnsafe: true, Source);
        GeneratorOutput output = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(), compilation);
        Assert.Empty(output.Errors);
        foreach (GeneratedSourceResult source in output.Sources)
        {
            SyntaxNode root = source.SyntaxTree.GetRoot();
            foreach (SyntaxNode node in root.DescendantNodes())
            {
                Assert.False(node is FixedStatementSyntax or PointerTypeSyntax or UnsafeStatementSyntax, $"{source.HintName}: {node}");
                Assert.False(node is MemberDeclarationSyntax m && m.Modifiers.Any(SyntaxKind.UnsafeKeyword), $"{source.HintName}: unsafe member {node.ToString().Split('\n')[0]}");
            }
        }
    }
}
