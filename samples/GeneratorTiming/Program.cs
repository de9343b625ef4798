using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using KeOpsGen;
using KeOpsGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

// The generator's own time for one formula edit, as an IDE runs it: one GeneratorDriver kept
// across edits of a file of 100 [Reduction] methods, so every step of an unedited method should
// come from the driver's cache. Prints the cold run, the median and worst of the edits while the
// JIT tiers the generator up and after it, with what the worst edit paid for (JIT, GC), and
// checks from the tracked steps that each edit re-ran the Plan and Emit steps of one method only
// (exit code 1 if not). Pass --gradients to request GradientOrder = 1 on every method.
internal static class Program
{
    private const int Methods = 100;
    private const int Edits = 21;

    // Edits run first and reported apart: while .NET's tiered JIT recompiles the generator's hot
    // code (on its own thread, hundreds of methods in the first edits), an edit takes up to
    // several times its steady time on a small machine. An IDE's long-lived host is past that.
    private const int WarmupEdits = 30;

    private static readonly string[] s_formulas =
    [
        "Exp(-G*SqDist(X,Y))*B",
        "Inv(1+G*SqDist(X,Y))*B",
        "Exp(-Sqrt(G*SqDist(X,Y)))*B",
        "(X|Y)*B*G",
        "Square(G-B)*Exp(X+Y)",
    ];

    private static int Main(string[] args)
    {
        bool gradients = args.Contains("--gradients");
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        SyntaxTree tree = CSharpSyntaxTree.ParseText(Source(2, gradients), parse, path: "Kernels.cs");
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Bench100",
            [tree],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ReductionGenerator().AsSourceGenerator()],
            parseOptions: parse,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        var cold = Stopwatch.StartNew();
        driver = driver.RunGenerators(compilation);
        cold.Stop();
        GeneratorRunResult first = driver.GetRunResult().Results[0];
        if (first.Exception is not null)
        {
            Console.WriteLine($"FAIL: the generator threw {first.Exception}");
            return 1;
        }

        long bytes = first.GeneratedSources.Sum(s => (long)s.SourceText.Length);
        int errors = first.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        Console.WriteLine($"{Methods} methods{(gradients ? " (GradientOrder = 1)" : "")}: {first.GeneratedSources.Length} files, {bytes / 1e6:F2} M characters, {errors} errors");
        Console.WriteLine($"cold run (first call, JIT included): {cold.Elapsed.TotalMilliseconds:F0} ms");

        var times = new List<double>();
        var notes = new List<string>();
        bool ok = errors == 0;
        for (int edit = 0; edit < WarmupEdits + Edits; edit++)
        {
            // The same text length every time (one digit changes), as a typed keystroke would.
            SyntaxTree edited = CSharpSyntaxTree.ParseText(Source(3 + (edit % 6), gradients), parse, path: "Kernels.cs");
            compilation = compilation.ReplaceSyntaxTree(tree, edited);
            tree = edited;
            int gen1 = GC.CollectionCount(1);
            long jitted = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
            long jittedAll = System.Runtime.JitInfo.GetCompiledMethodCount();
            var watch = Stopwatch.StartNew();
            driver = driver.RunGenerators(compilation);
            watch.Stop();
            times.Add(watch.Elapsed.TotalMilliseconds);
            long jittedHere = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true) - jitted;
            long jittedElsewhere = System.Runtime.JitInfo.GetCompiledMethodCount() - jittedAll - jittedHere;
            notes.Add($"edit {edit + 1}: {jittedHere} methods JIT-compiled by the run, {jittedElsewhere} recompiled by the tiering thread meanwhile"
                + (GC.CollectionCount(1) > gen1 ? ", a gen-1 GC" : string.Empty));

            GeneratorRunResult run = driver.GetRunResult().Results[0];
            foreach (string step in new[] { ReductionGenerator.PlanStep, ReductionGenerator.EmitStep })
            {
                int reran = run.TrackedSteps.TryGetValue(step, out var steps)
                    ? steps.SelectMany(s => s.Outputs).Count(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified)
                    : -1;
                if (reran != 1)
                {
                    Console.WriteLine($"FAIL: edit {edit} re-ran {reran} outputs of {step}, expected exactly the edited method's one");
                    ok = false;
                }
            }
        }

        // The worst edit is said with what it paid for (JIT, a collection), which is not the
        // generator's own work: in an IDE both are shared with everything else the host runs.
        Report($"the first {WarmupEdits} edits (JIT tiering up)", times.GetRange(0, WarmupEdits), notes.GetRange(0, WarmupEdits));
        Report($"the next {Edits} edits", times.GetRange(WarmupEdits, Edits), notes.GetRange(WarmupEdits, Edits));
        Console.WriteLine(ok ? "OK: each edit re-ran the Plan and Emit steps of the edited method only" : "FAIL");
        return ok ? 0 : 1;
    }

    private static void Report(string what, List<double> times, List<string> notes)
    {
        string worst = notes[times.IndexOf(times.Max())];
        double[] sorted = times.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one formula edited, {what}: median {sorted[sorted.Length / 2]:F1} ms, worst {sorted[^1]:F1} ms ({worst}), best {sorted[0]:F1} ms"));
    }

    /// <summary>The 100 methods of build/measure-build.sh; method M050's formula ends with <c>*factor</c>.</summary>
    private static string Source(int factor, bool gradients)
    {
        var s = new StringBuilder("using System;\nusing KeOpsGen;\n\nnamespace Bench;\n\npublic static partial class Kernels\n{\n");
        for (int i = 0; i < Methods; i++)
        {
            int shape = i % 5;
            int dim = shape == 4 ? 1 : (i / 5 % 4) + 1;
            string formula = s_formulas[shape] + (i == 50 ? "*" + factor.ToString(CultureInfo.InvariantCulture) : "");
            s.Append(CultureInfo.InvariantCulture, $"    [Reduction(\"{formula}\", \"X = Vi({dim})\", \"Y = Vj({dim})\", \"B = Vj(1)\", \"G = Pm(1)\"{(gradients ? ", GradientOrder = 1" : "")})]\n");
            s.Append(CultureInfo.InvariantCulture, $"    public static partial void M{i:D3}(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);\n\n");
        }

        return s.Append("}\n").ToString();
    }

    /// <summary>The running framework's assemblies plus the KeOpsGen runtime and what it references (ILGPU).</summary>
    private static IEnumerable<MetadataReference> References()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        IEnumerable<string> framework = trusted.Split(Path.PathSeparator);
        IEnumerable<string> local = Directory.EnumerateFiles(AppContext.BaseDirectory, "ILGPU*.dll")
            .Append(typeof(ReductionAttribute).Assembly.Location);
        return framework.Concat(local).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
    }
}
