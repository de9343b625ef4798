using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Models;
using KeOpsGen.Generator.Parsing;
using KeOpsGen.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace KeOpsGen.Tests.Diagnostics;

/// <summary>
/// Random and mutated formulas through the parser and binder: every input must give a formula or
/// one diagnostic whose span lies inside the text, never an exception or a stack overflow.
/// </summary>
public sealed class FuzzTests
{
    private static readonly int Count = int.TryParse(Environment.GetEnvironmentVariable("KEOPSGEN_FUZZ_COUNT"), out int n) ? n : 100_000;

    // The whole run must fit in this budget on the 2-core CI machine: it took 70 s wall (2 streams) with the whole suite running beside it on a machine at load 90.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(120);

    private static readonly string[] Valid =
    {
        "Exp(-G*SqDist(X,Y))*B",
        "Square(G-A)*Exp(X+Y)",
        "Sum(X*Y) + Norm2(X-Y) / (1 + (X|Y))",
        "IfElse(X-Y, Sin(X), Cos(Y)) ** 2",
        "Grad(Exp(-SqDist(X,Y)), X, A)",
        "TensorDot(M, N, [3,3], [3,3], [1], [0], [1,0])",
        "Kron(X, Y, [3], [3])",
        "Elem(X,1) * Extract(Y,0,2) + Concat(A, G)",
        "Clamp(X, Y, X+1) - ClampInt(X, -1, 2) + Round(X, 2) + Mod(X, 2, 0.5)",
        "WeightedSqDist(M, X, Y) + SymSqNorm(M, X) + SqNormDiag(X, Y)",
        "OneHot(A, 3) * Max(X) + ArgMin(Y) + MatVecMult(M, X) + VecMatMult(X, M)",
        "Var(0,3,0) * Var(1,3,1) - X ** -0.5 + X ** 3 + X ** Y",
        "Diff(Sin(X) * Y, X, Y) + Sum(GradMatrix(X * G, X)) + Divergence(X * G, X) + Laplacian(SqNorm2(X), X)",
        "Rsqrt(SqNorm2(X)) + XLogX(Abs(X)) + SinXDivX(X) + Step(X) + Sign(Y) + ReLU(X) + Floor(X)",
        "Atan2(X, Y) + Asin(X/4) + Acos(Y/4) + Atan(X) + Powf(Abs(X)+1, Y) + Inv(X) + Log(Exp(X))",
        "Equal(X, Y) + NotEqual(X, Y) + (X < Y) + (X >= Y) + LessThan(X, Y) + LessOrEqual(X, Y)",
        "SumT(G, 3) * Normalize(X) + Min(Y) * ArgMax(X) + ElemT(G, 3, 1) + ExtractT(A, 1, 3)",
    };

    private static readonly string[] Tokens =
    {
        "X", "Y", "A", "G", "M", "N", "B", "Z", "(", ")", "[", "]", ",", "+", "-", "*", "/", "**", "|", "<", ">", "<=", ">=",
        "==", "=", "^", "%", "@", "0", "1", "2", "-1", "3.5", "1e400", "0x1", "1e", ".", "_", "'", "\"", " ", "\t", "\n",
        "Exp", "Sum", "Grad", "TensorDot", "Kron", "Elem", "Extract", "Var", "OneHot", "IfElse", "Clamp", "Round", "Pow",
        "SqDist", "Zero", "IntCst", "RatCst", "IntInv", "SumT", "ElemT", "ExtractT", "Concat", "Diff", "GradMatrix", "Laplacian",
        "[1,2]", "[]", "[0]", "é", "\u0000", "∑", "(X,", ",)", "Exp(", "((", "))",
    };

    private static readonly VariableDeclaration[] Declarations = ParseDeclarations(
        "X = Vi(3)", "Y = Vj(3)", "A = Vj(1)", "G = Pm(1)", "M = Pm(9)", "N = Vj(9)", "B = Vi(0, 1)");

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    /// <summary>Independent streams of inputs, run in parallel; each has its own generator seeded from the test's seed, so a seed replays every stream.</summary>
    private const int Streams = 2;

