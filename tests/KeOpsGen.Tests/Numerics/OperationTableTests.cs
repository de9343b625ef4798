using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using KeOpsGen.Generator;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace KeOpsGen.Tests.Numerics;

/// <summary>
/// Every operation of the table through generated kernels: one C# source with a float and a
/// double Sum reduction per (operation, argument dimensions) case, compiled once in memory with
/// the generator, loaded and called by reflection, and compared with Σ_j of the operation's
/// float64 reference (<see cref="ReferenceEvaluator"/>, separate code from the emitted C#). Plus
/// the edge points of the semantics, through the same compilation.
/// </summary>
public sealed class OperationTableTests
{
    // Tolerances relative to Σ_j |term| (so cancellation in the sum does not blow them up): float
    // kernels round each op to ~6e-8 and accumulate ≤ 70 terms, and KMath's vector functions are
    // accurate to a few ulp: 2e-5 leaves a wide margin. Double: ~1e-16 per op, a few ulp for KMath:
    // 1e-12 likewise. The reference sees the same float-representable inputs as both kernels.
    private const double FloatTolerance = 2e-5;
    private const double DoubleTolerance = 1e-12;

    /// <summary>Sizes (rows i, terms j): 3 terms run only the scalar tail, 70 the SIMD lanes and a tail.</summary>
    private static readonly (int M, int N)[] Sizes = { (5, 3), (37, 70) };



    /// <summary>Operations not run through a kernel here say why in their test metadata.</summary>
    private static bool IsCovered(Operation op) => op.Tests.NotRunBecause is null;

    /// <summary>One generated method: an operation applied to variables of the given dimensions.</summary>
    private sealed record OpCase(Operation Op, int[] Dims, IntArgs Ints, string Name)
    {
        /// <summary>Argument a is Vj for even a, Vi for odd a: the first argument varies across the SIMD lanes.</summary>
        public VariableCategory Category(int a) => a % 2 == 0 ? VariableCategory.J : VariableCategory.I;

        /// <summary>A one-argument op gets a scalar Vi factor, so the output rows differ.</summary>
        public bool HasRowFactor => Dims.Length == 1;

        public int Count => Dims.Length + (HasRowFactor ? 1 : 0);

        public int DimOf(int p) => p < Dims.Length ? Dims[p] : 1;

        public VariableCategory CategoryOf(int p) => p < Dims.Length ? Category(p) : VariableCategory.I;

        public Formula Reference()
        {
            Formula[] vars = Dims.Select((d, a) => F.Var(a, d, Category(a), "X" + a)).ToArray();
            Formula f = Op.Create(vars, Ints);
            return HasRowFactor ? F.Mult(f, F.Var(Dims.Length, 1, VariableCategory.I, "R")) : f;
        }
    }

    private static List<OpCase> BuildCases()
    {
        var cases = new List<OpCase>();
        foreach (Operation op in OperationTable.All.Where(IsCovered).OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            IntArgs ints = OperationTestCases.Ints(op);
            int arity = op.FormulaParameterCount;
            IEnumerable<int[]> candidates = op.Tests.Dims is { } explicitCases ? explicitCases
                : arity >= 2
                    ? new[] { Enumerable.Repeat(3, arity).ToArray(), new[] { 1 }.Concat(Enumerable.Repeat(3, arity - 1)).ToArray() }
                    : new[] { new[] { 3 } };
            int k = 0;
            foreach (int[] dims in candidates.Where(d => !op.Dim(d, ints).IsError))
            {
                cases.Add(new OpCase(op, dims, ints, $"{op.Name}_{k++}"));
            }
        }

        return cases;
    }

