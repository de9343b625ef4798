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
/// Generated size against the number of variables V: every variable gets a gradient method, and
/// each gradient kernel (CPU struct, ILGPU class, their inputs) carries only the variables its
/// formula reads, so the kernels together grow linearly in V. What still grows as V² is each
/// gradient method's public surface (its signatures, docs and checks name every parameter).
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
        return HardeningGeneratorTests.Method($"[Reduction(\"{formula}\", {declarations})]", parameters);
    }

    /// <summary>The kernels of MGradV0: from its CPU kernel struct to the docs of the next method.</summary>
    private static string GradientKernels(string source)
    {
        int start = source.IndexOf("private unsafe struct __KeOpsKernel_MGradV0 ", StringComparison.Ordinal);
        int end = source.IndexOf("/// <summary>Gradient of <see cref=\"M\"/> with respect to <paramref name=\"v1\"/>", start, StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, "MGradV0's kernels not found");
        return source.Substring(start, end - start);
    }

    [Fact]
    public void GradientKernelsStayTheSameSizeWhateverTheNumberOfVariables()
    {
        var total = new Dictionary<int, long>();
        var kernels = new Dictionary<int, int>();
        foreach (int count in new[] { 25, 50, 75 })
        {
            var clock = Stopwatch.StartNew();
            (var sources, var diagnostics) = GeneratorDriverHelper.Generate(Source(count));
            Assert.Empty(diagnostics);
            string source = Assert.Single(sources, s => s.HintName == "K.M.g.cs").SourceText.ToString();
            total[count] = sources.Sum(s => (long)s.SourceText.Length);
            kernels[count] = GradientKernels(source).Length;
            _output.WriteLine($"{count} variables: {total[count]:N0} characters, {kernels[count]:N0} in MGradV0's kernels ({clock.Elapsed.TotalSeconds:F1} s)");
        }

        // Unpruned, each gradient kernel names all V variables (fields, gathers, GPU inputs, Core
        // and Run parameters), so it grows with V. Pruned, only digits of the names may differ.
        Assert.True(kernels[75] <= kernels[25] * 1.02, $"MGradV0's kernels: {kernels[25]:N0} characters at 25 variables, {kernels[75]:N0} at 75");

        // The KEOPS0304 estimate stays a lower bound of the real size, so it rejects nothing that fits.
        foreach (int count in total.Keys)
        {
            long bound = KeOpsGen.Generator.Planning.SizeLimits.LowerBound(count + 1, count + 2);
            Assert.True(bound <= total[count], $"{count} variables: estimate {bound:N0} over the real {total[count]:N0}");
        }
    }

    [Fact]
    public void ReductionWithPrunedGradientKernelsCompiles()
    {
        var clock = Stopwatch.StartNew();
        // Small: only whether pruned kernels (some with no outer or no inner variable) compile matters here.
        GeneratorOutput output = GeneratorDriverHelper.Run(Source(9));
        Assert.Empty(output.GeneratorDiagnostics);
        Diagnostic[] errors = output.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        _output.WriteLine($"9 variables generated and bound in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(errors.Length == 0, string.Join("\n", errors.Take(10)));
    }
}
