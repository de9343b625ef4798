using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Tests.Diagnostics;
using KeOpsGen.Tests.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace KeOpsGen.Tests.Gradients;

/// <summary>
/// Gradient methods are generated on request (ReductionAttribute.GradientOrder, default 0): the
/// default emits the reduction alone, 1 the first-order methods, 2 also the second order, and the
/// [KernelSolve] attribute follows the same rule. Checked on the generated sources and on the
/// members the output compilation really has.
/// </summary>
public sealed class GradientsOnRequestTests
{
    private const string Gauss = "\"Exp(-G*SqDist(X,Y))*B\", \"X = Vi(3)\", \"Y = Vj(3)\", \"B = Vj(2)\", \"G = Pm(1)\"";
    private const string GaussParameters = "ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result";

    private static string Source(string members) => $$"""
        using System;
        using KeOpsGen;

        namespace Probe;

        public static partial class K
        {
        {{members}}
        }
        """;

    private static string Reduction(string name, string attributeArguments, string parameters)
        => $"    [Reduction({attributeArguments})]\n    public static partial void {name}({parameters});\n";

    /// <summary>The methods of Probe.K whose name contains "Grad", in the compilation with the generated sources.</summary>
    private static string[] GradientMembers(GeneratorOutput output)
    {
        INamedTypeSymbol type = output.OutputCompilation.GetTypeByMetadataName("Probe.K") ?? throw new InvalidOperationException("Probe.K not found");
        return type.GetMembers().OfType<IMethodSymbol>().Where(m => m.Name.Contains("Grad", StringComparison.Ordinal)).Select(m => m.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }

    private static GeneratorOutput RunClean(string source)
    {
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        return output;
    }

    [Theory]
    [InlineData("\"Exp(-G*SqDist(X,Y))*B\"", "")]
    [InlineData("\"-G*SqDist(X,Y)*B\"", ", Op = ReductionOp.LogSumExp")]
    [InlineData("\"G*SqDist(X,Y)*B\"", ", Op = ReductionOp.Min")]
    public void TheDefaultGeneratesNoGradientMember(string formula, string op)
    {
        // Sum (symbolic gradients), LogSumExp (a saved forward) and Min (selected pairs) each had
        // gradient methods before gradients were on request.
        string arguments = formula + ", \"X = Vi(3)\", \"Y = Vj(3)\", \"B = Vj(1)\", \"G = Pm(1)\"" + op;
        GeneratorOutput output = RunClean(Source(Reduction("Conv", arguments, GaussParameters)));
        Assert.Empty(GradientMembers(output));
        string all = string.Concat(output.Sources.Select(s => s.SourceText.ToString()));
        Assert.DoesNotContain("ConvGrad", all, StringComparison.Ordinal);
        Assert.Empty(output.GeneratorDiagnostics);

        // The same declaration asking for them has them (so the check above can fail).
        GeneratorOutput requested = RunClean(Source(Reduction("Conv", arguments + ", GradientOrder = 1", GaussParameters)));
        Assert.Contains("ConvGradX", GradientMembers(requested));
    }

    [Fact]
    public void GradientOrderOneGeneratesEveryFirstOrderMethodAndTheCombinedOne()
    {
        GeneratorOutput output = RunClean(Source(Reduction("Conv", Gauss + ", GradientOrder = 1", GaussParameters)));
        Assert.Equal(new[] { "ConvGrad", "ConvGradB", "ConvGradG", "ConvGradX", "ConvGradY" }, GradientMembers(output));
    }

    [Fact]
    public void GradientOrderTwoAddsTheSecondOrderMethods()
    {
        GeneratorOutput output = RunClean(Source(Reduction("Conv", Gauss + ", GradientOrder = 2", GaussParameters)));
        string[] members = GradientMembers(output);
        Assert.Contains("ConvGradX", members);
        Assert.Contains("ConvGradXGradY", members);
        Assert.Contains("ConvGradGGradGradOutput", members);
        // Every first-order method's gradient with respect to each of its inputs (the variables and gradOutput).
        foreach (string p in new[] { "X", "Y", "B", "G" })
        {
            foreach (string q in new[] { "X", "Y", "B", "G", "GradOutput" })
            {
                Assert.Contains($"ConvGrad{p}Grad{q}", members);
            }
        }
    }

    [Fact]
    public void ManyVariablesGiveTheCombinedMethodNoteOnlyWhenGradientsAreRequested()
    {
        // KEOPS0307 says the per-variable methods were replaced by the combined one: at the default
        // there are neither, so it must not appear.
        const int count = 9;
        string declarations = string.Join(", ", Enumerable.Range(0, count).Select(i => $"\"V{i} = {(i % 2 == 0 ? "Vi" : "Vj")}(1)\""));
        string parameters = string.Join(", ", Enumerable.Range(0, count).Select(i => $"ReadOnlySpan<float> v{i}")) + ", Span<float> r";
        string formula = string.Join("+", Enumerable.Range(0, count).Select(i => $"V{i}"));
        GeneratorOutput plain = RunClean(Source($"    [Reduction(\"{formula}\", {declarations})]\n    public static partial void M({parameters});\n"));
        Assert.DoesNotContain(plain.GeneratorDiagnostics, d => d.Id == "KEOPS0307");
        Assert.Empty(GradientMembers(plain));

        GeneratorOutput requested = RunClean(Source($"    [Reduction(\"{formula}\", {declarations}, GradientOrder = 1)]\n    public static partial void M({parameters});\n"));
        Assert.Contains(requested.GeneratorDiagnostics, d => d.Id == "KEOPS0307");
        Assert.Equal(new[] { "MGrad" }, GradientMembers(requested));
    }

    [Fact]
    public void ANotDifferentiableInputIsReportedOnlyWhenGradientsAreRequested()
    {
        // SoftDTW has no derivative in its gamma: KEOPS0114 names the method not generated, which
        // is news only to a user who asked for the gradients.
        const string Formula = "\"SoftDTW_SqDist(X,Y,G)\", \"X = Vi(5)\", \"Y = Vj(4)\", \"G = Pm(1)\"";
        const string Parameters = "ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> result";
        GeneratorOutput plain = RunClean(Source(Reduction("Dtw", Formula, Parameters)));
        Assert.Empty(plain.GeneratorDiagnostics);

        GeneratorOutput requested = RunClean(Source(Reduction("Dtw", Formula + ", GradientOrder = 1", Parameters)));
        Diagnostic note = Assert.Single(requested.GeneratorDiagnostics);
        Assert.Equal("KEOPS0114", note.Id);
        Assert.Contains("DtwGradG", note.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(new[] { "DtwGrad", "DtwGradX", "DtwGradY" }, GradientMembers(requested));
    }

    private const string SolveParameters = "ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, double alpha, Span<float> r";

    private static string Solve(string extra)
        => Source($"    [KernelSolve(\"Exp(-G*SqDist(X,Y))*B\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = Vj(1)\", \"G = Pm(1)\"{extra})]\n    public static partial KernelSolveResult S({SolveParameters});\n");

    [Fact]
    public void AKernelSolveHasGradientsOnRequestToo()
    {
        // The default: the solve and its operator, nothing that differentiates either.
        GeneratorOutput plain = RunClean(Solve(string.Empty));
        Assert.Empty(GradientMembers(plain));
        Assert.Contains("public static void SOperator(", plain.Source("K.SOperator.g.cs"), StringComparison.Ordinal);

        // GradientOrder = 1: the solve's gradients, and the operator's that they call.
        GeneratorOutput requested = RunClean(Solve(", GradientOrder = 1"));
        string[] members = GradientMembers(requested);
        foreach (string expected in new[] { "SGradB", "SGradG", "SGradX", "SGradY", "SOperatorGradG", "SOperatorGradX", "SOperatorGradY" })
        {
            Assert.Contains(expected, members);
        }
    }

    [Theory]
    [InlineData(", [|GradientOrder = 2|]", "found 2")]
    [InlineData(", [|GradientOrder = -1|]", "must be 0 (no gradient methods, the default) or 1")]
    public void AKernelSolveTakesGradientOrderZeroOrOne(string extra, string messagePart)
    {
        (string source, TextSpan expected) = DiagnosticTests.Unmark(Solve(extra));
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Diagnostic diagnostic = Assert.Single(output.GeneratorDiagnostics);
        Assert.Equal("KEOPS0207", diagnostic.Id);
        Assert.Equal(expected, diagnostic.Location.SourceSpan);
        Assert.Contains(messagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
