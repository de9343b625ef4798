using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Parsing;
using KeOpsGen.Generator.Planning;
using KeOpsGen.Tests.Diagnostics;
using KeOpsGen.Tests.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace KeOpsGen.Tests.Solvers;

/// <summary>
/// Malformed [KernelSolve] methods through the real generators, each with the [|marked|] span
/// the diagnostic must cover exactly and no Roslyn error of its own (a throwing body is emitted);
/// and the linearity rule itself on bound formulas.
/// </summary>
public sealed class KernelSolveDiagnosticTests
{
    private const string Parameters = "ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, double alpha, Span<float> r";

    private static string Method(string attribute, string parameters = Parameters, string signature = "public static partial KernelSolveResult S")
        => $$"""
        using System;
        using KeOpsGen;

        namespace Probe;

        public static partial class K
        {
            {{attribute}}
            {{signature}}({{parameters}});
        }
        """;

    private static string Solve(string formula, string b = "B = Vj(1)", string extra = "")
        => Method($"[KernelSolve({formula}, \"X = Vi(2)\", \"Y = Vj(2)\", \"{b}\"{extra})]");

    private static readonly Dictionary<string, DiagnosticTests.Case> Cases = new()
    {
        ["ExpOfUnknown"] = new("KEOPS0125", Solve("\"[|Exp(-SqDist(X,Y)*B)|]\""), "the unknown enters Exp"),
        ["Quadratic"] = new("KEOPS0125", Solve("\"[|Exp(-SqDist(X,Y))*B*B|]\""), "quadratic"),
        ["Affine"] = new("KEOPS0125", Solve("\"[|Exp(-SqDist(X,Y))*B + 1|]\""), "affine"),
        ["DivideByUnknown"] = new("KEOPS0125", Solve("\"[|Exp(-SqDist(X,Y))/B|]\""), "divides"),
        ["AbsOfUnknown"] = new("KEOPS0125", Solve("\"[|Exp(-SqDist(X,Y))*Abs(B)|]\""), "Abs"),
        ["ConditionOnUnknown"] = new("KEOPS0125", Solve("\"[|IfElse(B, Exp(-SqDist(X,Y))*B, B)|]\""), "IfElse"),
        ["UnknownNotDeclared"] = new("KEOPS0126", Solve("\"Exp(-SqDist(X,Y))*B\"", extra: ", [|Variable = \"C\"|]"), "not one of the declared"),
        ["UnknownOnWrongAxis"] = new("KEOPS0127", Method("[KernelSolve(\"Exp(-SqDist(X,Y))*B\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = [|Vi|](1)\")]"), "must be declared Vj"),
        ["UnknownIsParameter"] = new("KEOPS0127", Method("[KernelSolve(\"Exp(-SqDist(X,Y))*B\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = [|Pm|](1)\")]"), "not Pm"),
        ["NotSquare"] = new("KEOPS0128", Solve("\"[|Exp(-SqDist(X,Y))*Sum(B)|]\"", b: "B = Vj(2)"), "dimension 1 but the unknown 'B' has dimension 2"),
        ["UnknownUnused"] = new("KEOPS0129", Solve("\"[|Exp(-SqDist(X,Y))|]\""), "does not depend"),
        ["ReturnsVoid"] = new("KEOPS0210", Method("[KernelSolve(\"Exp(-SqDist(X,Y))*B\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = Vj(1)\")]", signature: "public static partial void [|S|]"), "must return KeOpsGen.KernelSolveResult"),
        ["NotStatic"] = new("KEOPS0210", Method("[KernelSolve(\"Exp(-SqDist(X,Y))*B\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = Vj(1)\")]", signature: "public partial KernelSolveResult [|S|]"), "must be static", new[] { "CS0708", "CS8795" }),
        ["MissingAlpha"] = new("KEOPS0211", Method("[KernelSolve(\"Exp(-SqDist(X,Y))*B\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = Vj(1)\")]", signature: "public static partial KernelSolveResult [|S|]", parameters: "ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, Span<float> r"), "needs 5 parameters"),
        ["FloatAlpha"] = new("KEOPS0211", Method("[KernelSolve(\"Exp(-SqDist(X,Y))*B\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = Vj(1)\")]", parameters: "ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, float [|alpha|], Span<float> r"), "must be double"),
        ["ReadOnlySolution"] = new("KEOPS0211", Method("[KernelSolve(\"Exp(-SqDist(X,Y))*B\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = Vj(1)\")]", parameters: "ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, double alpha, ReadOnlySpan<float> [|r|]"), "receives the solution"),
        ["WrongOptionsType"] = new("KEOPS0212", Method("[KernelSolve(\"Exp(-SqDist(X,Y))*B\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = Vj(1)\")]", parameters: Parameters + ", ReductionOptions? [|options|]"), "must be KeOpsGen.KernelSolveOptions"),
        ["DimensionErrorInsideSolve"] = new("KEOPS0104", Solve("\"Exp(-[|(X|B)|])*B\"", b: "B = Vj(3)")),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void DiagnosticHasTheIdAndTheExactSpan(string name)
    {
        DiagnosticTests.Case c = Cases[name];
        (string source, TextSpan expected) = DiagnosticTests.Unmark(c.MarkedSource);
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Diagnostic diagnostic = Assert.Single(output.GeneratorDiagnostics);
        Assert.True(c.Id == diagnostic.Id, $"{name}: expected {c.Id}, got {diagnostic}");
        Assert.True(expected == diagnostic.Location.SourceSpan,
            $"{name}: expected the span '{source.Substring(expected.Start, expected.Length)}', got '{source.Substring(diagnostic.Location.SourceSpan.Start, Math.Min(diagnostic.Location.SourceSpan.Length, source.Length - diagnostic.Location.SourceSpan.Start))}': {diagnostic}");
        if (c.MessagePart is not null)
        {
            Assert.Contains(c.MessagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        string[] csErrors = output.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal).ToArray();
        Assert.True((c.CsErrors ?? Array.Empty<string>()).SequenceEqual(csErrors),
            $"{name}: unexpected CS errors:\n{string.Join("\n", output.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))}");
    }

    [Fact]
    public void EveryKernelSolveDiagnosticIdHasACase()
    {
        string[] ids = { "KEOPS0125", "KEOPS0126", "KEOPS0127", "KEOPS0128", "KEOPS0129", "KEOPS0210", "KEOPS0211", "KEOPS0212" };
        Assert.All(ids, id => Assert.Contains(Cases.Values, c => c.Id == id));
        Assert.All(ids, id => Assert.True(System.IO.File.Exists(System.IO.Path.Combine(RepositoryRoot(), "docs", "diagnostics", id + ".md")), $"help page of {id}"));
    }

    [Fact]
    public void ValidSolvesCompileWithTheirGeneratedMembers()
    {
        string source = Method("[KernelSolve(\"Exp(-G*SqDist(X,Y))*B + Exp(-SqDist(X,Y))*B/2\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = Vj(1)\", \"G = Pm(1)\", GradientOrder = 1)]",
            parameters: "ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, float g, double alpha, Span<float> r, KernelSolveOptions options");
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Assert.True(!output.Errors.Any() && output.GeneratorDiagnostics.IsEmpty, output.DescribeErrors() + string.Join("\n", output.GeneratorDiagnostics));
        string solve = output.Source("K.S.g.cs");
        Assert.Contains("public static partial global::KeOpsGen.KernelSolveResult S(", solve, StringComparison.Ordinal);
        Assert.Contains("public static global::KeOpsGen.KernelSolveResult S(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> y, global::System.ReadOnlySpan<float> b, float g, double alpha, global::System.Span<float> r)", solve, StringComparison.Ordinal);
        Assert.Contains("SGradB(", solve, StringComparison.Ordinal);
        Assert.Contains("SGradX(", solve, StringComparison.Ordinal);
        Assert.Contains("SGradG(", solve, StringComparison.Ordinal);
        Assert.Contains("public static void SOperator(", output.Source("K.SOperator.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratedSolveMatchesSnapshot()
    {
        string source = Method("[KernelSolve(\"Exp(-G*SqDist(X,Y)) * B\", \"X = Vi(2)\", \"Y = Vj(2)\", \"B = Vj(2)\", \"G = Pm(1)\", GradientOrder = 1)]",
            parameters: "ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, double alpha, Span<float> r");
        GeneratorOutput output = GeneratorDriverHelper.Run(source);
        Assert.True(!output.Errors.Any() && output.GeneratorDiagnostics.IsEmpty, output.DescribeErrors());
        KeOpsGen.Tests.Support.Snapshot.Match("KernelSolve.Gaussian", output.Source("K.S.g.cs"));
    }

    private static string RepositoryRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !System.IO.File.Exists(System.IO.Path.Combine(directory, "KeOpsGen.sln")))
        {
            directory = System.IO.Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("repository root not found");
    }

    [Theory]
    [InlineData("Exp(-SqDist(X,Y))*B", "Linear", true)]
    [InlineData("B*Exp(-SqDist(X,Y))", "Linear", true)]
    [InlineData("-(Exp(-SqDist(X,Y))*B)/(1+SqDist(X,Y))", "Linear", true)]
    [InlineData("Exp(-SqDist(X,Y))*B - Rsqrt(1+SqDist(X,Y))*B", "Linear", true)]
    [InlineData("IfElse(1-SqDist(X,Y), Exp(-SqDist(X,Y))*B, Zero(3))", "Linear", true)]
    [InlineData("X*B", "Linear", false)]
    [InlineData("MatVecMult(A, B)*Exp(-SqDist(X,Y))", "Linear", false)]
    [InlineData("Exp(-SqDist(X,Y))*Concat(Elem(B,1), Extract(B,0,2))", "Linear", false)]
    [InlineData("(X|B)*X", "Linear", false)]
    [InlineData("Grad(Exp(-SqDist(X,Y))*(X|B), X, Elem(Y,0))", "Linear", false)]
    [InlineData("Exp(-SqDist(X,Y))", "Free", false)]
    [InlineData("Exp(B)", "NonLinear", false)]
    [InlineData("B*B", "NonLinear", false)]
    [InlineData("(B|B)*X", "NonLinear", false)]
    [InlineData("B + X", "NonLinear", false)]
    [InlineData("Concat(Elem(B,0), Concat(Elem(X,0), Elem(B,2)))", "NonLinear", false)]
    [InlineData("X/B", "NonLinear", false)]
    [InlineData("IfElse(Elem(B,0), B, X)", "NonLinear", false)]
    [InlineData("Max(B)*X", "NonLinear", false)]
    [InlineData("Sqrt(Square(B))", "NonLinear", false)]
    public void LinearityRule(string formula, string kind, bool scaled)
    {
        string[] declarations = { "X = Vi(3)", "Y = Vj(3)", "B = Vj(3)", "A = Pm(9)" };
        var parsed = declarations.Select((d, k) => DeclarationParser.Parse(d, k, out _)!).ToList();
        Formula? bound = new Binder(parsed).Bind(formula, out var error);
        Assert.True(bound is not null, error?.Message);
        Linearity linearity = Linearity.Of(bound!, 2);
        Assert.Equal(kind, linearity.Kind.ToString());
        Assert.Equal(scaled, linearity.Scaled);
    }
}
