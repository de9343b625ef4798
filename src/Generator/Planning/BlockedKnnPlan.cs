namespace KeOpsGen.Generator.Planning;

/// <summary>
/// A Min/KMin-family reduction of <c>SqDist(X,Y)</c> or <c>-(X|Y)</c> at large D, X and Y single
/// variables on the two sides: the generated method hands it to the runtime's blocked distance
/// path (KeOpsGen.Cpu.BlockedDistance), which computes the products like a small matrix product
/// instead of evaluating the unrolled formula pair by pair.
/// </summary>
/// <param name="Metric">0: squared distance; 1: negated scalar product (the runtime's codes).</param>
/// <param name="OuterPosition">Declaration position of the variable indexed by the output rows.</param>
/// <param name="InnerPosition">Declaration position of the reduced variable.</param>
/// <param name="Dim">D.</param>
/// <param name="K">Values kept per row (1 for Min/ArgMin/Min_ArgMin).</param>
internal sealed record BlockedKnnPlan(int Metric, int OuterPosition, int InnerPosition, int Dim, int K)
{
    /// <summary>Must match KeOpsGen.Cpu.BlockedDistance.MinimumDimension: below it the unrolled kernel is as fast.</summary>
    internal const int MinimumDimension = 64;

    /// <summary>The plan when the reduction fits the pattern, else null (the generic path).</summary>
    internal static BlockedKnnPlan? Recognize(Reduction reduction, Formula formula, Formula? weight, int axis, int k, string elementType, bool half)
    {
        int kept = reduction switch
        {
            Reduction.Min or Reduction.ArgMin or Reduction.MinArgMin => 1,
            Reduction.KMin or Reduction.ArgKMin or Reduction.KMinArgKMin => k,
            _ => 0,
        };
        if (kept < 1 || weight is not null || half || (elementType != "float" && elementType != "double") || formula.Dim != 1)
        {
            return null;
        }

        int metric;
        Formula a, b;
        if (ReferenceEquals(formula.Op, Ops.Scalprod) && formula.Args[0].Equals(formula.Args[1])
            && ReferenceEquals(formula.Args[0].Op, Ops.Subtract))
        {
            // SqDist(X,Y) expands to (X-Y | X-Y).
            metric = 0;
            a = formula.Args[0].Args[0];
            b = formula.Args[0].Args[1];
        }
        else if (ReferenceEquals(formula.Op, Ops.Minus) && ReferenceEquals(formula.Args[0].Op, Ops.Scalprod))
        {
            metric = 1;
            a = formula.Args[0].Args[0];
            b = formula.Args[0].Args[1];
        }
        else
        {
            return null;
        }

        if (!a.IsVariable || !b.IsVariable || a.VariableDim != b.VariableDim || a.VariableDim < MinimumDimension
            || a.VariableCategory == VariableCategory.Parameter || b.VariableCategory == VariableCategory.Parameter
            || a.VariableCategory == b.VariableCategory)
        {
            return null;
        }

        VariableCategory outer = axis == 1 ? VariableCategory.I : VariableCategory.J;
        (Formula o, Formula i) = a.VariableCategory == outer ? (a, b) : (b, a);
        return new BlockedKnnPlan(metric, o.VariablePosition, i.VariablePosition, a.VariableDim, kept);
    }
}