    [Fact]
    public void RandomAndMutatedFormulasNeverThrow()
    {
        var random = new SeededRandom(nameof(RandomAndMutatedFormulasNeverThrow));
        foreach (string text in Valid)
        {
            Formula? formula = new Binder(Declarations).Bind(text, out FormulaDiagnostic? error);
            Assert.True(formula is not null, $"seed formula '{text}' must bind: {error?.Message}");
        }

        var clock = Stopwatch.StartNew();
        var results = new StreamResult[Streams];
        System.Threading.Tasks.Parallel.For(0, Streams, stream => results[stream] = RunStream(random.Seed, stream, (Count + Streams - 1) / Streams));
        clock.Stop();

        int formulas = results.Sum(r => r.Formulas), errors = results.Sum(r => r.Errors), inputs = results.Sum(r => r.Inputs);
        List<string> failures = results.SelectMany(r => r.Failures).ToList();
        StreamResult slowest = results.OrderByDescending(r => r.SlowestTicks).First();
        _output.WriteLine($"{inputs} inputs in {clock.Elapsed.TotalSeconds:F1} s ({Streams} streams): {formulas} bound, {errors} diagnostics {random}");
        _output.WriteLine("per generator, all streams (s): " + string.Join(", ", Enumerable.Range(0, 5).Select(k => (results.Sum(r => r.CategoryTicks[k]) / (double)Stopwatch.Frequency).ToString("F1", System.Globalization.CultureInfo.InvariantCulture))));
        _output.WriteLine($"slowest ({slowest.SlowestTicks * 1000.0 / Stopwatch.Frequency:F0} ms): {Escape(slowest.Slowest)}");
        Assert.True(failures.Count == 0, $"{random}\n" + string.Join("\n", failures));
        Assert.True(clock.Elapsed < Budget, $"{inputs} inputs took {clock.Elapsed.TotalSeconds:F1} s, budget {Budget.TotalSeconds} s {random}");
        // Both outcomes must be common, or the generators above test only one path.
        Assert.True(formulas > inputs / 50 && errors > inputs / 5, $"{formulas} bound, {errors} diagnostics {random}");
    }

    private sealed record StreamResult(int Inputs, int Formulas, int Errors, List<string> Failures, long SlowestTicks, string Slowest, long[] CategoryTicks);

    private static StreamResult RunStream(int seed, int stream, int count)
    {
        var rng = new Random(unchecked((seed * 31) + stream));
        var clock = Stopwatch.StartNew();
        int formulas = 0, errors = 0, n = 0;
        var failures = new List<string>();
        long slowestTicks = 0;
        var categoryTicks = new long[5];
        string slowest = string.Empty;
        for (; n < count && failures.Count < 20; n++)
        {
            string text = (n % 5) switch
            {
                0 or 1 => MutateCharacters(rng, Valid[rng.Next(Valid.Length)]),
                2 => MutateTokens(rng, Valid[rng.Next(Valid.Length)]),
                3 => Soup(rng),
                _ => Nest(rng),
            };

            long before = clock.ElapsedTicks;
            try
            {
                Formula? formula = new Binder(Declarations).Bind(text, out FormulaDiagnostic? error);
                long took = clock.ElapsedTicks - before;
                categoryTicks[n % 5] += took;
                if (took > slowestTicks)
                {
                    slowestTicks = took;
                    slowest = text;
                }

                if (formula is null)
                {
                    errors++;
                    if (error is null)
                    {
                        failures.Add($"stream {stream}: no formula and no diagnostic for \"{Escape(text)}\"");
                    }
                    else if (error.Span.Start < 0 || error.Span.Length < 0 || error.Span.End > text.Length)
                    {
                        failures.Add($"stream {stream}: {error.Descriptor.Id} span [{error.Span.Start},{error.Span.End}) outside the text (length {text.Length}) for \"{Escape(text)}\"");
                    }
                    else
                    {
                        _ = error.Message;
                    }
                }
                else
                {
                    formulas++;
                    if (formula.Size < 100_000)
                    {
                        _ = formula.ToString();
                    }
                }
            }
            catch (Exception e)
            {
                failures.Add($"stream {stream}: {e.GetType().Name}: {e.Message} for \"{Escape(text)}\"");
            }
        }

        return new StreamResult(n, formulas, errors, failures, slowestTicks, slowest, categoryTicks);
    }

