using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Formulas;

/// <summary>
/// The linearity each operation claims in its definition (<see cref="Operation.Linearity"/>, which
/// KernelSolve's structural check KEOPS0125 trusts) holds for its float64 reference: for random
/// u, v and a, f(a·u + v) = a·f(u) + f(v) in the arguments the role says are linear, with the
/// others held fixed.
/// </summary>
public sealed class LinearRoleTests
{
    // Sums and products of a few terms in [-2, 2] (denominators from the operation's domain):
    // rounding stays near 1e-15 relative to the terms' size; 1e-11 leaves a wide margin and is
    // still far below what a non-linear term (a product, a constant) would change.
    private const double Tolerance = 1e-11;
    private const int Trials = 5;

    [Fact]
    public void EveryClaimedLinearRoleHoldsForTheReference()
    {
        var random = new SeededRandom(nameof(EveryClaimedLinearRoleHoldsForTheReference));
        var failures = new List<string>();
        int checkedCases = 0;
        var roles = OperationTable.All.Where(op => op.Linearity != LinearRole.None).OrderBy(op => op.Name, StringComparer.Ordinal).ToList();
        foreach (Operation op in roles)
        {
            IntArgs ints = OperationTestCases.Ints(op);
            int arity = op.FormulaParameterCount;
            IEnumerable<int[]> cases = (op.Tests.Dims ?? new[] { Enumerable.Repeat(3, arity).ToArray(), new[] { 1 }.Concat(Enumerable.Repeat(3, arity - 1)).ToArray() })
                .Where(d => d.Length == arity && !op.Dim(d, ints).IsError);
            int[][] linearSets = LinearArguments(op.Linearity, arity);
            foreach (int[] dims in cases)
            {
                int dim = op.Dim(dims, ints).Dim;
                checkedCases++;
                // Through the smart constructor and the test's own evaluator of the IR, so an
                // operation whose constructor rewrites it is checked as a formula would use it.
                Formula node = op.Create(dims.Select((d, p) => F.Var(p, d, VariableCategory.I, "x" + p)).ToArray(), ints);
                double[] Evaluate(double[][] args) => ReferenceEvaluator.Evaluate(node, p => args[p]);
                foreach (int[] linear in linearSets)
                {
                    for (int t = 0; t < Trials; t++)
                    {
                        double[][] u = dims.Select(d => random.Doubles(d, op.Tests.Domain.Low, op.Tests.Domain.High)).ToArray();
                        double[][] v = dims.Select(d => random.Doubles(d, op.Tests.Domain.Low, op.Tests.Domain.High)).ToArray();
                        double a = random.Double(-2, 2);
                        // Arguments outside the linear set are held fixed (u's value in all three calls).
                        double[][] Mix(Func<int, int, double> value) => dims.Select((d, p) => Array.IndexOf(linear, p) < 0 ? u[p] : Enumerable.Range(0, d).Select(c => value(p, c)).ToArray()).ToArray();
                        double[] combined = Evaluate(Mix((p, c) => (a * u[p][c]) + v[p][c]));
                        double[] fu = Evaluate(Mix((p, c) => u[p][c]));
                        double[] fv = Evaluate(Mix((p, c) => v[p][c]));
                        for (int c = 0; c < dim; c++)
                        {
                            double expected = (a * fu[c]) + fv[c];
                            double scale = 1 + Math.Abs(a * fu[c]) + Math.Abs(fv[c]);
                            if (!(Math.Abs(combined[c] - expected) <= Tolerance * scale))
                            {
                                failures.Add($"{op.Name}[{string.Join(",", dims)}] linear in [{string.Join(",", linear)}]: component {c} is {combined[c]}, a·f(u)+f(v) = {expected}");
                                break;
                            }
                        }
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{random}\n{string.Join("\n", failures.Take(30))}");
        Assert.True(roles.Count >= 25, $"only {roles.Count} operations claim a linear role");
        Assert.True(checkedCases >= roles.Count, $"only {checkedCases} cases for {roles.Count} operations");
    }

    /// <summary>The sets of formula arguments in which the role is linear (jointly, the others held fixed).</summary>
    private static int[][] LinearArguments(LinearRole role, int arity) => role switch
    {
        LinearRole.Map or LinearRole.Additive => new[] { Enumerable.Range(0, arity).ToArray() },
        LinearRole.Bilinear => Enumerable.Range(0, arity).Select(p => new[] { p }).ToArray(),
        LinearRole.Quotient => new[] { new[] { 0 } },
        LinearRole.Select => new[] { new[] { 1, 2 } },
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "no linear arguments"),
    };
}