    private static string CallText(OpCase c)
    {
        var args = new List<string>();
        int formula = 0, integer = 0;
        foreach (ParamKind kind in c.Op.Parameters)
        {
            if (kind == ParamKind.Formula)
            {
                args.Add("X" + formula++);
            }
            else if (!c.Ints.Has(integer))
            {
                break; // an optional trailing argument (TensorDot's permute) left out
            }
            else if (kind == ParamKind.Int)
            {
                args.Add(c.Ints[integer++].ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                args.Add("[" + string.Join(",", c.Ints.List(integer++)) + "]");
            }
        }

        string call = $"{c.Op.Name}({string.Join(",", args)})";
        return c.HasRowFactor ? $"{call} * R" : call;
    }

    private static string Category(VariableCategory c) => c == VariableCategory.I ? "Vi" : "Vj";

    private static string Source(List<OpCase> cases, IEnumerable<(string Name, string Formula, string[] Declarations, int OutputDim)> edges)
    {
        var b = new StringBuilder();
        b.AppendLine("using System;\nusing KeOpsGen;\nnamespace OpTable;\npublic static partial class Ops\n{");
        void Add(string name, string formula, string[] declarations)
        {
            foreach (string t in new[] { "float", "double" })
            {
                string decl = string.Join(", ", declarations.Select(d => "\"" + d + "\""));
                string parameters = string.Join(", ", declarations.Select((_, p) => $"ReadOnlySpan<{t}> a{p}"));
                string arrays = string.Join(", ", declarations.Select((_, p) => $"{t}[] a{p}"));
                string pass = string.Join(", ", declarations.Select((_, p) => $"a{p}"));
                b.AppendLine($"    [Reduction(\"{formula}\", {decl})]");
                b.AppendLine($"    private static partial void {name}_{t}({parameters}, Span<{t}> r);");
                b.AppendLine($"    public static void Call_{name}_{t}({arrays}, {t}[] r) => {name}_{t}({pass}, r);");
            }
        }

        foreach (OpCase c in cases)
        {
            string[] declarations = Enumerable.Range(0, c.Count)
                .Select(p => $"{(p < c.Dims.Length ? "X" + p : "R")} = {Category(c.CategoryOf(p))}({c.DimOf(p)})").ToArray();
            Add(c.Name, CallText(c), declarations);
        }

        foreach (var e in edges)
        {
            Add(e.Name, e.Formula, e.Declarations);
        }

        b.AppendLine("}");
        return b.ToString();
    }

    /// <summary>Edge cases: formula of Y = Vj(d) times R = Vi(1), and the exact value of Op(Y) expected.</summary>
    private sealed record Edge(string Name, string Formula, int YDim, double[] Y, double[] Expected);

    private static readonly Edge[] Edges =
    {
        new("RsqrtZero", "Rsqrt(Y) * R", 1, new[] { 0.0 }, new[] { 0.0 }),
        new("XLogXZero", "XLogX(Y) * R", 1, new[] { 0.0 }, new[] { 0.0 }),
        new("SinXDivXZero", "SinXDivX(Y) * R", 1, new[] { 0.0 }, new[] { 1.0 }),
        new("StepZero", "Step(Y) * R", 1, new[] { 0.0 }, new[] { 1.0 }),
        new("SignZero", "Sign(Y) * R", 1, new[] { 0.0 }, new[] { 0.0 }),
        new("SignNegativeZero", "Sign(Y) * R", 1, new[] { -0.0 }, new[] { 0.0 }),
        new("IfElseAtZeroPicksG", "IfElse(Elem(Y,0), Elem(Y,1), Elem(Y,2)) * R", 3, new[] { 0.0, 5.0, 7.0 }, new[] { 5.0 }),
        new("IfElseNegativePicksH", "IfElse(Elem(Y,0), Elem(Y,1), Elem(Y,2)) * R", 3, new[] { -0.5, 5.0, 7.0 }, new[] { 7.0 }),
        new("ArgMaxTiesFirst", "ArgMax(Y) * R", 4, new[] { 1.0, 3.0, 3.0, 2.0 }, new[] { 1.0 }),
        new("ArgMinTiesFirst", "ArgMin(Y) * R", 4, new[] { 2.0, -1.0, 4.0, -1.0 }, new[] { 1.0 }),
        new("MaxOfVector", "Max(Y) * R", 4, new[] { 1.0, 3.0, -3.0, 2.0 }, new[] { 3.0 }),
        new("MinOfVector", "Min(Y) * R", 4, new[] { 1.0, 3.0, -3.0, 2.0 }, new[] { -3.0 }),
        new("OneHotRoundsUp", "OneHot(Y, 4) * R", 1, new[] { 1.5 }, new[] { 0.0, 0.0, 1.0, 0.0 }),
        new("OneHotRoundsDown", "OneHot(Y, 4) * R", 1, new[] { 1.49 }, new[] { 0.0, 1.0, 0.0, 0.0 }),
        new("RoundHalfAwayFromZero", "Round(Y, 0) * R", 4, new[] { 2.5, -2.5, 0.5, -0.5 }, new[] { 3.0, -3.0, 1.0, -1.0 }),
        new("ExpOfNaN", "Exp(Y) * R", 1, new[] { double.NaN }, new[] { double.NaN }),
        new("ExpOfInfinities", "Exp(Y) * R", 2, new[] { double.PositiveInfinity, double.NegativeInfinity }, new[] { double.PositiveInfinity, 0.0 }),
        new("LogOfZeroAndNegative", "Log(Y) * R", 2, new[] { 0.0, -1.0 }, new[] { double.NegativeInfinity, double.NaN }),
        new("InfinityMinusInfinity", "(Elem(Y,0) + Elem(Y,1)) * R", 2, new[] { double.PositiveInfinity, double.NegativeInfinity }, new[] { double.NaN }),
        new("NaNPlusFinite", "(Y + 1) * R", 1, new[] { double.NaN }, new[] { double.NaN }),
    };


    private static readonly Lazy<(List<OpCase> Cases, Type Type, string Source)> Compiled = new(Compile);

    private static (List<OpCase>, Type, string) Compile()
    {
        List<OpCase> cases = BuildCases();
        string source = Source(cases, Edges.Select(e => (e.Name, e.Formula, new[] { $"Y = Vj({e.YDim})", "R = Vi(1)" }, e.Expected.Length)));
        var parse = TestCompilation.ParseOptions;
        CSharpCompilation compilation = TestCompilation.Create("KeOpsGen.OpTable", OptimizationLevel.Release, source);
        CSharpGeneratorDriver.Create(new[] { new ReductionGenerator().AsSourceGenerator() }, parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        var errors = generatorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "generator errors:\n" + string.Join("\n", errors.Take(20)));
        using var stream = new MemoryStream();
        var emitted = output.Emit(stream);
        Assert.True(emitted.Success, "compile errors:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        stream.Position = 0;
        // Not collectible: ILGPU's dynamic launcher assembly may not reference a collectible one.
        var context = new AssemblyLoadContext("KeOpsGen.OpTable", isCollectible: false);
        Assembly assembly = context.LoadFromStream(stream);
        return (cases, assembly.GetType("OpTable.Ops", throwOnError: true)!, source);
    }

    [Fact]
    public void EveryOperationIsRunOrExcludedWithAReason()
    {
        List<OpCase> cases = Compiled.Value.Cases;
        var run = cases.Select(c => c.Op.Name).Distinct().ToList();
        var excluded = OperationTable.All.Where(o => !IsCovered(o)).Select(o => o.Name).ToList();
        Assert.Equal(OperationTable.All.Select(o => o.Name).OrderBy(n => n, StringComparer.Ordinal),
            run.Concat(excluded).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Empty(run.Intersect(excluded));
        // An exclusion is a sentence, not a placeholder.
        Assert.All(OperationTable.All.Where(o => !IsCovered(o)), o => Assert.True(o.Tests.NotRunBecause!.Length > 20, $"{o.Name}: '{o.Tests.NotRunBecause}'"));
    }

    [Fact]
    public void GeneratedKernelsMatchTheFloat64Reference() => CheckTable(nameof(GeneratedKernelsMatchTheFloat64Reference), Sizes);

    /// <summary>
    /// The same table through the generated ILGPU kernels on ILGPU's CPU accelerator: every
    /// operation's GPU lowering (the scalar lowering, compiled by ILGPU) against the same reference.
    /// One size: 37 rows are three thread groups of 16 with a partial last one, 70 terms five tiles.
    /// Float kernels only: each ILGPU compile on the CPU accelerator costs about half a second, and
    /// the double kernels are the same C# with T = double (the reduction tests run those).
    /// </summary>
    [Fact]
    public void GeneratedGpuKernelsMatchTheFloat64Reference()
    {
        using (ComputeBackend.Use(Backend.IlgpuCpu))
        {
            CheckTable(nameof(GeneratedGpuKernelsMatchTheFloat64Reference), new[] { (37, 70) }, "float");
        }
    }

    private static void CheckTable(string test, (int M, int N)[] sizes, params string[] types)
    {
        types = types.Length == 0 ? new[] { "float", "double" } : types;
        var random = new SeededRandom(test);
        (List<OpCase> cases, Type type, _) = Compiled.Value;
        var failures = new List<string>();
        foreach (OpCase c in cases)
        {
            Formula reference = c.Reference();
            foreach ((int m, int n) in sizes)
            {
                // Float-representable inputs in the op's domain; comparisons get multiples of 0.5
                // so that equality and the 0 boundary occur.
                var inputs = new double[c.Count][];
                for (int p = 0; p < c.Count; p++)
                {
                    int rows = c.CategoryOf(p) == VariableCategory.I ? m : n;
                    (double low, double high) = p < c.Dims.Length ? c.Op.Tests.Domain : (-2, 2);
                    inputs[p] = random.Floats(rows * c.DimOf(p), low, high).Select(v => (double)v).ToArray();
                    if (c.Op.Tests.OnHalfSteps)
                    {
                        inputs[p] = inputs[p].Select(v => Math.Round(v * 2) / 2).ToArray();
                    }
                }

                (double[] expected, double[] scale) = ReferenceSum(reference, c, inputs, m, n);
                foreach (string t in types)
                {
                    Check(type, c.Name, t, inputs, expected, scale, t == "float" ? FloatTolerance : DoubleTolerance, $"{c.Name} {reference} M={m} N={n}", failures);
                }
            }
        }

        Assert.True(failures.Count == 0, $"{random}\n{failures.Count} mismatches:\n{string.Join("\n", failures.Take(40))}");
        Assert.True(cases.Select(c => c.Op).Distinct().Count() >= 60, "too few operations ran");
    }

    /// <summary>Σ_j of the reference per (i, component), and Σ_j |term| as the error scale.</summary>
    private static (double[] Sum, double[] Scale) ReferenceSum(Formula reference, OpCase c, double[][] inputs, int m, int n)
    {
        int dim = reference.Dim;
        var sum = new double[m * dim];
        var scale = new double[m * dim];
        var values = new Dictionary<int, double[]>();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int p = 0; p < c.Count; p++)
                {
                    int row = c.CategoryOf(p) == VariableCategory.I ? i : j;
                    values[p] = inputs[p].Skip(row * c.DimOf(p)).Take(c.DimOf(p)).ToArray();
                }

                double[] term = ReferenceEvaluator.Evaluate(reference, values);
                for (int k = 0; k < dim; k++)
                {
                    sum[(i * dim) + k] += term[k];
                    scale[(i * dim) + k] += Math.Abs(term[k]);
                }
            }
        }

        return (sum, scale);
    }

