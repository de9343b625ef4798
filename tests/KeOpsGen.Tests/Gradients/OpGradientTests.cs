using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using KeOpsGen.Generator.Differentiation;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gradients;

/// <summary>
/// Every operation of the table, differentiated symbolically (Grad, Diff and Grad of Grad) and
/// checked against central finite differences of its float64 reference, at random points of the
/// operation's domain.
/// </summary>
public class OpGradientTests
{
    // Central differences with h = 1e-6: truncation h²·|f'''|/6 stays below 1e-8 on the domains
    // (the steepest is Rsqrt near 0.05), rounding is about 2e-16·|s|/h = 2e-10·|s|. 1e-6 relative
    // to the larger of the gradient and the value leaves two orders of margin over both.
    private const double Step = 1e-6;
    private const double Tolerance = 1e-6;
    private const int PointsPerCase = 4;

    private const int EPosition = 100;
    private const int WPosition = 101;
    private const int UPosition = 200;



    [Fact]
    public void EveryOperationIsCoveredOrListedWithAReason()
    {
        // What the loop cannot differentiate (no formula argument, a differential operator, the
        // leaf) is exactly what says why in its test metadata.
        var skipped = OperationTable.All.Where(op => op.FormulaParameterCount == 0 || op.Group == OpGroup.Calculus || op == Ops.Var)
            .Select(op => op.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var withReason = OperationTable.All.Where(op => op.Tests.NotDifferentiatedBecause is not null)
            .Select(op => op.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(skipped, withReason);
    }

    [Fact]
    public void OperationsWithoutDerivativeRuleExplainWhy()
    {
        // Aliases expand into other operations; every real operation has a rule or a reason.
        var silent = OperationTable.All.Where(op => !op.IsAlias && op.Vjp is null && op.NotDifferentiableReason is null && op != Ops.Var)
            .Select(op => op.Name).ToList();
        Assert.Empty(silent);
    }

    [Fact]
    public void GradAndDiffOfEveryOperationMatchFiniteDifferences()
    {
        var random = new SeededRandom(nameof(GradAndDiffOfEveryOperationMatchFiniteDifferences));
        var failures = new List<string>();
        int checkedOps = 0;
        foreach (Operation op in OperationTable.All.OrderBy(o => o.Name))
        {
            if (!IsCovered(op))
            {
                continue;
            }

            IntArgs ints = OperationTestCases.Ints(op);
            foreach (int[] dims in Cases(op, ints))
            {
                if (!op.IsAlias && op.Vjp is null && op.NotDifferentiableReason is { } reason)
                {
                    // No rule by design: Grad must refuse with the operation's own reason (KEOPS0111).
                    Formula[] vars = dims.Select((d, a) => F.Var(a, d, VariableCategory.I, "x" + a)).ToArray();
                    Formula node = op.Create(vars, ints);
                    var refused = Record.Exception(() => Ops.Grad.Create(new[] { node, vars[0], F.Var(EPosition, node.Dim, VariableCategory.I, "e") }, OpKit.NoInts));
                    if (refused is not NotDifferentiableException || refused.Message != reason)
                    {
                        failures.Add($"{op.Name}: expected NotDifferentiableException(\"{reason}\"), got {refused?.GetType().Name ?? "no exception"}");
                    }

                    continue;
                }

                try
                {
                    CheckCase(op, dims, ints, random, failures);
                }
                catch (Exception e) when (e is NotDifferentiableException or InvalidOperationException or ArgumentException)
                {
                    failures.Add($"{op.Name}[{string.Join(",", dims)}]: {e.GetType().Name}: {e.Message}");
                }
            }

            checkedOps++;
        }

        Assert.True(failures.Count == 0, $"{random}\n{failures.Count} mismatches:\n{string.Join("\n", failures.Take(40))}");
        Assert.True(checkedOps >= 40, $"only {checkedOps} operations checked");
    }

    [Fact]
    public void MissingDerivativeRuleRaisesWithTheOperationsReason()
    {
        // No operation of the table lacks a rule today, so a stand-in without Vjp plays the part.
        var op = new Operation
        {
            Name = "NoRule",
            Group = OpGroup.Elementwise,
            Parameters = OpKit.F1,
            Signature = "NoRule(f)",
            Summary = "test only",
            DimensionRule = "d(f)",
            Dim = (dims, _) => DimResult.Ok(dims[0]),
            NotDifferentiableReason = "NoRule is a test operation with no derivative",
        };
        Formula x = F.Var(0, 2, VariableCategory.I, "x");
        Formula f = F.Exp(op.Node(new[] { F.Square(x) }, OpKit.NoInts));
        var e = Assert.Throws<NotDifferentiableException>(() => Differentiator.Gradient(f, x, F.Var(1, 2, VariableCategory.I, "e")));
        Assert.Equal("NoRule is a test operation with no derivative", e.Message);

        // Not depending on the variable, the node is never asked for its rule.
        Formula y = F.Var(2, 2, VariableCategory.J, "y");
        Assert.True(Differentiator.Gradient(F.Add(f, F.Square(y)), y, F.Var(1, 2, VariableCategory.I, "e")).PostOrder().All(n => n.Op != op));
    }

    private static bool IsCovered(Operation op) => op.Tests.NotDifferentiatedBecause is null;

    private static IEnumerable<int[]> Cases(Operation op, IntArgs ints)
    {
        if (op.Tests.Dims is { } explicitCases)
        {
            return explicitCases;
        }

        int arity = op.FormulaParameterCount;
        var candidates = new List<int[]> { Enumerable.Repeat(3, arity).ToArray() };
        if (arity >= 2)
        {
            candidates.Add(new[] { 1 }.Concat(Enumerable.Repeat(3, arity - 1)).ToArray());
            candidates.Add(Enumerable.Repeat(3, arity - 1).Concat(new[] { 1 }).ToArray());
        }

        candidates.Add(Enumerable.Repeat(1, arity).ToArray());
        return candidates.Where(d => !op.Dim(d, ints).IsError).ToList();
    }

    private static void CheckCase(Operation op, int[] dims, IntArgs ints, SeededRandom random, List<string> failures)
    {
        var variables = dims.Select((d, a) => F.Var(a, d, VariableCategory.I, "x" + a)).ToArray();
        Formula f = op.Create(variables, ints);
        Formula e = F.Var(EPosition, f.Dim, VariableCategory.I, "e");
        string label = $"{op.Name}[{string.Join(",", dims)}]";
        for (int point = 0; point < PointsPerCase; point++)
        {
            var values = new Dictionary<int, double[]>();
            for (int a = 0; a < dims.Length; a++)
            {
                values[a] = random.Doubles(dims[a], op.Tests.Domain.Low, op.Tests.Domain.High);
                values[UPosition + a] = random.Doubles(dims[a], -1, 1);
            }

            values[EPosition] = random.Doubles(f.Dim, -1, 1);
            for (int a = 0; a < dims.Length; a++)
            {
                Formula v = variables[a];
                if (Array.IndexOf(op.NotDifferentiableArguments, a) >= 0)
                {
                    // No rule for this argument by design: Grad must refuse with the operation's reason.
                    ExpectRefusal($"{label} Grad wrt x{a}", () => Ops.Grad.Create(new[] { f, v, e }, OpKit.NoInts), op.NotDifferentiableReason!, failures);
                    continue;
                }

                Formula grad = Ops.Grad.Create(new[] { f, v, e }, OpKit.NoInts);
                CompareGradient($"{label} Grad wrt x{a}", f, grad, a, values, values[EPosition], failures);

                // Second order: the derivative formula is itself differentiated (its rules include
                // OneHot, Step, DiffClampInt, ... that the first order only produces).
                Formula w = F.Var(WPosition, v.Dim, VariableCategory.I, "w");
                values[WPosition] = random.Doubles(v.Dim, -1, 1);
                for (int b = 0; b < dims.Length; b++)
                {
                    if (op.Tests.FirstOrderOnlyBecause is { } firstOrderReason)
                    {
                        if (Array.IndexOf(op.NotDifferentiableArguments, b) < 0)
                        {
                            ExpectRefusal($"{label} Grad(Grad wrt x{a}) wrt x{b}", () => Ops.Grad.Create(new[] { grad, variables[b], w }, OpKit.NoInts), firstOrderReason, failures);
                        }

                        continue;
                    }

                    Formula second = Ops.Grad.Create(new[] { grad, variables[b], w }, OpKit.NoInts);
                    CompareGradient($"{label} Grad(Grad wrt x{a}) wrt x{b}", grad, second, b, values, values[WPosition], failures);
                }

                Formula u = F.Var(UPosition + a, v.Dim, VariableCategory.I, "u" + a);
                Formula diff = Ops.Diff.Create(new[] { f, v, u }, OpKit.NoInts);
                CompareDifferential($"{label} Diff wrt x{a}", f, diff, a, values, failures);
            }
        }
    }

    private static void ExpectRefusal(string label, Func<Formula> differentiate, string reason, List<string> failures)
    {
        var refused = Record.Exception(() => differentiate());
        if (refused is not NotDifferentiableException || refused.Message != reason)
        {
            failures.Add($"{label}: expected NotDifferentiableException(\"{reason}\"), got {refused?.GetType().Name ?? "no exception"}: {refused?.Message}");
        }
    }

    /// <summary>Grad(s, x_a, e) against ∂/∂x_a of &lt;e, s(x)&gt;, component by component.</summary>
    private static void CompareGradient(string label, Formula s, Formula grad, int position, Dictionary<int, double[]> values, double[] e, List<string> failures)
    {
        double[] symbolic = ReferenceEvaluator.Evaluate(grad, values);
        double[] x = values[position];
        for (int c = 0; c < x.Length; c++)
        {
            double original = x[c];
            double Contracted(double delta)
            {
                x[c] = original + delta;
                double r = ReferenceEvaluator.Contract(s, values, e);
                x[c] = original;
                return r;
            }

            double fd = (Contracted(Step) - Contracted(-Step)) / (2 * Step);
            double fdHalf = (Contracted(Step / 2) - Contracted(-Step / 2)) / Step;
            double scale = Math.Max(1, Math.Max(Math.Abs(symbolic[c]), Math.Abs(Contracted(0))));

            // A jump or kink within h of the point makes the two steps disagree: the function is
            // not differentiable there and the point says nothing about the rule.
            if (Math.Abs(fd - fdHalf) > Tolerance * scale)
            {
                continue;
            }

            if (!(Math.Abs(symbolic[c] - fd) <= Tolerance * scale))
            {
                failures.Add($"{label} comp {c}: symbolic {symbolic[c]:R} vs finite differences {fd:R} at {Describe(values)}; gradient {grad}");
            }
        }
    }

    /// <summary>Diff(s, x_a, u_a) against (s(x + h·u) − s(x − h·u)) / 2h.</summary>
    private static void CompareDifferential(string label, Formula s, Formula diff, int position, Dictionary<int, double[]> values, List<string> failures)
    {
        double[] symbolic = ReferenceEvaluator.Evaluate(diff, values);
        double[] x = values[position];
        double[] u = values[UPosition + position];
        double[] original = (double[])x.Clone();
        double[] Shifted(double delta)
        {
            for (int c = 0; c < x.Length; c++)
            {
                x[c] = original[c] + (delta * u[c]);
            }

            double[] r = (double[])ReferenceEvaluator.Evaluate(s, values).Clone();
            Array.Copy(original, x, x.Length);
            return r;
        }

        double[] plus = Shifted(Step), minus = Shifted(-Step), plusHalf = Shifted(Step / 2), minusHalf = Shifted(-Step / 2);
        double[] value = Shifted(0);
        for (int k = 0; k < symbolic.Length; k++)
        {
            double fd = (plus[k] - minus[k]) / (2 * Step);
            double fdHalf = (plusHalf[k] - minusHalf[k]) / Step;
            double scale = Math.Max(1, Math.Max(Math.Abs(symbolic[k]), Math.Abs(value[k])));
            if (Math.Abs(fd - fdHalf) > Tolerance * scale)
            {
                continue;
            }

            if (!(Math.Abs(symbolic[k] - fd) <= Tolerance * scale))
            {
                failures.Add($"{label} comp {k}: symbolic {symbolic[k]:R} vs finite differences {fd:R} at {Describe(values)}; differential {diff}");
            }
        }
    }

    private static string Describe(Dictionary<int, double[]> values)
    {
        var builder = new StringBuilder();
        foreach (var pair in values.OrderBy(p => p.Key))
        {
            builder.Append('#').Append(pair.Key).Append('=').Append('[')
                .Append(string.Join(",", pair.Value.Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))).Append("] ");
        }

        return builder.ToString();
    }
}
