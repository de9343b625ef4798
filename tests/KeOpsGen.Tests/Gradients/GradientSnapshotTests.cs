using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using KeOpsGen.Generator.Differentiation;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Generator.Parsing;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gradients;

/// <summary>
/// The symbolic gradients of the reference kernels as text: snapshots show any change in their
/// shape, and node counts are held against hand-derived minimal forms so bloat fails loudly.
/// </summary>
public class GradientSnapshotTests
{
    private static readonly string[] KernelDeclarations = { "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)" };
    private static readonly string[] SeedDeclarations = { "x = Vi(3)", "y = Vj(3)", "a = Vj(1)", "p = Pm(1)" };

    [Fact]
    public void GaussianGradients() => Snapshot.Match("Gradients.Gaussian", GradientText.Of("Exp(-G*SqDist(X,Y))*B", KernelDeclarations));

    [Fact]
    public void CauchyGradients() => Snapshot.Match("Gradients.Cauchy", GradientText.Of("Inv(1+G*SqDist(X,Y))*B", KernelDeclarations));

    [Fact]
    public void SeedGradients() => Snapshot.Match("Gradients.Seed", GradientText.Of("Square(p-a)*Exp(x+y)", SeedDeclarations));

    [Fact]
    public void SecondOrderGaussianGradient()
        => Snapshot.Match("Gradients.GaussianSecondOrder", GradientText.Of("Grad(Exp(-G*SqDist(X,Y)),X,E)", new[] { "X = Vi(3)", "Y = Vj(3)", "E = Vi(1)", "G = Pm(1)" }));

    /// <summary>
    /// Each gradient is no bigger (in distinct nodes, what the kernel computes) than a minimal form
    /// derived by hand, and has its value. The hand forms use the adjoint's name E (the variable
    /// after the declared ones).
    /// </summary>
    [Theory]
    [InlineData("Exp(-G*SqDist(X,Y))*B", "X", "-2*G*Exp(-G*SqDist(X,Y))*(E|B)*(X-Y)")]
    [InlineData("Exp(-G*SqDist(X,Y))*B", "Y", "2*G*Exp(-G*SqDist(X,Y))*(E|B)*(X-Y)")]
    [InlineData("Exp(-G*SqDist(X,Y))*B", "B", "Exp(-G*SqDist(X,Y))*E")]
    [InlineData("Exp(-G*SqDist(X,Y))*B", "G", "-SqDist(X,Y)*Exp(-G*SqDist(X,Y))*(E|B)")]
    [InlineData("Inv(1+G*SqDist(X,Y))*B", "X", "-2*G*Square(Inv(1+G*SqDist(X,Y)))*(E|B)*(X-Y)")]
    [InlineData("Inv(1+G*SqDist(X,Y))*B", "Y", "2*G*Square(Inv(1+G*SqDist(X,Y)))*(E|B)*(X-Y)")]
    [InlineData("Inv(1+G*SqDist(X,Y))*B", "B", "Inv(1+G*SqDist(X,Y))*E")]
    [InlineData("Inv(1+G*SqDist(X,Y))*B", "G", "-SqDist(X,Y)*Square(Inv(1+G*SqDist(X,Y)))*(E|B)")]
    [InlineData("Grad(Exp(-G*SqDist(X,Y)),X,C)", "X", "-2*G*C*Exp(-G*SqDist(X,Y))*E+4*G*G*C*Exp(-G*SqDist(X,Y))*(E|X-Y)*(X-Y)")]
    public void GradientIsNoBiggerThanTheHandDerivedForm(string formula, string variable, string handDerived)
    {
        var random = new SeededRandom(nameof(GradientIsNoBiggerThanTheHandDerivedForm), formula, variable);
        var declarations = new List<string> { "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", "C = Vi(1)" };
        (Formula f, Formula[] variables) = GradientText.Bind(formula, declarations.ToArray());
        Formula v = variables.Single(x => x.Name == variable);
        Formula e = F.Var(declarations.Count, f.Dim, VariableCategory.I, "E");
        declarations.Add($"E = Vi({f.Dim})");
        Formula gradient = Differentiator.Gradient(f, v, e);
        (Formula hand, _) = GradientText.Bind(handDerived, declarations.ToArray());
        int nodes = gradient.PostOrder().Count(), handNodes = hand.PostOrder().Count();
        Assert.True(nodes <= handNodes, $"{formula} wrt {variable}: {gradient} has {nodes} distinct nodes, the hand form {hand} {handNodes}");

        var values = new Dictionary<int, double[]>();
        int[] dims = { 3, 3, 2, 1, 1, f.Dim };
        for (int k = 0; k < dims.Length; k++)
        {
            values[k] = random.Doubles(dims[k], k == 3 ? 0.5 : -1, 1);
        }

        double[] expected = ReferenceEvaluator.Evaluate(hand, values), actual = ReferenceEvaluator.Evaluate(gradient, values);
        for (int k = 0; k < expected.Length; k++)
        {
            // Same value up to the order of a handful of float64 operations.
            Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-12 * Math.Max(1, Math.Abs(expected[k])), $"{random} comp {k}: {actual[k]} vs hand-derived {expected[k]}");
        }
    }
}

/// <summary>Prints the gradient of a formula with respect to each declared variable, with its size.</summary>
internal static class GradientText
{
    public static string Of(string formula, string[] declarations)
    {
        var builder = new StringBuilder();
        (Formula f, Formula[] variables) = Bind(formula, declarations);
        Formula e = F.Var(declarations.Length, f.Dim, VariableCategory.I, "e");
        builder.Append("F = ").Append(f).Append("   [").Append(Nodes(f)).Append(" nodes]\n");
        foreach (Formula v in variables)
        {
            Formula g = Differentiator.Gradient(f, v, e);
            builder.Append("Grad(F,").Append(v).Append(",e) = ").Append(g).Append("   [").Append(Nodes(g)).Append(" nodes]\n");
        }

        return builder.ToString();
    }

    /// <summary>Distinct nodes (what the kernel evaluates once each) and tree size.</summary>
    public static string Nodes(Formula f) => $"{f.PostOrder().Count()} distinct, {f.Size} in tree";

    public static (Formula Formula, Formula[] Variables) Bind(string formula, string[] declarations)
    {
        var parsed = new List<VariableDeclaration>();
        for (int k = 0; k < declarations.Length; k++)
        {
            parsed.Add(DeclarationParser.Parse(declarations[k], k, out var declarationError)
                ?? throw new InvalidOperationException($"{declarations[k]}: {declarationError}"));
        }

        Formula f = new Binder(parsed).Bind(formula, out var error) ?? throw new InvalidOperationException($"{formula}: {error}");
        return (f, parsed.Select(Binder.VariableOf).ToArray());
    }
}
