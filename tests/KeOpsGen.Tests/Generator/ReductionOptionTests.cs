using System;
using System.Collections.Immutable;
using System.Linq;
using KeOpsGen.Generator;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>Reduction options and output signatures, through the real generator driver.</summary>
public static class ReductionOptionTests
{
    private static ImmutableArray<Diagnostic> Run(string source, out Compilation output)
    {
        CSharpCompilation compilation = TestCompilation.Create("Probe", source);
        CSharpGeneratorDriver.Create(new[] { new ReductionGenerator().AsSourceGenerator() }, parseOptions: TestCompilation.ParseOptions).RunGeneratorsAndUpdateCompilation(compilation, out output, out ImmutableArray<Diagnostic> diagnostics);
        return diagnostics;
    }

    private static string Method(string attribute, string parameters) => $$"""
        using System;
        using KeOpsGen;
        public static partial class K
        {
            {{attribute}}
            public static partial void M({{parameters}});
        }
        """;

    private const string Inputs = "ReadOnlySpan<float> x, ReadOnlySpan<float> y";

    [Theory]
    [InlineData("Op = ReductionOp.KMin, K = 0", "Span<float> r", "K = 0")]
    [InlineData("Op = ReductionOp.ArgKMin", "Span<int> r", "ArgKMin")]
    [InlineData("Op = ReductionOp.Min, K = 2", "Span<float> r", "K = 2")]
    [InlineData("Op = ReductionOp.Min, SumScheme = SumScheme.Kahan", "Span<float> r", "SumScheme = SumScheme.Kahan")]
    [InlineData("Op = ReductionOp.ArgMax, Accumulation = Accumulation.Double", "Span<int> r", "Accumulation = Accumulation.Double")]
    [InlineData("Op = ReductionOp.Max, Weight = \"Y\"", "Span<float> r", "Weight = \"Y\"")]
    [InlineData("Op = ReductionOp.SumSoftMaxWeight", "Span<float> r", "SumSoftMaxWeight")]
    public static void InvalidOptionIsKeops0205OnTheOption(string options, string outputs, string squiggled)
    {
        string source = Method($"[Reduction(\"X - Y\", \"X = Vi(2)\", \"Y = Vj(2)\", {options})]", $"{Inputs}, {outputs}");
        Diagnostic diagnostic = Assert.Single(Run(source, out _));
        Assert.Equal("KEOPS0205", diagnostic.Id);
        Assert.Contains(squiggled, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length), StringComparison.Ordinal);
    }

    [Fact]
    public static void LogSumExpOfAVectorFormulaIsKeops0205OnTheFormula()
    {
        string source = Method("[Reduction(\"X - Y\", \"X = Vi(2)\", \"Y = Vj(2)\", Op = ReductionOp.LogSumExp)]", $"{Inputs}, Span<float> r");
        Diagnostic diagnostic = Assert.Single(Run(source, out _));
        Assert.Equal("KEOPS0205", diagnostic.Id);
        Assert.Equal("X - Y", source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public static void WeightErrorsPointIntoTheWeightString()
    {
        string source = Method("[Reduction(\"Sum(X * Y)\", \"X = Vi(2)\", \"Y = Vj(2)\", Op = ReductionOp.LogSumExp, Weight = \"Y + Q\")]", $"{Inputs}, Span<float> r");
        Diagnostic diagnostic = Assert.Single(Run(source, out _));
        Assert.Equal("KEOPS0106", diagnostic.Id);
        int start = diagnostic.Location.SourceSpan.Start;
        Assert.Equal("Q", source.Substring(start, diagnostic.Location.SourceSpan.Length));
        Assert.True(start > source.IndexOf("Weight", StringComparison.Ordinal), "the squiggle must be inside the Weight literal");
    }

    [Theory]
    [InlineData("ArgMin", "Span<float> r")]
    [InlineData("MinArgMin", "Span<float> r")]
    [InlineData("MinArgMin", "Span<float> r, Span<float> i")]
    [InlineData("Min", "Span<int> r")]
    public static void WrongOutputSignatureIsReported(string op, string outputs)
    {
        string source = Method($"[Reduction(\"X - Y\", \"X = Vi(2)\", \"Y = Vj(2)\", Op = ReductionOp.{op})]", $"{Inputs}, {outputs}");
        Diagnostic diagnostic = Assert.Single(Run(source, out _));
        Assert.True(diagnostic.Id is "KEOPS0202" or "KEOPS0203", diagnostic.ToString());
    }

    [Theory]
    [InlineData("Op = ReductionOp.MinArgMin", "Span<float> v, Span<int> i")]
    [InlineData("Op = ReductionOp.KMinArgKMin, K = 4", "Span<float> v, Span<int> i")]
    [InlineData("Op = ReductionOp.ArgKMin, K = 4", "Span<int> i")]
    [InlineData("Op = ReductionOp.SumSoftMaxWeight, Weight = \"Y\", SumScheme = SumScheme.Kahan", "Span<float> v")]
    [InlineData("Op = ReductionOp.LogSumExp, Accumulation = Accumulation.Double", "Span<float> v")]
    public static void ValidSignaturesCompile(string options, string outputs)
    {
        string formula = options.Contains("Exp", StringComparison.Ordinal) || options.Contains("SoftMax", StringComparison.Ordinal) ? "Sum(X * Y)" : "X - Y";
        string source = Method($"[Reduction(\"{formula}\", \"X = Vi(2)\", \"Y = Vj(2)\", {options})]", $"{Inputs}, {outputs}");
        Assert.Empty(Run(source, out Compilation output));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
