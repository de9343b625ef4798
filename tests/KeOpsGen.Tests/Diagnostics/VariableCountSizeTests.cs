using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using KeOpsGen.Tests.Generator;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace KeOpsGen.Tests.Diagnostics;

/// <summary>
/// Generated size against the number of variables V. Each gradient kernel (CPU struct, ILGPU
/// class, their inputs) carries only the variables its formula reads, and past 8 variables the
/// public surface is the forward method and the combined MGrad, which name each parameter once:
/// the whole file grows linearly in V. (With one public method per variable, each naming all
/// V + 2 parameters, it grew as V²: 200 variables were 10 MB.)
/// </summary>
public sealed class VariableCountSizeTests
{
    private readonly ITestOutputHelper _output;

    public VariableCountSizeTests(ITestOutputHelper output) => _output = output;

    /// <summary>Σ_k V_2k · V_2k+1 (+ the last one alone for an odd count) with V_2k = Vi(1) and V_2k+1 = Vj(1).</summary>
    internal static string Source(int count)
    {
        string declarations = string.Join(", ", Enumerable.Range(0, count).Select(i => $"\"V{i} = {(i % 2 == 0 ? "Vi" : "Vj")}(1)\""));
        string parameters = string.Join(", ", Enumerable.Range(0, count).Select(i => $"ReadOnlySpan<float> v{i}")) + ", Span<float> r";
        string formula = string.Join("+", Enumerable.Range(0, count / 2).Select(k => $"V{2 * k}*V{(2 * k) + 1}")) + (count % 2 == 1 ? $"+V{count - 1}" : string.Empty);
        return HardeningGeneratorTests.Method($"[Reduction(\"{formula}\", {declarations}, GradientOrder = 1)]", parameters);
    }

    /// <summary>The kernels of MGradV0: from its CPU kernel struct to MGradV1's.</summary>
    private static string GradientKernels(string source)
    {
        int start = source.IndexOf("private struct __KeOpsKernel_MGradV0 ", StringComparison.Ordinal);
        int end = source.IndexOf("private struct __KeOpsKernel_MGradV1 ", start + 1, StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, "MGradV0's kernels not found");
        return source.Substring(start, end - start);
    }

    [Fact]
    public void GeneratedSizeIsLinearInTheNumberOfVariables()
    {
        var total = new Dictionary<int, long>();
        var kernels = new Dictionary<int, int>();
        foreach (int count in new[] { 25, 50, 100 })
        {
            var clock = Stopwatch.StartNew();
            (var sources, var diagnostics) = GeneratorDriverHelper.Generate(Source(count));

            // The one note: the per-variable methods are replaced by the combined one.
            Diagnostic note = Assert.Single(diagnostics);
            Assert.Equal("KEOPS0307", note.Id);
            Assert.Equal(DiagnosticSeverity.Info, note.Severity);
            string source = Assert.Single(sources, s => s.HintName == "K.M.g.cs").SourceText.ToString();
            Assert.Contains(" void MGrad(", source, StringComparison.Ordinal);
            Assert.DoesNotContain(" void MGradV0(", source, StringComparison.Ordinal);
            total[count] = sources.Sum(s => (long)s.SourceText.Length);
            kernels[count] = GradientKernels(source).Length;
            _output.WriteLine($"{count} variables: {total[count]:N0} characters, {kernels[count]:N0} in MGradV0's kernels ({clock.Elapsed.TotalSeconds:F1} s)");
        }

        // Doubling V doubles a linear size (less, for the fixed part) and quadruples a quadratic
        // one; names grow by a digit from 10 and 100 variables on, hence 2.3 and not 2.
        foreach ((int v, int twice) in new[] { (25, 50), (50, 100) })
        {
            double ratio = (double)total[twice] / total[v];
            _output.WriteLine($"size({twice}) / size({v}) = {ratio:F2}");
            Assert.True(ratio <= 2.3, $"size({twice}) / size({v}) = {ratio:F2}: {total[v]:N0} → {total[twice]:N0} characters, more than linear");
        }

        // Unpruned, each gradient kernel names all V variables (fields, gathers, GPU inputs, Core
        // and Run parameters), so it grows with V. Pruned, only digits of the names may differ.
        Assert.True(kernels[100] <= kernels[25] * 1.03, $"MGradV0's kernels: {kernels[25]:N0} characters at 25 variables, {kernels[100]:N0} at 100");

        // The KEOPS0304 estimate (the forward method's parameters) stays a lower bound of the real size.
        foreach (int count in total.Keys)
        {
            long bound = KeOpsGen.Generator.Planning.SizeLimits.LowerBound(1, count + 1);
            Assert.True(bound <= total[count], $"{count} variables: estimate {bound:N0} over the real {total[count]:N0}");
        }
    }

    [Fact]
    public void PerVariableMethodsAreKeptUpToTheThreshold()
    {
        // 8 variables: MGradV0..MGradV7 and MGrad, no note; 9: MGrad only, and the note on the formula.
        (var sources8, var diagnostics8) = GeneratorDriverHelper.Generate(Source(8));
        Assert.Empty(diagnostics8);
        string source8 = Assert.Single(sources8, s => s.HintName == "K.M.g.cs").SourceText.ToString();
        Assert.Contains(" void MGradV7(", source8, StringComparison.Ordinal);
        Assert.Contains(" void MGrad(", source8, StringComparison.Ordinal);

        string source = Source(9);
        (var sources9, var diagnostics9) = GeneratorDriverHelper.Generate(source);
        Diagnostic note = Assert.Single(diagnostics9);
        Assert.Equal("KEOPS0307", note.Id);
        string formula = "V0*V1+V2*V3+V4*V5+V6*V7+V8";
        Assert.Equal(source.IndexOf(formula, StringComparison.Ordinal), note.Location.SourceSpan.Start);
        Assert.Equal(formula.Length, note.Location.SourceSpan.Length);
        Assert.Contains("'M' has 9 variables, more than 8", note.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        string source9 = Assert.Single(sources9, s => s.HintName == "K.M.g.cs").SourceText.ToString();
        Assert.DoesNotContain(" void MGradV", source9, StringComparison.Ordinal);
        Assert.Contains(" void MGrad(", source9, StringComparison.Ordinal);
    }

    [Fact]
    public void ReductionWithPrunedGradientKernelsCompiles()
    {
        var clock = Stopwatch.StartNew();
        // Small: only whether pruned kernels and the combined method's pruned bodies (some with no
        // outer or no inner variable read) compile matters here.
        GeneratorOutput output = GeneratorDriverHelper.Run(Source(9));
        Assert.Equal(new[] { "KEOPS0307" }, output.GeneratorDiagnostics.Select(d => d.Id));
        Diagnostic[] errors = output.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        _output.WriteLine($"9 variables generated and bound in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(errors.Length == 0, string.Join("\n", errors.Take(10)));
    }
}
