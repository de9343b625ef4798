using System;
using System.Collections.Generic;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gradients;

/// <summary>F.Add gathers like terms across a sum chain; the rewrite keeps the value and the dimension.</summary>
public class SumChainSimplificationTests
{
    private static readonly Formula S = F.Var(0, 3, VariableCategory.I, "s");
    private static readonly Formula T = F.Exp(F.Var(1, 3, VariableCategory.J, "t"));
    private static readonly Formula Scalar = F.Var(2, 1, VariableCategory.Parameter, "c");

    private static (Formula Chain, Formula Term, int Dim) Case(string label) => label switch
    {
        // (s + t) + t: the repeated term is merged, s stays.
        "(s+t)+t" => (Ops.Add.Node(new[] { S, T }, OpKit.NoInts), T, 3),
        // (t + s) + 3t.
        "(t+s)+3t" => (Ops.Add.Node(new[] { T, S }, OpKit.NoInts), F.Mult(F.Const(3), T), 3),
        // (s + 2t) + (-5)t: coefficients add, to a negative one.
        "(s+2t)+(-5)t" => (Ops.Add.Node(new[] { S, F.Mult(F.Const(2), T) }, OpKit.NoInts), F.Mult(F.Const(-5), T), 3),
        // (c + t) + t with a scalar first term: the sum still broadcasts to dimension 3.
        "(c+t)+t" => (Ops.Add.Node(new[] { Scalar, T }, OpKit.NoInts), T, 3),
        _ => throw new ArgumentException(label),
    };

    [Theory]
    [InlineData("(s+t)+t")]
    [InlineData("(t+s)+3t")]
    [InlineData("(s+2t)+(-5)t")]
    [InlineData("(c+t)+t")]
    public void LikeTermsAreGatheredWithoutChangingTheValue(string label)
    {
        (Formula chain, Formula term, int dim) = Case(label);
        var random = new SeededRandom(nameof(LikeTermsAreGatheredWithoutChangingTheValue), label);
        Formula simplified = F.Add(chain, term);
        Assert.Equal(dim, simplified.Dim);
        Assert.True(simplified.Size < chain.Size + term.Size + 1, $"{label}: {simplified} was not simplified");

        var values = new Dictionary<int, double[]> { [0] = random.Doubles(3, -2, 2), [1] = random.Doubles(3, -2, 2), [2] = random.Doubles(1, -2, 2) };
        double[] unsimplified = ReferenceEvaluator.Evaluate(Ops.Add.Node(new[] { chain, term }, OpKit.NoInts), values);
        double[] actual = ReferenceEvaluator.Evaluate(simplified, values);
        for (int k = 0; k < dim; k++)
        {
            // Reassociated sums of a few terms: float64 rounding only.
            Assert.True(Math.Abs(actual[k] - unsimplified[k]) <= 1e-14 * Math.Max(1, Math.Abs(unsimplified[k])), $"{random} {label} comp {k}: {actual[k]} vs {unsimplified[k]}");
        }
    }
}
