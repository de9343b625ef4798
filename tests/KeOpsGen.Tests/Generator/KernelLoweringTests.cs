using System;
using System.Linq;
using System.Text.RegularExpressions;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Emit;
using KeOpsGen.Generator.Planning;
using Microsoft.CodeAnalysis;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// The Plan step decides how each kernel runs (<see cref="KernelLowering"/>): the executed
/// formula, the hoisted sub-formulas with their slots, the per-pair order, what the GPU takes of
/// it. These tests read the plan record from the generator's Plan step and check that the CPU
/// kernel struct and the ILGPU kernel in the generated file compute exactly that.
/// </summary>
public static class KernelLoweringTests
{
    private static string Source(string attribute, string signature) => $$"""
        using System;
        using KeOpsGen;

        public static partial class K
        {
            [Reduction({{attribute}})]
            public static partial void {{signature}};
        }
        """;

    private const string Gaussian = "\"Exp(-G*SqDist(X,Y))*B\", \"X = Vi(3)\", \"Y = Vj(3)\", \"B = Vj(2)\", \"G = Pm(1)\"";

    /// <summary>Runs the generator; returns the planned model of the one [Reduction] method and its generated file.</summary>
    private static (ReductionModel Model, string Source) Plan(string source, string hintEnd)
    {
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        GeneratorRunResult run = output.Driver.GetRunResult().Results.Single(r => r.TrackedSteps.ContainsKey("KeOpsGen.Plan"));
        PlannedReduction planned = run.TrackedSteps["KeOpsGen.Plan"].SelectMany(s => s.Outputs).Select(o => o.Value).OfType<PlannedReduction>().Single();
        return (planned.Model, output.Source(hintEnd));
    }

