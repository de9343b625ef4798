using System;
using System.Collections.Generic;
using KeOpsGen.Generator.Formulas;

namespace KeOpsGen.Tests.Support;

/// <summary>
/// float64 interpreter of the formula IR: each node through its operation's <c>Evaluate</c>
/// reference (separate code from the emitted C#), variables looked up by position. Used to check
/// symbolic derivatives against finite differences of the formula itself.
/// </summary>
internal static class ReferenceEvaluator
{
    public static double[] Evaluate(Formula formula, IReadOnlyDictionary<int, double[]> variables)
    {
        var memo = new Dictionary<Formula, double[]>();
        foreach (Formula node in formula.PostOrder())
        {
            memo[node] = EvaluateNode(node, memo, variables);
        }

        return memo[formula];
    }

    /// <summary>Same, with variables supplied by a lookup from position to values.</summary>
    public static double[] Evaluate(Formula formula, Func<int, double[]> variable)
    {
        var values = new Dictionary<int, double[]>();
        foreach (Formula node in formula.PostOrder())
        {
            if (node.IsVariable && !values.ContainsKey(node.VariablePosition))
            {
                values.Add(node.VariablePosition, variable(node.VariablePosition));
            }
        }

        return Evaluate(formula, values);
    }

    /// <summary>Σ_k e_k f_k: the scalar whose gradient Grad(f, v, e) is.</summary>
    public static double Contract(Formula formula, IReadOnlyDictionary<int, double[]> variables, double[] e)
    {
        double[] values = Evaluate(formula, variables);
        double sum = 0;
        for (int k = 0; k < values.Length; k++)
        {
            sum += e[e.Length == 1 ? 0 : k] * values[k];
        }

        return sum;
    }

    private static double[] EvaluateNode(Formula node, Dictionary<Formula, double[]> memo, IReadOnlyDictionary<int, double[]> variables)
    {
        if (node.IsConstant)
        {
            return new[] { node.Value };
        }

        if (node.IsVariable)
        {
            if (!variables.TryGetValue(node.VariablePosition, out double[]? value))
            {
                throw new InvalidOperationException($"no value for variable {node} (position {node.VariablePosition})");
            }

            if (value.Length != node.Dim)
            {
                throw new InvalidOperationException($"variable {node} has dimension {node.Dim}, value has {value.Length}");
            }

            return value;
        }

        if (node.Op.Evaluate is null)
        {
            throw new InvalidOperationException($"{node.Op.Name} has no float64 reference");
        }

        var args = new double[node.Args.Length][];
        for (int a = 0; a < args.Length; a++)
        {
            args[a] = memo[node.Args[a]];
        }

        double[] result = node.Op.Evaluate(args, IntArgs.Decode(node.Ints), node.Dim);
        if (result.Length != node.Dim)
        {
            throw new InvalidOperationException($"{node.Op.Name} evaluated to {result.Length} components, dimension is {node.Dim}");
        }

        return result;
    }
}
