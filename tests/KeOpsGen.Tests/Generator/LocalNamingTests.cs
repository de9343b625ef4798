using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using KeOpsGen.Generator.Emit;
using KeOpsGen.Tests.Support;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace KeOpsGen.Tests.Generator;

/// <summary>
/// Generated locals are named after the formula's terms (<see cref="LocalNames"/>), the term in a
/// trailing comment, and stay valid and distinct whatever the user calls the variables.
/// </summary>
public static partial class LocalNamingTests
{
    // Names the generated kernels use themselves (result, stride, inner, row, the GPU kernel's v
    // and l), C# keywords once lowered (Int, Float) and other scripts (Σ, é).
    [Reduction("Exp(-Int*SqDist(Result,Stride))*V + Sin(Inner)*L + Exp(Float*Σ) + Cos(Row)*éa",
        "Result = Vi(3)", "Stride = Vj(3)", "V = Vj(1)", "L = Vj(1)", "Inner = Vi(1)", "Row = Vi(1)", "Int = Pm(1)", "Float = Pm(1)", "Σ = Vj(1)", "éa = Vi(1)")]
    private static partial void Clash(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, ReadOnlySpan<double> d, ReadOnlySpan<double> e,
        ReadOnlySpan<double> f, ReadOnlySpan<double> g, ReadOnlySpan<double> h, ReadOnlySpan<double> i, ReadOnlySpan<double> j, Span<double> result);

    [Theory]
    [InlineData(Backend.Cpu)]
    [InlineData(Backend.IlgpuCpu)]
    public static void ClashingNamesComputeTheFormula(Backend backend)
    {
        var random = new SeededRandom(nameof(ClashingNamesComputeTheFormula), backend);
        const int m = 7, n = 29;
        double[] a = random.Doubles(m * 3, -1, 1), b = random.Doubles(n * 3, -1, 1), c = random.Doubles(n, -1, 1), d = random.Doubles(n, -1, 1);
        double[] e = random.Doubles(m, -1, 1), f = random.Doubles(m, -1, 1), g = { random.Double(0.5, 2) }, h = { random.Double(-1, 1) };
        double[] i = random.Doubles(n, -1, 1), j = random.Doubles(m, -1, 1);
        var result = new double[m];
        Clash(a, b, c, d, e, f, g, h, i, j, result, new ReductionOptions { Backend = backend });
        for (int r = 0; r < m; r++)
        {
            double sum = 0, scale = 0;
            for (int s = 0; s < n; s++)
            {
                double d2 = 0;
                for (int k = 0; k < 3; k++)
                {
                    d2 += Math.Pow(a[(r * 3) + k] - b[(s * 3) + k], 2);
                }

                double term = (Math.Exp(-g[0] * d2) * c[s]) + (Math.Sin(e[r]) * d[s]) + Math.Exp(h[0] * i[s]) + (Math.Cos(f[r]) * j[r]);
                sum += term;
                scale += Math.Abs(term);
            }

            // Double terms summed in double: 1e-12 of Σ|term| covers the ulps of exp, sin and cos.
            Assert.True(Math.Abs(result[r] - sum) <= 1e-12 * Math.Max(scale, 1), $"{random} row {r}: {result[r]}, reference {sum}");
        }
    }

