using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Tests.Generator;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace KeOpsGen.Tests.Diagnostics;

/// <summary>
/// The generator at the edges of every integer and every size: each case is a KEOPS diagnostic
/// with the exact span (never a generator exception, never a C# compiler failure), and a fuzz
/// over integer arguments at and past every limit in which each formula either fails with a
/// KEOPS error or generates code that compiles.
/// </summary>
public sealed class HardeningGeneratorTests
{
    private readonly ITestOutputHelper _output;

    public HardeningGeneratorTests(ITestOutputHelper output) => _output = output;

    internal static string Method(string attribute, string parameters)
        => $$"""
        using System;
        using KeOpsGen;

        namespace Probe;

        public static partial class K
        {
            {{attribute}}
            public static partial void M({{parameters}});
        }
        """;

    private const string XyR = "ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> r";

    private static string Formula(string formula, string x = "X = Vi(3)", string y = "Y = Vj(3)", string options = "")
        => Method($"[Reduction({formula}, \"{x}\", \"{y}\"{options})]", XyR);

    internal static readonly Dictionary<string, DiagnosticTests.Case> Cases = new()
    {
        ["ExtractStartAtIntMax"] = new("KEOPS0105", Formula("\"Extract(X,[|2147483647|],2) * Y\"")),
        ["ExtractTStartAtIntMax"] = new("KEOPS0105", Formula("\"ExtractT(Elem(X,0),[|2147483647|],3) - Y\"")),
        ["OneHotOfIntMax"] = new("KEOPS0302", Formula("\"[|OneHot(Elem(X,0),2147483647)|]\"")),
        ["SumTOfIntMax"] = new("KEOPS0302", Formula("\"[|SumT(Elem(X,0),2147483647)|]\"")),
        ["PowOfTwoToThe31"] = new("KEOPS0115", Formula("\"Pow(X,[|2147483648|]) - Y\""), "out of range"),
        ["PowOfMinusTwoToThe31"] = new("KEOPS0115", Formula("\"Pow(X,[|-2147483648|]) - Y\""), "out of range"),
        ["PowBeyondExponentLimit"] = new("KEOPS0115", Formula("\"Pow(X,[|100000000|]) - Y\""), "out of range"),
        ["ElemAtIntMax"] = new("KEOPS0105", Formula("\"Elem(X,[|2147483647|]) - Y\"")),
        ["ElemBeyondInt"] = new("KEOPS0115", Formula("\"Elem(X,[|99999999999|]) - Y\"")),
        ["RoundTo40Digits"] = new("KEOPS0115", Formula("\"Round(X,[|40|]) - Y\""), "-15 to 15"),
        ["RoundToMinus40Digits"] = new("KEOPS0115", Formula("\"Round(X,[|-40|]) - Y\""), "-15 to 15"),
        ["KIsIntMax"] = new("KEOPS0205", Formula("\"SqDist(X,Y)\"", options: ", Op = ReductionOp.KMin, [|K = int.MaxValue|]"), "K = 2147483647"),
        ["KIsOneBillion"] = new("KEOPS0205", Formula("\"SqDist(X,Y)\"", options: ", Op = ReductionOp.ArgKMin, [|K = 1000000000|]"), "K = 1000000000"),
        ["NullFormula"] = new("KEOPS0005", Method("[Reduction([|null|], \"X = Vi(3)\", \"Y = Vj(3)\")]", XyR)),
        ["MatVecMultOverD8192"] = new("KEOPS0305", Formula("\"[|MatVecMult(Y,X)|]\"", "X = Vi(4096)", "Y = Vj(8192)"), "8192"),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void EdgeCaseIsAKeOpsDiagnosticWithTheExactSpan(string name) => DiagnosticTests.Check(name, Cases[name], out _);

    [Theory]
    [InlineData(56)]
    [InlineData(64)]
    public void SoftDtwOfLongSeriesIsASizeDiagnostic(int d)
    {
        var clock = Stopwatch.StartNew();
        (string source, Microsoft.CodeAnalysis.Text.TextSpan span) = DiagnosticTests.Unmark(Method(
            $"[Reduction(\"[|SoftDTW_SqDist(X,Y,IntCst(1))|]\", \"X = Vi({d})\", \"Y = Vj({d})\", GradientOrder = 1)]", XyR));
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        _output.WriteLine($"D = {d}: {clock.Elapsed.TotalSeconds:F1} s; {string.Join("; ", output.GeneratorDiagnostics)}");
        Diagnostic error = Assert.Single(output.GeneratorDiagnostics, x => x.Severity == DiagnosticSeverity.Error);
        Assert.Equal("KEOPS0304", error.Id);
        Assert.Equal(span, error.Location.SourceSpan);
        Assert.Empty(output.CompilationDiagnostics.Where(c => c.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void NulCharacterIsEscapedInTheMessage()
    {
        Diagnostic d = Assert.Single(GeneratorDriverHelper.Run(Formula("\"X - Y \\0\"")).GeneratorDiagnostics);
        string message = d.GetMessage(CultureInfo.InvariantCulture);
        Assert.Equal("KEOPS0001", d.Id);
        Assert.DoesNotContain('\0', message);
        Assert.Contains("U+0000", message, StringComparison.Ordinal);
    }

    /// <summary>
    /// 300 variables used to be KEOPS0304 (one public method per variable made the surface V²);
    /// with the combined gradient method (KEOPS0307) the code is linear in V and compiles, with no
    /// CS8103 (too many user strings) either.
    /// </summary>
    [Fact]
    public void ManyVariablesGenerateCodeThatCompiles()
    {
        // 128 is the most one kernel takes (SizeLimits.MaxKernelVariables, the runtime's KernelSpans).
        const int count = 128;
        var declarations = string.Join(", ", Enumerable.Range(0, count).Select(i => $"\"V{i} = {(i % 2 == 0 ? "Vi" : "Vj")}(1)\""));
        var parameters = string.Join(", ", Enumerable.Range(0, count).Select(i => $"ReadOnlySpan<float> v{i}")) + ", Span<float> r";
        string formula = string.Join("+", Enumerable.Range(0, count).Select(i => $"V{i}"));
        var clock = Stopwatch.StartNew();
        GeneratorOutput output = GeneratorDriverHelper.Run(Method($"[Reduction(\"{formula}\", {declarations}, GradientOrder = 1)]", parameters));
        _output.WriteLine($"{count} variables: {clock.Elapsed.TotalSeconds:F1} s, diagnostics: {string.Join("; ", output.GeneratorDiagnostics)}");
        Diagnostic d = Assert.Single(output.GeneratorDiagnostics);
        Assert.Equal("KEOPS0307", d.Id);
        Diagnostic[] errors = output.CompilationDiagnostics.Where(c => c.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Take(10)));
    }

    [Fact]
    public void AKernelOverMoreVariablesThanTheRuntimeCarriesIsAnError()
    {
        // 300 variables all read by the forward kernel: over the 128 a kernel takes, so KEOPS0304
        // says so on the formula (before, it compiled and the call threw at run time).
        const int count = 300;
        var declarations = string.Join(", ", Enumerable.Range(0, count).Select(i => $"\"V{i} = {(i % 2 == 0 ? "Vi" : "Vj")}(1)\""));
        var parameters = string.Join(", ", Enumerable.Range(0, count).Select(i => $"ReadOnlySpan<float> v{i}")) + ", Span<float> r";
        string formula = string.Join("+", Enumerable.Range(0, count).Select(i => $"V{i}"));
        GeneratorOutput output = GeneratorDriverHelper.Run(Method($"[Reduction(\"{formula}\", {declarations})]", parameters));
        Diagnostic d = Assert.Single(output.GeneratorDiagnostics, g => g.Id == "KEOPS0304");
        Assert.Contains("reads 300 variables in one kernel, over the limit of 128", d.GetMessage(CultureInfo.InvariantCulture));
        Assert.DoesNotContain(output.CompilationDiagnostics, c => c.Severity == DiagnosticSeverity.Error && !c.Id.StartsWith("KEOPS", StringComparison.Ordinal));
    }

    /// <summary>Folds that are loops over wide vectors have no KEOPS0305 limit: they generate and compile (no CS8078).</summary>
    [Theory]
    [InlineData("(X|Y)", 4096)]
    [InlineData("Exp(-SqDist(X,Y))", 6000)]
    public void LoopedFoldsOverThousandsOfComponentsCompile(string formula, int d)
    {
        GeneratorOutput output = GeneratorDriverHelper.Run(Formula($"\"{formula}\"", $"X = Vi({d})", $"Y = Vj({d})"));
        Assert.Empty(output.Errors);
    }

    [Fact]
    public void ExpressionAtTheNestingLimitCompiles()
    {
        // The KEOPS0305 limit is set below what the C# compiler accepts in one expression (CS8078).
        int depth = KeOpsGen.Generator.Formulas.Binder.MaxFoldLength;
        var body = new StringBuilder("a");
        for (int i = 1; i < depth; i++)
        {
            body.Insert(0, "global::System.MathF.FusedMultiplyAdd(a, a, ").Append(')');
        }

        string source = $"static class C {{ static float F(float a) => {body}; }}";
        var compilation = GeneratorDriverHelper.Compilation(source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    /// <summary>Integer arguments at and past every limit, through the whole pipeline.</summary>
    [Fact]
    public void IntegerArgumentsAtAndPastEveryLimitNeverBreakTheGenerator()
    {
        string[] values = { "-2147483648", "-2147483647", "-1", "0", "1", "2", "3", "4", "16", "100000", "2147483646", "2147483647", "2147483648", "99999999999", "100000000000000000000000" };
        var formulas = new List<string>();
        foreach (Operation op in OperationTable.All.Where(o => o.Parameters.Any(p => p != ParamKind.Formula)).OrderBy(o => o.Name, StringComparer.Ordinal))
        {
            if (op.Name is "Var")
            {
                continue;
            }

            foreach (string v in values)
            {
                foreach (string w in new[] { v, "1" })
                {
                    int intIndex = 0;
                    var args = op.Parameters.Select((p, i) => p switch
                    {
                        ParamKind.Formula => i == 0 ? "X" : "Y",
                        ParamKind.Int => intIndex++ == 0 ? v : w,
                        _ => $"[{v},{w}]",
                    });
                    formulas.Add($"{op.Name}({string.Join(",", args)})");
                }
            }
        }

        // With both arguments at 1 the (v, v) and (v, 1) forms coincide: compile each formula once.
        formulas = formulas.Distinct(StringComparer.Ordinal).ToList();
        var source = new StringBuilder("using System;\nusing KeOpsGen;\nnamespace Probe;\npublic static partial class K\n{\n");
        for (int i = 0; i < formulas.Count; i++)
        {
            source.Append($"    [Reduction(\"Sum({formulas[i]})\", \"X = Vi(3)\", \"Y = Vj(3)\")]\n    public static partial void M{i}(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> r);\n");
        }

        source.Append("}\n");
        var clock = Stopwatch.StartNew();
        GeneratorOutput output = GeneratorDriverHelper.Run(source.ToString());
        _output.WriteLine($"{formulas.Count} formulas in {clock.Elapsed.TotalSeconds:F1} s; {output.GeneratorDiagnostics.Length} diagnostics");
        Diagnostic[] broken = output.GeneratorDiagnostics.Where(d => !d.Id.StartsWith("KEOPS", StringComparison.Ordinal) || d.Id == "KEOPS0399" || d.Location == Location.None).ToArray();
        Assert.True(broken.Length == 0, string.Join("\n", broken.Take(20)));
        Diagnostic[] csErrors = output.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(csErrors.Length == 0, $"accepted formulas that do not compile:\n{string.Join("\n", csErrors.Take(20))}");

        // Every formula gets either code or one KEOPS error on its own attribute.
        string text = source.ToString();
        var failedLines = output.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.GetLineSpan().StartLinePosition.Line).ToHashSet();
        for (int i = 0; i < formulas.Count; i++)
        {
            bool generated = output.Sources.Any(s => s.HintName == $"K.M{i}.g.cs");
            bool failed = failedLines.Contains(5 + (2 * i)) || failedLines.Contains(6 + (2 * i));
            Assert.True(generated ^ failed, $"'{formulas[i]}': generated {generated}, error {failed}");
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"the fuzz took {clock.Elapsed.TotalSeconds:F0} s");
    }
}

/// <summary>
/// The size limit leaves room for what compiled before; its own class so that xunit runs it beside
/// the fuzz rather than after it.
/// </summary>
public sealed class GeneratorSizeLimitTests
{
    private readonly ITestOutputHelper _output;

    public GeneratorSizeLimitTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void LargeButReasonableFormulasStillGenerate()
    {
        // The limits must leave what compiles today: a D = 1024 Gaussian and its gradients
        // (8.1 M characters with the ILGPU kernels). The test runs D = 512 (4.0 M; D = 1024 takes minutes to
        // generate on a loaded 2-core machine) and extrapolates: from 512 to 1024 the size doubles.
        // Only the size and the absence of KEOPS0304 matter here: the generator alone, no binding of its 4 M characters.
        (var sources, var diagnostics) = GeneratorDriverHelper.Generate(HardeningGeneratorTests.Method(
            "[Reduction(\"Exp(-G*SqDist(X,Y))*B\", \"X = Vi(512)\", \"Y = Vj(512)\", \"B = Vj(1)\", \"G = Pm(1)\", GradientOrder = 1)]",
            "ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, float g, Span<float> r"));
        Assert.Empty(diagnostics);
        long size = sources.Sum(s => (long)s.SourceText.Length);
        _output.WriteLine($"D = 512 Gaussian: {size:N0} characters");
        Assert.True(2.1 * size < KeOpsGen.Generator.Planning.SizeLimits.MaxGeneratedCharacters, $"a D = 1024 Gaussian (about {2 * size:N0} characters) must stay under the limit");
    }
}