    [Theory]
    [InlineData("X+", 100_000)]
    [InlineData("-", 100_000)]
    [InlineData("(", 100_000)]
    [InlineData("Exp(", 50_000)]
    [InlineData("[", 50_000)]
    [InlineData("X**", 50_000)]
    public void VeryDeepOrLongFormulasGiveADiagnostic(string unit, int repeat)
    {
        var builder = new StringBuilder();
        for (int k = 0; k < repeat; k++)
        {
            builder.Append(unit);
        }

        builder.Append('X');
        string text = builder.ToString();
        Formula? formula = new Binder(Declarations).Bind(text, out FormulaDiagnostic? error);
        Assert.Null(formula);
        Assert.NotNull(error);
        Assert.Equal("KEOPS0302", error!.Descriptor.Id);
        Assert.InRange(error.Span.End, 1, text.Length);
    }

    private static VariableDeclaration[] ParseDeclarations(params string[] texts)
        => texts.Select((t, i) => DeclarationParser.Parse(t, i, out _) ?? throw new InvalidOperationException(t)).ToArray();

    private static string MutateCharacters(Random rng, string text)
    {
        var chars = new StringBuilder(text);
        int edits = 1 + rng.Next(4);
        const string alphabet = "XYAGMN()[],+-*/|<>=.0123456789eE_ ^%@\"'\\\t";
        for (int e = 0; e < edits; e++)
        {
            int at = chars.Length == 0 ? 0 : rng.Next(chars.Length);
            switch (rng.Next(3))
            {
                case 0 when chars.Length > 0:
                    chars.Remove(at, 1);
                    break;
                case 1:
                    chars.Insert(at, alphabet[rng.Next(alphabet.Length)]);
                    break;
                default:
                    if (chars.Length > 0)
                    {
                        chars[at] = alphabet[rng.Next(alphabet.Length)];
                    }

                    break;
            }
        }

        return chars.ToString();
    }

    private static string MutateTokens(Random rng, string text)
    {
        // Split at boundaries between letters/digits and punctuation, then edit whole tokens.
        var pieces = new List<string>();
        var current = new StringBuilder();
        foreach (char c in text)
        {
            bool word = char.IsLetterOrDigit(c) || c == '.';
            if (current.Length > 0 && (!word || !(char.IsLetterOrDigit(current[current.Length - 1]) || current[current.Length - 1] == '.')))
            {
                pieces.Add(current.ToString());
                current.Clear();
            }

            current.Append(c);
        }

        pieces.Add(current.ToString());
        int edits = 1 + rng.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int at = rng.Next(pieces.Count);
            switch (rng.Next(4))
            {
                case 0 when pieces.Count > 1:
                    pieces.RemoveAt(at);
                    break;
                case 1:
                    pieces.Insert(at, Tokens[rng.Next(Tokens.Length)]);
                    break;
                case 2:
                    pieces[at] = Tokens[rng.Next(Tokens.Length)];
                    break;
                default:
                    int other = rng.Next(pieces.Count);
                    (pieces[at], pieces[other]) = (pieces[other], pieces[at]);
                    break;
            }
        }

        return string.Concat(pieces);
    }

    private static string Soup(Random rng)
    {
        int length = rng.Next(1, 30);
        var builder = new StringBuilder();
        for (int k = 0; k < length; k++)
        {
            builder.Append(Tokens[rng.Next(Tokens.Length)]);
        }

        return builder.ToString();
    }

    private static string Nest(Random rng)
    {
        // Well-formed-ish deep trees: calls, operators and parentheses around leaves, some past the depth limits.
        int depth = rng.Next(1, rng.Next(2) == 0 ? 30 : 600);
        string[] wrappers = { "Exp({0})", "({0})", "-{0}", "{0}+X", "X*{0}", "{0}**2", "Sum({0})", "Elem({0},0)", "Concat({0},A)", "Grad({0},X,{0})", "SqNorm2({0})", "[{0}]" };
        string text = rng.Next(2) == 0 ? "X" : "G";
        for (int k = 0; k < depth; k++)
        {
            text = string.Format(System.Globalization.CultureInfo.InvariantCulture, wrappers[rng.Next(wrappers.Length)], text);
            // 1,500 characters still take the depth past the parser's limit (200) with the short
            // wrappers; longer texts (20,000 before) only repeated the Grad doublings, which took
            // 94% of the run time (text size limits have their own test below).
            if (text.Length > 1_500)
            {
                break;
            }
        }

        return text;
    }

    private static string Escape(string text) => text.Length > 300 ? text.Substring(0, 300) + "..." : text.Replace("\n", "\\n").Replace("\0", "\\0");
}