    [Fact]
    public static void TheGaussianKernelReadsLikeItsFormula()
    {
        GeneratorOutput output = GeneratorDriverHelper.Run("""
            using System;
            using KeOpsGen;

            public static partial class K
            {
                [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)")]
                public static partial void Gauss(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);
            }
            """);
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        string source = output.Source("K.Gauss.g.cs");
        Assert.Contains("var x_0 = TLane.Broadcast(in outer, 0); // X", source, StringComparison.Ordinal);
        Assert.Contains("var y_0 = TLane.Load(in inner); // Y", source, StringComparison.Ordinal);
        Assert.Contains("var exp = TLane.Exp(", source, StringComparison.Ordinal);
        Assert.Contains("var subtract_0 = (x_0 - y_0); // X-Y", source, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\b[xt]\d+_\d+\b", source);
        Assert.DoesNotMatch(@"\bvar [oq]\d+\b", source);
    }

    /// <summary>
    /// Variables named like the kernel's own parameters and locals (<c>result</c>, <c>stride</c>,
    /// <c>inner</c>, the GPU kernel's <c>v</c> and <c>l</c>, the gather's <c>row</c>), like C#
    /// keywords once lowered (<c>Int</c>, <c>Float</c>), or in other scripts: the file compiles and
    /// computes what the formula says on the CPU and on ILGPU's CPU accelerator.
    /// </summary>
    [Fact]
    public static void ClashingAndUnicodeNamesCompile()
    {
        GeneratorOutput output = GeneratorDriverHelper.Run("""
            using System;
            using KeOpsGen;

            public static partial class K
            {
                [Reduction("Exp(-Int*SqDist(Result,Stride))*V + Sin(Result)*L + Cos(Inner)*Row + Float*Σ + Sqrt(Abs(éa))",
                    "Result = Vi(3)", "Stride = Vj(3)", "V = Vj(1)", "L = Vj(1)", "Inner = Vi(1)", "Row = Vj(1)", "Int = Pm(1)", "Float = Pm(1)", "Σ = Vj(1)", "éa = Vi(1)")]
                public static partial void Clash(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, ReadOnlySpan<double> d,
                    ReadOnlySpan<double> e, ReadOnlySpan<double> f, ReadOnlySpan<double> g, ReadOnlySpan<double> h, ReadOnlySpan<double> i, ReadOnlySpan<double> j, Span<double> result);
            }
            """);
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        string source = output.Source("K.Clash.g.cs");
        Assert.Contains("var σ = ", source, StringComparison.Ordinal);
        Assert.Contains("var intValue = ", source, StringComparison.Ordinal);
        Assert.Matches(@"var result2_0 = TLane\.Broadcast\(in outer, 0\); // Result", source);
    }

    [Fact]
    public static void ThousandsOfLocalsStayDistinct()
    {
        // 30 terms of 16 components each: about two thousand locals in each Evaluate.
        string formula = string.Join(" + ", Enumerable.Range(1, 30).Select(k => $"Sin(X*{k} + Y)"));
        GeneratorOutput output = GeneratorDriverHelper.Run($$"""
            using System;
            using KeOpsGen;

            public static partial class K
            {
                [Reduction("Sum({{formula}})", "X = Vi(16)", "Y = Vj(16)")]
                public static partial void Many(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result);
            }
            """);
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        string source = output.Source("K.Many.g.cs");
        // The one generic Evaluate, up to the kernel's GPU class.
        int start = source.IndexOf("public static void Evaluate<TLane>(", StringComparison.Ordinal);
        string evaluate = source.Substring(start, source.IndexOf("__KeOpsKernel_ManyGpu", start, StringComparison.Ordinal) - start);
        string[] locals = Regex.Matches(evaluate, @"var (\w+) =").Select(m => m.Groups[1].Value).ToArray();
        Assert.True(locals.Length > 1000, $"{locals.Length} locals");
        Assert.Equal(locals.Length, locals.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("sin30_15", locals);
    }

    [Theory]
    [InlineData("int")]
    [InlineData("Int")]
    [InlineData("var")]
    [InlineData("value")]
    [InlineData("result")]
    [InlineData("__tile")]
    [InlineData("9lives")]
    [InlineData("Σ")]
    [InlineData("x\u200Dy")]
    [InlineData("")]
    public static void EveryNameIsAValidIdentifierOnce(string stem)
    {
        var names = new LocalNames("result", "stride", "v", "l");
        var seen = new HashSet<string>(StringComparer.Ordinal) { "result", "stride", "v", "l" };
        for (int k = 0; k < 1200; k++)
        {
            foreach (string name in k % 3 == 0 ? names.Claim(stem, 3) : k % 3 == 1 ? new[] { names.Claim(stem) } : new[] { names.ClaimOwner(stem) })
            {
                Assert.True(SyntaxFacts.IsValidIdentifier(name), $"'{name}' from '{stem}' is not an identifier");
                Assert.Equal(SyntaxKind.None, SyntaxFacts.GetKeywordKind(name));
                Assert.Equal(SyntaxKind.None, SyntaxFacts.GetContextualKeywordKind(name));
                Assert.False(name.StartsWith("__", StringComparison.Ordinal), name);
                Assert.DoesNotContain('\u200D', name);
                Assert.True(seen.Add(name), $"'{name}' from '{stem}' was handed out twice");
            }
        }
    }

    [Fact]
    public static void AnOwnersDerivedNamesAreNeverHandedOut()
    {
        var names = new LocalNames();
        string owner = names.ClaimOwner("acc");
        Assert.Equal("acc", owner);
        // The owner writes acc_0_0, acc_1_3, ...: components of another value may not take them.
        Assert.DoesNotContain(names.Claim("acc", 4), n => n.StartsWith("acc_", StringComparison.Ordinal));
        Assert.NotEqual("acc_0", names.Claim("acc_0"));
        // And an owner is not given a stem whose derived names are already taken.
        string[] x = names.Claim("x", 2);
        Assert.Equal(new[] { "x_0", "x_1" }, x);
        Assert.NotEqual("x", names.ClaimOwner("x"));
    }

    [Theory]
    [InlineData("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)")]
    public static void LongTermsAreShortenedInComments(string formula, string x, string y)
    {
        string nested = string.Concat(Enumerable.Repeat("Exp(", 30)) + "SqDist(X,Y)" + new string(')', 30);
        GeneratorOutput output = GeneratorDriverHelper.Run($$"""
            using System;
            using KeOpsGen;

            public static partial class K
            {
                [Reduction("{{formula}} + {{nested}}", "{{x}}", "{{y}}", "B = Vj(1)", "G = Pm(1)")]
                public static partial void Long(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> b, ReadOnlySpan<float> g, Span<float> result);
            }
            """);
        Assert.True(!output.Errors.Any(), output.DescribeErrors());
        foreach (Match comment in Regex.Matches(output.Source("K.Long.g.cs"), @"; // (.*)$", RegexOptions.Multiline))
        {
            Assert.True(comment.Groups[1].Value.TrimEnd('\r').Length <= 40, comment.Value);
        }

        Assert.Contains("…", output.Source("K.Long.g.cs"), StringComparison.Ordinal);
    }
}
