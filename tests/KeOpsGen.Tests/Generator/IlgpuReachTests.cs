using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// KEOPS0306: a [Reduction] inside a private or protected type has no GPU kernel (ILGPU's dynamic
/// assembly cannot load kernels from such types) and says so at compile time, on the type's name.
/// </summary>
public static partial class IlgpuReachTests
{
    private const string Method = """
        [Reduction("Exp(-SqDist(X,Y))", "X = Vi(3)", "Y = Vj(3)"BACKEND)]
        public static partial void Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);
        """;

    private static string Source(string types, string backend = "")
    {
        // types: the nesting, with METHOD where the reduction goes.
        return "using System;\nusing KeOpsGen;\n\n" + types.Replace("METHOD", Method.Replace("BACKEND", backend), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static partial class Outer { private static partial class Kernels { METHOD } }", "Kernels", "Outer.Kernels", "private")]
    [InlineData("public static partial class Outer { static partial class Kernels { METHOD } }", "Kernels", "Outer.Kernels", "private")]
    [InlineData("public static partial class Outer { private static partial class Hidden { public static partial class Kernels { METHOD } } }", "Hidden", "Outer.Hidden", "private")]
    [InlineData("public partial class Outer { protected static partial class Kernels { METHOD } }", "Kernels", "Outer.Kernels", "protected")]
    [InlineData("public partial class Outer { private protected static partial class Kernels { METHOD } }", "Kernels", "Outer.Kernels", "private protected")]
    public static void ReductionInAPrivateOrProtectedTypeWarnsOnTheTypeAndRunsOnTheCpu(string types, string squiggled, string path, string accessibility)
    {
        string source = Source(types);
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        Diagnostic warning = Assert.Single(output.GeneratorDiagnostics, d => d.Id == "KEOPS0306");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal(squiggled, source.Substring(warning.Location.SourceSpan.Start, warning.Location.SourceSpan.Length));
        // The outermost hidden type is the one squiggled: its identifier, not an inner one of the same name.
        Assert.Equal(source.IndexOf(" " + squiggled + " ", StringComparison.Ordinal) + 1, warning.Location.SourceSpan.Start);
        Assert.Equal($"'Gauss' runs on the CPU engine only: it is declared inside '{path}', a {accessibility} type, and ILGPU loads kernels only from public or internal types; make '{path}' internal (or public) to run it on the GPU", warning.GetMessage());
        Assert.Equal(1, output.GeneratorDiagnostics.Count(d => d.Severity >= DiagnosticSeverity.Warning));
        string generated = string.Concat(output.Sources.Select(s => s.SourceText.ToString()));
        Assert.DoesNotContain("GpuRuntime.Choose", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("global::ILGPU.Runtime.Accelerator accelerator", generated, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static partial class Outer { internal static partial class Kernels { METHOD } }", "")]
    [InlineData("internal static partial class Kernels { METHOD }", "")]
    [InlineData("public partial class Outer { protected internal static partial class Kernels { METHOD } }", "")]
    [InlineData("public static partial class Outer { private static partial class Kernels { METHOD } }", ", Backend = Backend.Cpu")]
    public static void ReachableTypesAndCpuOnlyMethodsDoNotWarn(string types, string backend)
    {
        GeneratorOutput output = GeneratorDriverHelper.Run(Source(types, backend));
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        Assert.DoesNotContain(output.GeneratorDiagnostics, d => d.Id == "KEOPS0306");
        string generated = string.Concat(output.Sources.Select(s => s.SourceText.ToString()));
        Assert.Equal(backend.Length == 0, generated.Contains("GpuRuntime.Choose", StringComparison.Ordinal));
    }

    // KEOPS0306 on purpose (silenced in the project file): this method must run on the CPU engine under IlgpuCpu.
    private static partial class Hidden
    {
        [Reduction("X*Y", "X = Vi(1)", "Y = Vj(1)")]
        public static partial void Product(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> result);
    }

    /// <summary>Before KEOPS0306 this call failed in ILGPU ("Access is denied"); now it runs on the CPU engine.</summary>
    [Fact]
    public static void HiddenReductionUnderIlgpuCpuRunsOnTheCpuEngine()
    {
        var result = new double[2];
        Hidden.Product(new[] { 2.0, -3.0 }, new[] { 0.5, 4.0 }, result, new ReductionOptions { Backend = Backend.IlgpuCpu });
        Assert.Equal(new[] { 2.0 * 4.5, -3.0 * 4.5 }, result);
    }
}
