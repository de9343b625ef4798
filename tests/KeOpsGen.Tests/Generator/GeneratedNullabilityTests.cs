using System;
using System.Linq;
using KeOpsGen.Generator.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// Generated files keep nullable annotations but turn nullable warnings off (csc's flow analysis
/// is a fifth of a large project's compile time; see <see cref="GeneratedFile"/>). These tests put
/// the warnings back on in every generated file and require the output to be clean, so switching
/// them off hides nothing: one declaration per reduction, both element types, gradients of order
/// 1 and 2, scalar parameters, Half storage and a kernel solver.
/// </summary>
public sealed class GeneratedNullabilityTests
{
    private const string Declarations = """
        using System;
        using KeOpsGen;

        public static partial class N
        {
            [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", GradientOrder = 2)]
            public static partial void Sum(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

            [Reduction("Exp(-SqDist(X,Y)/(S*S))", "X = Vi(2)", "Y = Vj(2)", "S = Pm(1)", Axis = 0, GradientOrder = 1)]
            public static partial void SumScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float s, Span<float> result);

            [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.Min, GradientOrder = 1)]
            public static partial void Min(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

            [Reduction("X*Y", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.Max, GradientOrder = 1)]
            public static partial void Max(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);

            [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgMin, Axis = 0)]
            public static partial void ArgMin(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

            [Reduction("X*Y", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.ArgMax)]
            public static partial void ArgMax(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<int> indices);

            [Reduction("X-Y", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.MinArgMin, GradientOrder = 1)]
            public static partial void MinArgMin(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> values, Span<int> indices);

            [Reduction("X-Y", "X = Vi(1)", "Y = Vj(1)", Op = ReductionOp.MaxArgMax)]
            public static partial void MaxArgMax(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> values, Span<int> indices);

            [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.KMin, K = 3, GradientOrder = 1)]
            public static partial void KMin(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

            [Reduction("SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.ArgKMin, K = 3, Axis = 0)]
            public static partial void ArgKMin(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

            [Reduction("SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.KMinArgKMin, K = 3)]
            public static partial void KMinArgKMin(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> distances, Span<int> indices);

            [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.LogSumExp, GradientOrder = 1)]
            public static partial void LogSumExp(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);

            [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", Op = ReductionOp.MaxSumShiftExp)]
            public static partial void ShiftExp(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);

            [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", Op = ReductionOp.SumSoftMaxWeight, Weight = "B", GradientOrder = 1)]
            public static partial void SoftMax(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, Span<float> result);

            [Reduction("-SqDist(X,Y)", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", Op = ReductionOp.MaxSumShiftExpWeight, Weight = "B")]
            public static partial void ShiftH(ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, ReadOnlySpan<Half> b, Span<Half> result);

            [KernelSolve("Exp(-G*SqDist(X,Y)) * B", "X = Vi(2)", "Y = Vj(2)", "B = Vj(1)", "G = Pm(1)", GradientOrder = 1)]
            public static partial KernelSolveResult Solve(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double g, double alpha, Span<double> result);
        }
        """;

    [Fact]
    public void EveryGeneratedFileTurnsOffNullableWarningsThroughTheHeaderLine()
    {
        GeneratorOutput output = GeneratorDriverHelper.Run(Declarations);
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        // The assembly-attribute file has no code that nullable analysis could look at.
        GeneratedSourceResult[] files = output.Sources.Where(s => !s.HintName.Contains("IlgpuAccess", StringComparison.Ordinal)).ToArray();
        Assert.True(files.Length >= 17, "expected a file per declaration, got: " + string.Join(", ", files.Select(f => f.HintName)));
        foreach (GeneratedSourceResult file in files)
        {
            string[] lines = file.SourceText.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            Assert.True(lines.Contains("#nullable enable annotations") || lines.Contains("#nullable enable"), $"{file.HintName}: no nullable annotations context");
        }
    }

    [Fact]
    public void GeneratedCodeHasNoNullableWarningWhenTheyAreOn()
    {
        GeneratorOutput output = GeneratorDriverHelper.Run(Declarations);
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        Compilation checkedCompilation = WithNullableWarningsOn(output.OutputCompilation, out int changed);
        Assert.True(changed >= 17, $"only {changed} generated files carried the line that turns warnings off");
        Diagnostic[] nullable = checkedCompilation.GetDiagnostics().Where(IsNullableWarning).ToArray();
        Assert.True(nullable.Length == 0, "nullable warnings in generated code:\n" + string.Join("\n", nullable.Select(d => d.ToString())));
    }

    /// <summary>The check itself can fail: a null dereference added to a generated file is found once the line is removed.</summary>
    [Fact]
    public void TheCheckFindsANullableWarningInAGeneratedFile()
    {
        GeneratorOutput output = GeneratorDriverHelper.Run(Declarations);
        SyntaxTree tree = output.OutputCompilation.SyntaxTrees.First(t => t.GetText().ToString().Contains(GeneratedFile.DisableWarnings, StringComparison.Ordinal));
        string planted = tree.GetText().ToString() + "\ninternal static class __Planted { internal static int F(string? s) => s.Length; }\n";
        Compilation withPlanted = output.OutputCompilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(planted)));
        Assert.DoesNotContain(withPlanted.GetDiagnostics(), IsNullableWarning);
        Diagnostic[] found = WithNullableWarningsOn(withPlanted, out _).GetDiagnostics().Where(IsNullableWarning).ToArray();
        Assert.Contains(found, d => d.Id == "CS8602");
    }

    private static bool IsNullableWarning(Diagnostic d)
        => d.Severity >= DiagnosticSeverity.Warning && d.Id.StartsWith("CS86", StringComparison.Ordinal);

    private static Compilation WithNullableWarningsOn(Compilation compilation, out int changed)
    {
        changed = 0;
        foreach (SyntaxTree tree in compilation.SyntaxTrees.ToArray())
        {
            string text = tree.GetText().ToString();
            if (text.Contains(GeneratedFile.DisableWarnings, StringComparison.Ordinal))
            {
                compilation = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(text.Replace(GeneratedFile.DisableWarnings, "#nullable restore warnings", StringComparison.Ordinal))));
                changed++;
            }
        }

        return compilation;
    }
}