    private static double[] Call(Type type, string name, string t, double[][] inputs, int outputLength)
    {
        MethodInfo method = type.GetMethod($"Call_{name}_{t}") ?? throw new InvalidOperationException($"no wrapper Call_{name}_{t}");
        object[] args = new object[inputs.Length + 1];
        for (int p = 0; p < inputs.Length; p++)
        {
            args[p] = t == "float" ? inputs[p].Select(v => (float)v).ToArray() : inputs[p].ToArray();
        }

        args[inputs.Length] = t == "float" ? new float[outputLength] : new double[outputLength];
        method.Invoke(null, args);
        return t == "float" ? ((float[])args[inputs.Length]).Select(v => (double)v).ToArray() : (double[])args[inputs.Length];
    }

    private static void Check(Type type, string name, string t, double[][] inputs, double[] expected, double[] scale, double tolerance, string label, List<string> failures)
    {
        double[] actual = Call(type, name, t, inputs, expected.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            double allowed = tolerance * Math.Max(scale[k], 1e-6);
            if (!(Math.Abs(actual[k] - expected[k]) <= allowed))
            {
                failures.Add($"{label} {t}[{k}]: got {actual[k]:R}, reference {expected[k]:R} (allowed ±{allowed:G3})");
                return;
            }
        }
    }

