using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using KeOpsGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace KeOpsGen.Interop.Tests;

/// <summary>
/// The generator against compilations that reference System.Numerics.Tensors and TorchSharp:
/// which files appear, and that everything it emits compiles against the real packages
/// (TorchSharp 0.107.0's managed assembly; nothing here loads libtorch).
/// </summary>
public sealed class InteropGeneratorTests
{
    private const string Source = """
        using System;
        using KeOpsGen;

        namespace Demo;

        public static partial class K
        {
            [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", GradientOrder = 1)]
            public static partial void Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);

            [Reduction("-G*SqDist(X,Y)*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "G = Pm(1)", Op = ReductionOp.LogSumExp)]
            public static partial void Lse(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, double g, Span<double> result);

            [Reduction("SqDist(X,Y)", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.ArgKMin, K = 3)]
            public static partial void Knn(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> indices);

            // Nine variables: past GradientSurface.MaxPerVariableMethods only ManyGrad is public (KEOPS0307).
            [Reduction("Exp(-G*SqDist(X,Y))*(B+(U|V)+P*Q+W)", "X = Vi(3)", "Y = Vj(3)", "B = Vj(1)", "U = Vi(2)", "V = Vj(2)", "P = Vi(1)", "Q = Vj(1)", "W = Vj(1)", "G = Pm(1)", GradientOrder = 1)]
            public static partial void Many(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> u, ReadOnlySpan<float> v, ReadOnlySpan<float> p, ReadOnlySpan<float> q, ReadOnlySpan<float> w, float g, Span<float> result);
        }
        """;

