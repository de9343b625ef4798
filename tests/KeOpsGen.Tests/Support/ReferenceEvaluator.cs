using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Generator.Formulas;

namespace KeOpsGen.Tests.Support;

/// <summary>Evaluates a formula IR in float64 through each operation's Evaluate reference.</summary>
internal static class ReferenceEvaluator
{
    public static double[] Evaluate(Formula formula, Func<int, double[]> variable)
    {
        var values = new Dictionary<Formula, double[]>();
        foreach (Formula node in formula.PostOrder())
        {
            values[node] = node.IsConstant ? new[] { node.Value }
                : node.IsVariable ? variable(node.VariablePosition)
                : node.Op.Evaluate is { } evaluate ? evaluate(node.Args.Select(a => values[a]).ToArray(), IntArgs.Decode(node.Ints), node.Dim)
                : throw new InvalidOperationException($"{node.Op.Name} has no reference");
        }

        return values[formula];
    }
}