    /// <summary>The text of a member of the generated file: from its signature line to the matching closing brace.</summary>
    private static string Member(string source, string signature)
    {
        int start = source.IndexOf(signature, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{signature}' is not in the generated source");
        int open = source.IndexOf('{', start);
        int depth = 0;
        for (int i = open; i < source.Length; i++)
        {
            depth += source[i] == '{' ? 1 : source[i] == '}' ? -1 : 0;
            if (depth == 0)
            {
                return source.Substring(start, i + 1 - start);
            }
        }

        throw new InvalidOperationException("unbalanced braces");
    }

    private static string Comment(Formula term) => "// " + term;

    [Fact]
    public static void TheGaussianPlanNegatesTheParameterAndBothKernelsComputeIt()
    {
        (ReductionModel model, string source) = Plan(Source(Gaussian, "Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result)"), "K.Gauss.g.cs");
        KernelPlan kernel = model.Methods[0].Kernel;
        KernelLowering lowering = kernel.Lowered;

        // The executed formula: -(G·d²) became (-G)·d², and -G is computed once per call.
        Assert.Equal("Exp(-G*(X-Y|X-Y))*B", lowering.Executed.ToString());
        Assert.NotEqual(kernel.Formula, lowering.Executed);
        HoistedValue negated = Assert.Single(lowering.Hoisted);
        Assert.Equal(KernelSide.Parameter, negated.Side);
        Assert.Equal("-G", negated.Node.ToString());
        Assert.Equal(0, negated.Offset);
        Assert.True(lowering.GpuHoists);

        // CPU: PrecomputeParams computes -G into the slot after G; Evaluate reads it from there and
        // computes every planned step (each term's comment is on its local).
        string gather = Member(source, "public static void PrecomputeParams(");
        Assert.Equal(1, Lines(gather, Comment(negated.Node)));
        Assert.Matches(@"Unsafe\.Add\(ref parameters, 1\) = \w+;", gather);
        string evaluate = Member(source, "public static void Evaluate");
        // Slot 1 of the parameters, however the lane loads it (parameters[1] or Broadcast(in parameters, 1)).
        Assert.Matches(@"var \w+ = .*parameters(\[1\]|, 1\)).*; // -G", evaluate);
        Assert.DoesNotMatch(@"parameters(\[0\]|, 0\))", evaluate);

        // GPU: Begin computes -G once per thread from G; Pair uses it, never G.
        string gpu = Member(source, $"internal struct {kernel.KernelName}Gpu");
        string prologue = Member(gpu, "public void Begin(");
        Assert.Equal(1, Lines(prologue, Comment(negated.Node)));
        string pairLoop = Member(gpu, "public void Pair<TScheme>(");
        Assert.Equal(0, Lines(pairLoop, Comment(negated.Node)));
        Assert.Contains($"Sum kernel of <c>{System.Security.SecurityElement.Escape(lowering.Executed.ToString())}</c>", source, StringComparison.Ordinal);

        // Both evaluate the same planned steps: each computed step's term is commented once in the
        // CPU's scalar Evaluate and once in the GPU's pair loop.
        foreach (Formula step in lowering.Steps.Where(s => !s.IsVariable && !s.IsConstant && !lowering.Hoisted.Any(h => h.Node.Equals(s))))
        {
            string comment = Comment(step);
            Assert.Equal(1, Lines(evaluate, comment));
            Assert.Equal(1, Lines(pairLoop, comment));
        }
    }

    [Fact]
    public static void OneSideFactorsAreHoistedOnBothSidesAndTheTileHoldsTheInnerOnes()
    {
        (ReductionModel model, string source) = Plan(
            Source("\"Sin(X)*(Cos(Y)*B)\", \"X = Vi(1)\", \"Y = Vj(1)\", \"B = Vj(1)\"", "SinCos(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, Span<double> result)"),
            "K.SinCos.g.cs");
        KernelPlan kernel = model.Methods[0].Kernel;
        KernelLowering lowering = kernel.Lowered;
        HoistedValue outer = Assert.Single(lowering.Hoisted, h => h.Side == KernelSide.Outer);
        HoistedValue inner = Assert.Single(lowering.Hoisted, h => h.Side == KernelSide.Inner);
        Assert.Equal("Sin(X)", outer.Node.ToString());
        Assert.Equal("Cos(Y)*B", inner.Node.ToString());
        Assert.Equal(kernel.InnerDim + 1, KernelLowerings.TileWidth(kernel));

        string cpu = Member(source, $"private struct {kernel.KernelName}");
        Assert.Contains($"public static int OuterDim => {kernel.OuterDim + 1};", cpu, StringComparison.Ordinal);
        Assert.Contains($"public static int InnerDim => {kernel.InnerDim + 1};", cpu, StringComparison.Ordinal);
        Assert.Contains(Comment(outer.Node), Member(cpu, "public static void PrecomputeOuter("), StringComparison.Ordinal);
        Assert.Contains(Comment(inner.Node), Member(cpu, "public static void PrecomputeInner("), StringComparison.Ordinal);

        string gpu = Member(source, $"internal struct {kernel.KernelName}Gpu");
        Assert.Contains($"public int TileWidth => {KernelLowerings.TileWidth(kernel)};", gpu, StringComparison.Ordinal);
        // Cos(Y)*B goes into the tile when it is loaded; the pair loop reads it from there.
        string load = Member(gpu, "public void Load(");
        Assert.Contains(Comment(inner.Node), load, StringComparison.Ordinal);
        Assert.Matches($@"__tile\[__slot \+ {kernel.InnerDim + inner.Offset}\] = \w+;", load);
    }

    [Fact]
    public static void PairGradientKernelsHoistOnTheCpuOnly()
    {
        (ReductionModel model, string source) = Plan(
            Source("\"Exp(-SqDist(X,Y)) * Sin(X)\", \"X = Vi(2)\", \"Y = Vj(2)\", Op = ReductionOp.MinArgMin, GradientOrder = 1", "Nearest(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> values, Span<int> indices)"),
            "K.Nearest.g.cs");
        MethodPlan pairs = model.Methods.First(m => m.Saved is { Values: null });
        KernelLowering lowering = pairs.Kernel.Lowered;
        Assert.False(lowering.GpuHoists);
        Assert.Empty(lowering.GpuHoisted);
        HoistedValue[] shown = lowering.Hoisted.Where(h => h.Side == KernelSide.Outer && h.Node.Size <= 16 && h.Node.ToString().Length <= 40).ToArray();
        Assert.NotEmpty(shown);

        // The forward kernel the gradient runs first is tiled and hoists on the GPU.
        Assert.True(pairs.Saved!.Kernel.Lowered.GpuHoists);

        // CPU: the outer values are computed by PrecomputeOuter. GPU: per selected pair, not in the prologue.
        string cpu = Member(Member(source, $"private struct {pairs.Kernel.KernelName}"), "public static void PrecomputeOuter(");
        string gpu = Member(source, $"internal struct {pairs.Kernel.KernelName}Gpu");
        foreach (HoistedValue h in shown)
        {
            Assert.Equal(1, Lines(cpu, Comment(h.Node)));
            Assert.Equal(0, Lines(Member(gpu, "public void Begin("), Comment(h.Node)));
            Assert.Equal(1, Lines(Member(gpu, "public void Pair("), Comment(h.Node)));
        }
    }

    [Fact]
    public static void InnerValuesThatWouldOverflowATileAreNotHoistedOnTheGpu()
    {
        // Exp(Sum(Y)) is one inner value, but with Y's 12,288 floats it would take the tile past 48 KiB.
        (ReductionModel model, string source) = Plan(
            Source("\"X * Exp(Sum(Y))\", \"X = Vi(1)\", \"Y = Vj(12288)\", Backend = Backend.Gpu", "Wide(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result)"),
            "K.Wide.g.cs");
        KernelLowering lowering = model.Methods[0].Kernel.Lowered;
        Assert.Contains(lowering.Hoisted, h => h.Side == KernelSide.Inner && h.Node.ToString() == "Exp(Sum(Y))");
        Assert.False(lowering.GpuHoists);
        Assert.Equal(12288, KernelLowerings.TileWidth(model.Methods[0].Kernel));
        Assert.Contains("public int TileWidth => 12288;", source, StringComparison.Ordinal);
        Assert.Contains("public static int InnerDim => 12289;", source, StringComparison.Ordinal);
    }

    [Fact]
    public static void ASharedSubFormulaIsOnePlannedStepAndOneLocal()
    {
        // X-Y appears three times; the plan lists it once and the kernel computes it once.
        (ReductionModel model, string source) = Plan(
            Source("\"Exp(SqNorm2(X-Y)) * Sum(X-Y) + Sin(X-Y)\", \"X = Vi(2)\", \"Y = Vj(2)\"", "Shared(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result)"),
            "K.Shared.g.cs");
        KernelLowering lowering = model.Methods[0].Kernel.Lowered;
        Assert.Equal(1, lowering.Steps.Count(s => s.ToString() == "X-Y"));
        Assert.Equal(lowering.Steps.Count, lowering.Steps.Distinct().Count());
        string evaluate = Member(source, "public static void Evaluate");
        Assert.Equal(1, Lines(evaluate, "// X-Y"));
    }

    /// <summary>Every #pragma in every generated file says why; no option is written as a numeric cast.</summary>
    [Fact]
    public static void GeneratedFilesGiveAReasonForEachPragmaAndNameEnumValues()
    {
        string source = Source(Gaussian + ", Op = ReductionOp.Sum, SumScheme = SumScheme.Block, Accumulation = Accumulation.Double", "Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result)")
            + "\npublic static partial class K2 { [Reduction(\"X-Y\", \"X = Vi(1)\", \"Y = Vj(1)\", Op = ReductionOp.MaxArgMax)] public static partial void M(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> v, Span<int> i); }";
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Assert.NotEmpty(output.Sources);
        foreach (GeneratedSourceResult file in output.Sources)
        {
            string text = file.SourceText.ToString();
            foreach (string line in text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("#pragma", StringComparison.Ordinal)))
            {
                Assert.Matches(@"^#pragma warning (disable|restore) [A-Z]+\d+ // \S.{10,}$", line);
            }

            Assert.DoesNotMatch(@"\(global::KeOpsGen(\.\w+)+\)\s*-?\d", text);
        }

        string gauss = output.Source("K.Gauss.g.cs");
        Assert.Contains("global::KeOpsGen.SumScheme.Block", gauss, StringComparison.Ordinal);
        Assert.Contains("global::KeOpsGen.Accumulation.Double", gauss, StringComparison.Ordinal);
    }

    /// <summary>Lines of <paramref name="text"/> that end with <paramref name="end"/>.</summary>
    private static int Lines(string text, string end) => Regex.Matches(text, Regex.Escape(end) + @"\r?$", RegexOptions.Multiline).Count;
}