    [Fact]
    public void TensorAndTorchOverloadsAreGeneratedAndCompile()
    {
        (ImmutableArray<GeneratedSourceResult> sources, ImmutableArray<Diagnostic> errors) = Run(withTensors: true, withTorch: true);
        Assert.True(errors.IsEmpty, string.Join("\n", errors));
        string[] hints = sources.Select(s => s.HintName).ToArray();
        Assert.Contains("KeOpsGen.Interop.TensorArguments.g.cs", hints);
        Assert.Contains("KeOpsGen.Interop.TorchArguments.g.cs", hints);
        Assert.Contains("K.Gauss.Tensors.g.cs", hints);
        Assert.Contains("K.Knn.Tensors.g.cs", hints);
        Assert.Contains("K.Gauss.Torch.g.cs", hints);
        Assert.Contains("K.Lse.Torch.g.cs", hints);

        // Indices are not differentiable: no autograd overload for an index-only reduction.
        Assert.DoesNotContain("K.Knn.Torch.g.cs", hints);

        string torch = sources.Single(s => s.HintName == "K.Gauss.Torch.g.cs").SourceText.ToString();
        Assert.Contains("SingleTensorFunction<__KeOpsTorch_Gauss>", torch, StringComparison.Ordinal);
        foreach (string gradient in new[] { "GaussGradX(", "GaussGradY(", "GaussGradB(", "GaussGradG(" })
        {
            Assert.Contains(gradient, torch, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("NoGradient(", torch, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutGradientsTheTorchFunctionRefusesInputsThatRequireGradBeforeRunning()
    {
        // Lse keeps the default GradientOrder = 0: its TorchSharp overload still runs forward, and
        // checks every tensor input before apply (a scalar cannot require grad), naming the method
        // and the fix, instead of autograd failing later in a backward with nothing to call.
        (ImmutableArray<GeneratedSourceResult> sources, ImmutableArray<Diagnostic> errors) = Run(withTensors: false, withTorch: true);
        Assert.True(errors.IsEmpty, string.Join("\n", errors));
        string torch = sources.Single(s => s.HintName == "K.Lse.Torch.g.cs").SourceText.ToString();
        string overload = torch.Substring(0, torch.IndexOf(".apply(", StringComparison.Ordinal));
        foreach (string tensor in new[] { "x", "y", "b" })
        {
            Assert.Contains($"TorchArguments.NoGradient({tensor}, \"{tensor}\", \"K.Lse\");", overload, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("NoGradient(g,", torch, StringComparison.Ordinal);
        Assert.DoesNotContain("LseGrad", torch, StringComparison.Ordinal);
        string helpers = sources.Single(s => s.HintName == "KeOpsGen.Interop.TorchArguments.g.cs").SourceText.ToString();
        Assert.Contains("tensor.requires_grad && global::TorchSharp.torch.is_grad_enabled()", helpers, StringComparison.Ordinal);
        Assert.Contains("Set GradientOrder = 1 on the [Reduction] attribute of {method}", helpers, StringComparison.Ordinal);
    }

    [Fact]
    public void PastEightVariablesBackwardCallsTheCombinedGradientOnce()
    {
        // Only the combined ManyGrad exists for nine variables: backward calls it once, with a
        // tensor for each input autograd asks about and an empty span for the others (the C#
        // scalar g among them), and returns one gradient or null per forward argument.
        (ImmutableArray<GeneratedSourceResult> sources, ImmutableArray<Diagnostic> errors) = Run(withTensors: false, withTorch: true);
        Assert.True(errors.IsEmpty, string.Join("\n", errors));
        string torch = sources.Single(s => s.HintName == "K.Many.Torch.g.cs").SourceText.ToString();
        string backward = torch.Substring(torch.IndexOf("backward(", StringComparison.Ordinal));
        Assert.DoesNotContain("NotSupportedException", backward, StringComparison.Ordinal);
        Assert.DoesNotContain("ManyGradX(", torch, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(backward, @"\bManyGrad\("));
        foreach (string input in new[] { "x", "y", "b", "u", "v", "p", "q", "w" })
        {
            Assert.Contains($"__grad_{input} is null ? default : ", backward, StringComparison.Ordinal);
        }

        Assert.Equal(9, System.Text.RegularExpressions.Regex.Matches(backward, @"__grads\.Add\(").Count);
        Assert.Contains("__grad_w is null ? default : global::KeOpsGen.Interop.TorchArguments.Span<float>(__grad_w), default);", backward, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void EachLibraryBringsOnlyItsOwnOverloads(bool withTensors, bool withTorch)
    {
        (ImmutableArray<GeneratedSourceResult> sources, ImmutableArray<Diagnostic> errors) = Run(withTensors, withTorch);
        Assert.True(errors.IsEmpty, string.Join("\n", errors));
        Assert.Equal(withTensors, sources.Any(s => s.HintName.EndsWith(".Tensors.g.cs", StringComparison.Ordinal)));
        Assert.Equal(withTorch, sources.Any(s => s.HintName.EndsWith(".Torch.g.cs", StringComparison.Ordinal)));
    }

    private static (ImmutableArray<GeneratedSourceResult> Sources, ImmutableArray<Diagnostic> Errors) Run(bool withTensors, bool withTorch)
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = new List<MetadataReference>();
        foreach (string path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string file = Path.GetFileName(path);
            bool tensors = file == "System.Numerics.Tensors.dll";
            bool torch = file is "TorchSharp.dll";
            if (file.StartsWith("KeOpsGen", StringComparison.Ordinal) || (tensors && !withTensors) || (torch && !withTorch))
            {
                continue;
            }

            references.Add(MetadataReference.CreateFromFile(path));
        }

        references.Add(MetadataReference.CreateFromFile(typeof(ReductionAttribute).Assembly.Location));
        if (withTensors && !references.Any(r => r.Display?.EndsWith("System.Numerics.Tensors.dll", StringComparison.Ordinal) == true))
        {
            references.Add(MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorSpan<>).Assembly.Location));
        }

        if (withTorch && !references.Any(r => r.Display?.EndsWith("TorchSharp.dll", StringComparison.Ordinal) == true))
        {
            references.Add(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location));
        }

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "InteropInput",
            new[] { CSharpSyntaxTree.ParseText(Source, parse, path: "Input.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new ReductionGenerator().AsSourceGenerator() }, parseOptions: parse);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        ImmutableArray<Diagnostic> errors = generatorDiagnostics.Concat(output.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error || d.Severity == DiagnosticSeverity.Warning)
            .ToImmutableArray();
        return (driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).ToImmutableArray(), errors);
    }
}
