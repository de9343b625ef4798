using System;
using System.Linq;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// The optional interop overloads follow the compilation's references: this project references
/// neither System.Numerics.Tensors nor TorchSharp, so nothing of them may be generated (their
/// presence is tested in tests/KeOpsGen.Interop.Tests, which references both).
/// </summary>
public sealed class InteropEmissionTests
{
    private const string Source = """
        using System;
        using KeOpsGen;

        public static partial class K
        {
            [Reduction("Exp(-SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)")]
            public static partial void Conv(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, Span<float> result);
        }
        """;

    [Fact]
    public void WithoutTensorsOrTorchSharpNoInteropSourceIsGenerated()
    {
        GeneratorOutput output = GeneratorDriverHelper.Run(Source);
        Assert.Empty(output.Errors);
        string[] hints = output.Sources.Select(s => s.HintName).ToArray();
        Assert.Contains(hints, h => h.EndsWith("K.Conv.g.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(hints, h => h.Contains("Tensors", StringComparison.Ordinal) || h.Contains("Torch", StringComparison.Ordinal) || h.Contains("Interop", StringComparison.Ordinal));
        Assert.DoesNotContain(output.Sources, s => s.SourceText.ToString().Contains("System.Numerics.Tensors", StringComparison.Ordinal) || s.SourceText.ToString().Contains("TorchSharp", StringComparison.Ordinal));
    }
}
