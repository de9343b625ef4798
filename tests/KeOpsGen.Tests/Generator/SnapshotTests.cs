using System;
using System.Linq;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// The generated source for representative methods, against reviewed snapshots, and the check
/// that it compiles. A snapshot change is a code change: review the .received.txt diff.
/// </summary>
public class SnapshotTests
{
    private const string Gaussian = """
        using System;
        using KeOpsGen;

        public static partial class Kernels
        {
            [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Axis = 1, GradientOrder = 1)]
            public static partial void GaussianConv(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);
        }
        """;

    private const string Seed = """
        using System;
        using KeOpsGen;

        internal static partial class Kernels
        {
            [Reduction("Square(p-a)*Exp(x+y)", "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)", Axis = 0)]
            internal static partial void SeedOverI(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> a, ReadOnlySpan<double> p, Span<double> result);
        }
        """;

    private const string ScalarParameter = """
        using System;
        using KeOpsGen;

        public static partial class Kernels
        {
            [Reduction("Exp(-SqDist(X,Y)/(S*S))", "X = Vi(2)", "Y = Vj(2)", "S = Pm(1)")]
            public static partial void Smooth(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float s, Span<float> result);
        }
        """;

    private const string Nested = """
        using System;
        using KeOpsGen;

        namespace Outer.Inner
        {
            public partial class Container
            {
                internal static partial class Math2
                {
                    [Reduction("(X|Y) * Log(1 + Abs(B))", "X = Vi(4)", "Y = Vj(4)", "B = Vj(1)")]
                    private static partial void Scalar(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, Span<double> result);
                }
            }
        }
        """;

    [Theory]
    [InlineData("GaussianConv", Gaussian, "Kernels.GaussianConv.g.cs")]
    [InlineData("SeedOverI", Seed, "Kernels.SeedOverI.g.cs")]
    [InlineData("ScalarParameter", ScalarParameter, "Kernels.Smooth.g.cs")]
    [InlineData("NestedInNamespace", Nested, "Container.Math2.Scalar.g.cs")]
    public void GeneratedSourceMatchesSnapshotAndCompiles(string name, string source, string hintName)
    {
        GeneratorOutput output = GeneratorDriverHelper.Run(source);

        Assert.True(!output.Errors.Any(), $"Generated code for {name} does not compile:\n{output.DescribeErrors()}");
        Assert.DoesNotContain(output.GeneratorDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        Snapshot.Match(name, output.Source(hintName));
    }

    [Fact]
    public void BrokenFormulaGivesADiagnosticAndOnlyAThrowingStub()
    {
        const string source = """
            using System;
            using KeOpsGen;

            public static partial class Kernels
            {
                [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(2)", "B = Vj(2)", "G = Pm(1)")]
                public static partial void Broken(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);
            }
            """;
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Diagnostic error = Assert.Single(output.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("KEOPS0104", error.Id);
        // No kernel: only the implementation part that keeps CS8795 away, which throws.
        GeneratedSourceResult stub = Assert.Single(output.Sources);
        Assert.EndsWith(".failed.g.cs", stub.HintName, StringComparison.Ordinal);
        Assert.Contains("throw new global::System.InvalidOperationException(\"KeOpsGen: 'Broken' did not compile: KEOPS0104: ", stub.SourceText.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ICpuKernel", stub.SourceText.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
