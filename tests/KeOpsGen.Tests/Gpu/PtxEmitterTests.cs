using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Generator.Emit;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gpu;

/// <summary>
/// The PTX emitter without a GPU: no ptxas here, so the text is checked structurally
/// (<see cref="PtxStructure"/>) and two representative kernels are pinned by snapshots.
/// Whether the PTX assembles and computes the right numbers is checked by the [GpuFact] tests
/// and build/gpu-check.sh on a machine with a GPU.
/// </summary>
public sealed class PtxEmitterTests
{
    private const string Gaussian = "[Reduction(\"Exp(-G*SqDist(X,Y))*B\", \"X = Vi(3)\", \"Y = Vj(3)\", \"B = Vj(1)\", \"G = Pm(1)\"{0})]\n"
        + "private static partial void Gauss(ReadOnlySpan<{1}> x, ReadOnlySpan<{1}> y, ReadOnlySpan<{1}> b, ReadOnlySpan<{1}> g, Span<{1}> result);";

    private const string Seed = "[Reduction(\"Square(p-a)*Exp(x+y)\", \"x = Vi(3)\", \"y = Vj(3)\", \"a = Vj(1)\", \"p = Pm(1)\"{0})]\n"
        + "private static partial void Seed(ReadOnlySpan<{1}> x, ReadOnlySpan<{1}> y, ReadOnlySpan<{1}> a, ReadOnlySpan<{1}> p, Span<{1}> result);";

    [Fact]
    public void GaussianSumFloatMatchesSnapshot()
    {
        PtxGeneration run = PtxGeneration.Run(string.Format(Gaussian, string.Empty, "float"));
        GeneratedPtx kernel = run.Kernels().Single(k => k.KernelName == "__KeOpsKernel_Gauss");
        Snapshot.Match("Ptx.GaussianSum.f32", kernel.Text);
    }

    [Fact]
    public void SeedFormulaDoubleMatchesSnapshot()
    {
        PtxGeneration run = PtxGeneration.Run(string.Format(Seed, string.Empty, "double"));
        GeneratedPtx kernel = run.Kernels().Single(k => k.KernelName == "__KeOpsKernel_Seed");
        Snapshot.Match("Ptx.Seed.f64", kernel.Text);
    }

    [Theory]
    [InlineData("float", "")]
    [InlineData("double", "")]
    [InlineData("float", ", SumScheme = SumScheme.Direct")]
    [InlineData("float", ", SumScheme = SumScheme.Kahan, Accumulation = Accumulation.Double")]
    [InlineData("double", ", Axis = 0")]
    public void EveryKernelOfTheSeedAndGaussianFormulasIsWellFormed(string type, string options)
    {
        foreach (string template in new[] { Seed, Gaussian })
        {
            PtxGeneration run = PtxGeneration.Run(string.Format(template, options, type));
            Assert.Empty(run.CompileErrors);
            List<GeneratedPtx> kernels = run.Kernels();

            // The reduction and one gradient per input (4 inputs): every one has PTX.
            Assert.Equal(5, kernels.Count);
            foreach (GeneratedPtx kernel in kernels)
            {
                Assert.Empty(PtxStructure.Problems(kernel.Text, kernel.Entry, kernel.ExpectedParameters));
                Assert.Contains(type == "double" ? "%fd" : "%f", kernel.Text);
            }
        }
    }

    /// <summary>Every op with a PTX lowering, alone in a formula of Vi(2)/Vj(2) arguments (plus its gradients), in both precisions.</summary>
    [Theory]
    [InlineData("float")]
    [InlineData("double")]
    public void EveryLoweredOperationGivesWellFormedPtx(string type)
    {
        var checkedOps = new List<string>();
        foreach (Operation op in OperationTable.All.Where(o => o.PtxLower is not null && !o.IsAlias).OrderBy(o => o.Name))
        {
            string? call = Call(op);
            if (call is null)
            {
                continue;
            }

            string declaration = $"[Reduction(\"{call}\", \"x = Vi(2)\", \"y = Vj(2)\", \"z = Vj(2)\")]\n"
                + $"private static partial void R(ReadOnlySpan<{type}> x, ReadOnlySpan<{type}> y, ReadOnlySpan<{type}> z, Span<{type}> result);";
            PtxGeneration run = PtxGeneration.Run(declaration);
            Assert.True(run.CompileErrors.IsEmpty, $"{op.Name}: {string.Join("; ", run.CompileErrors)}");
            List<GeneratedPtx> kernels = run.Kernels();
            Assert.True(kernels.Count >= 1, $"{op.Name}: no PTX kernel in the generated code");
            foreach (GeneratedPtx kernel in kernels)
            {
                List<string> problems = PtxStructure.Problems(kernel.Text, kernel.Entry, kernel.ExpectedParameters);
                Assert.True(problems.Count == 0, $"{op.Name} ({type}) {kernel.KernelName}: {string.Join("; ", problems)}");
            }

            checkedOps.Add(op.Name);
        }

        // Exp, Log, Sin, Cos, Sqrt, Rsqrt and the arithmetic at least: a table change that drops them fails here.
        Assert.Superset(new HashSet<string> { "Add", "Mult", "Divide", "Exp", "Log", "Sin", "Cos", "Sqrt", "Rsqrt", "Pow", "Sum", "Scalprod" }, checkedOps.ToHashSet());
    }