    [Fact]
    public void EdgePointsFollowTheDocumentedSemantics() => CheckEdges("float", "double");

    /// <summary>The edge points through the float ILGPU kernels (see <see cref="GeneratedGpuKernelsMatchTheFloat64Reference"/>).</summary>
    [Fact]
    public void EdgePointsFollowTheDocumentedSemanticsOnTheGpuKernels()
    {
        using (ComputeBackend.Use(Backend.IlgpuCpu))
        {
            CheckEdges("float");
        }
    }

    private static void CheckEdges(params string[] types)
    {
        Type type = Compiled.Value.Type;
        var failures = new List<string>();
        foreach (Edge e in Edges)
        {
            foreach ((int m, int n) in new[] { (1, 1), (2, 37) })
            {
                // Every j holds the edge value, and R = 1: each row is n copies of Op(Y).
                var y = Enumerable.Range(0, n).SelectMany(_ => e.Y).ToArray();
                var r = Enumerable.Repeat(1.0, m).ToArray();
                foreach (string t in types)
                {
                    double[] actual = Call(type, e.Name, t, new[] { y, r }, m * e.Expected.Length);
                    for (int k = 0; k < actual.Length; k++)
                    {
                        double want = n * e.Expected[k % e.Expected.Length];
                        bool ok = double.IsNaN(want) ? double.IsNaN(actual[k]) : actual[k] == want;
                        if (!ok)
                        {
                            failures.Add($"{e.Name} ({e.Formula}, Y = [{string.Join(", ", e.Y)}]) {t} M={m} N={n} [{k}]: got {actual[k]:R}, expected {want:R}");
                        }
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
