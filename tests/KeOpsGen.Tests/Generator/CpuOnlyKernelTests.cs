using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// KEOPS0303: under Backend = Gpu, a kernel whose reduced row does not fit a GPU tile's 48 KiB of
/// shared memory runs on the CPU and says so on the Backend argument. Reachable in a unit test
/// since wide vectors are loops: the 12,289-component kernels compile in a moment.
/// </summary>
public static class CpuOnlyKernelTests
{
    private static string Source(int dim) => $$"""
        using System;
        using KeOpsGen;

        public static partial class K
        {
            [Reduction("X * Sum(Y)", "X = Vi(1)", "Y = Vj({{dim}})", Backend = Backend.Gpu)]
            public static partial void WideSum(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);
        }
        """;

    [Fact]
    public static void AReducedRowOverTheTileLimitWarnsOnTheBackendArgument()
    {
        // 12,289 floats = 49,156 bytes: one value past the 48 KiB (12,288 floats) a tile may use.
        string source = Source(12289);
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        Diagnostic[] warnings = output.GeneratorDiagnostics.Where(d => d.Id == "KEOPS0303").ToArray();
        Diagnostic forward = Assert.Single(warnings, d => d.GetMessage().StartsWith("Backend = Gpu, but 'WideSum' ", StringComparison.Ordinal));
        Assert.Equal(DiagnosticSeverity.Warning, forward.Severity);
        Assert.Equal(
            "Backend = Gpu, but 'WideSum' runs on the CPU: one reduced row holds 12289 values (49156 bytes), more than the 48 KiB of shared memory a GPU tile can use",
            forward.GetMessage());
        string squiggled = source.Substring(forward.Location.SourceSpan.Start, forward.Location.SourceSpan.Length);
        Assert.Contains("Backend.Gpu", squiggled, StringComparison.Ordinal);
        Assert.DoesNotContain("Sum(Y)", squiggled, StringComparison.Ordinal);
    }

    [Fact]
    public static void AReducedRowAtTheTileLimitDoesNotWarn()
    {
        GeneratorOutput output = GeneratorDriverHelper.Run(Source(12288));
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        Assert.DoesNotContain(output.GeneratorDiagnostics, d => d.Id == "KEOPS0303");
    }
}