    [Fact]
    public void CpuOnlyKernelIsReportedOnlyWhenCudaIsRequested()
    {
        const string Declaration = "[Reduction(\"Atan(x*y)\", \"x = Vi(1)\", \"y = Vj(1)\"{0})]\n"
            + "private static partial void A(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);";
        PtxGeneration cuda = PtxGeneration.Run(string.Format(Declaration, ", Backend = Backend.Cuda"));
        // Only the reduction itself uses Atan; its gradients (rational functions) have GPU kernels.
        var warnings = cuda.GeneratorDiagnostics.Where(d => d.Id == "KEOPS0303").ToList();
        Assert.Single(warnings);
        Assert.Contains("'A'", warnings[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("Atan", warnings[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Backend = Backend.Cuda", cuda.Input.Substring(warnings[0].Location.SourceSpan.Start, warnings[0].Location.SourceSpan.Length));
        Assert.DoesNotContain(cuda.Kernels(), k => k.KernelName == "__KeOpsKernel_A");
        Assert.Contains(cuda.Kernels(), k => k.KernelName == "__KeOpsKernel_AGradX");
        Assert.Empty(cuda.CompileErrors);

        PtxGeneration auto = PtxGeneration.Run(string.Format(Declaration, string.Empty));
        Assert.DoesNotContain(auto.GeneratorDiagnostics, d => d.Id == "KEOPS0303");
        Assert.DoesNotContain("private static class __KeOpsKernel_AGpu", auto.Source);
    }

    [Fact]
    public void FloatImmediatesAreExactBitPatterns()
    {
        // IEEE 754 encodings, written down independently of the code under test.
        Assert.Equal("0f3F800000", PtxContext.Imm32(1f));
        Assert.Equal("0fBF000000", PtxContext.Imm32(-0.5f));
        Assert.Equal("0f7F800000", PtxContext.Imm32(float.PositiveInfinity));
        Assert.Equal("0d3FF0000000000000", PtxContext.Imm64(1.0));
        Assert.Equal("0dFFF0000000000000", PtxContext.Imm64(double.NegativeInfinity));
    }

    [Fact]
    public void StructureCheckRejectsBrokenPtx()
    {
        PtxGeneration run = PtxGeneration.Run(string.Format(Gaussian, string.Empty, "float"));
        GeneratedPtx kernel = run.Kernels().First();
        // Each mutation breaks one rule the checker is meant to enforce.
        string[] broken =
        {
            kernel.Text.Replace("ret;", "ret"),
            kernel.Text.Replace(".reg .f32 %f<", ".reg .f32 %q<"),
            kernel.Text.Replace("bar.sync 0;", "bar.sync 0;\n\tbra $L_nowhere;"),
            kernel.Text.Replace("ex2.approx.ftz.f32", "exp2.approx.ftz.f32"),
            kernel.Text.Replace(".target sm_70", ".target sm_50"),
            kernel.Text + "}\n",
            kernel.Text.Replace(".shared .align 8 .b8 keops___KeOpsKernel_Gauss_tile", ".shared .align 8 .b8 other_tile"),
            System.Text.RegularExpressions.Regex.Replace(kernel.Text, @"add\.f32 (%f\d+), (%f\d+)", "add.f32 $1, %rd1"),
        };
        foreach (string text in broken)
        {
            Assert.NotEqual(kernel.Text, text);
            Assert.NotEmpty(PtxStructure.Problems(text, kernel.Entry, kernel.ExpectedParameters));
        }

        Assert.Empty(PtxStructure.Problems(kernel.Text, kernel.Entry, kernel.ExpectedParameters));
    }

    private static string? Call(Operation op)
    {
        if (op.Name == "Pow")
        {
            return "Pow(x-y,3)";
        }

        if (op.Parameters.Any(p => p != ParamKind.Formula))
        {
            return op.Name switch
            {
                "Elem" => "Elem(x*y,1)",
                "ElemT" => "ElemT(Sum(x*y),3,1)",
                "Extract" => "Extract(Concat(x,y),1,2)",
                "ExtractT" => "ExtractT(x-y,1,4)",
                "SumT" => "SumT(Sum(x-y),3)",
                "ComplexSumT" => "ComplexSumT(ComplexMult(x,y),4)",
                _ => null,
            };
        }

        string[] args = { "x", "y", "z" };
        switch (op.Name)
        {
            case "MatVecMult": return "MatVecMult(Concat(x,y),z)";
            case "VecMatMult": return "VecMatMult(x,Concat(y,z))";
            case "ComplexRealScal": return "ComplexRealScal(Sum(x),y-z)";
        }

        return op.FormulaParameterCount switch
        {
            0 => null,
            1 => $"{op.Name}(x-y)",
            _ => $"{op.Name}({string.Join(",", args.Take(op.FormulaParameterCount))})",
        };
    }
}
