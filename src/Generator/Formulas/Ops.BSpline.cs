namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// B-spline basis functions of a given order on a knot vector, by the Cox–de Boor recursion run
/// in place on d(knots) − 1 slots (KeOps's layout): the order-0 indicators, then each order from
/// the previous one, keeping the first d(knots) − order − 1 slots.
/// </summary>
internal static partial class Ops
{
    // The signature lives in a nested class so that it is initialized before the entry reads it.
    private static class BSplineParameters
    {
        public static readonly ParamKind[] All = { ParamKind.Formula, ParamKind.Formula, ParamKind.Int };
    }

    public static readonly Operation BSpline = new Operation
    {
        Name = "BSpline", Group = OpGroup.Vector, Parameters = BSplineParameters.All,
        Signature = "BSpline(knots,x,order)", Summary = "B-spline basis functions of degree order on the knots, at the scalar x",
        Dim = (dims, ints) => ints[0] < 0 ? DimResult.Fail($"BSpline order must be >= 0, found {ints[0]}", 2)
            : dims[1] != 1 ? DimResult.Fail($"BSpline is sampled at a scalar x, found dimension {dims[1]}", 1)
            : dims[0] < ints[0] + 2 ? DimResult.Fail($"BSpline of order {ints[0]} needs at least {ints[0] + 2} knots, found {dims[0]}", 0)
            : DimResult.Ok(dims[0] - ints[0] - 1),
        DimensionRule = "d(x) = 1, order ≥ 0, d(knots) ≥ order+2 → d(knots)−order−1",
        Description = "B-spline basis functions of degree order on the knots, at x (Cox–de Boor, 0/0 taken as 0); not differentiable (KEOPS0111), as in KeOps",
        Lower = (lane, args, ints, dim) => LowerBSpline(lane, args[0], args[1][0], ints[0]).Take(dim).ToArray(),
        Evaluate = (args, ints, dim) => EvaluateBSpline(args[0], args[1][0], ints[0]).Take(dim).ToArray(),
        NotDifferentiableReason = "BSpline has no derivative rule (as in KeOps): its arguments must not depend on the variable",
        Tests = new()
        {
            Domain = (0, 1),
            Ints = new[] { new[] { 2 } },
            Dims = new[] { new[] { 6, 1 } },
            NotRunBecause = "needs sorted knots (random ones nearly coincide and blow up the basis): its generated kernel is checked in SoftDtwBSplineTests",
        },
    };

    private static string[] LowerBSpline(LaneContext lane, string[] knots, string x, int order)
    {
        int slots = knots.Length - 1;
        var b = new string[slots];
        for (int j = 0; j < slots; j++)
        {
            b[j] = lane.Let($"({LaneContext.Math("LessOrEqual", knots[j], x)} * {LaneContext.Math("LessThan", x, knots[j + 1])})");
        }

        for (int k = 1; k <= order; k++)
        {
            // ω_i = (x − t_i)/(t_{i+k} − t_i) where the knots increase, else 0; B_i ← ω_i B_i + (1 − ω_{i+1}) B_{i+1}.
            string[] omega = Enumerable.Range(0, slots - k + 1).Select(i => lane.Let(Ratio(lane, knots[i], knots[i + k], x))).ToArray();
            for (int i = 0; i < slots - k; i++)
            {
                b[i] = lane.Let($"({omega[i]} * {b[i]} + ({lane.Constant(1)} - {omega[i + 1]}) * {b[i + 1]})");
            }
        }

        return b;
    }

    private static string Ratio(LaneContext lane, string low, string high, string x)
    {
        string width = lane.Let($"({high} - {low})");
        // IfElse selects, so the division by a zero or negative width in the unused branch is discarded.
        return LaneContext.Math("IfElse", $"(-{width})", lane.Constant(0), $"(({x} - {low}) / {width})");
    }

    private static double[] EvaluateBSpline(double[] knots, double x, int order)
    {
        int slots = knots.Length - 1;
        var b = new double[slots];
        for (int j = 0; j < slots; j++)
        {
            b[j] = knots[j] <= x && x < knots[j + 1] ? 1 : 0;
        }

        for (int k = 1; k <= order; k++)
        {
            double Omega(int i) => knots[i] < knots[i + k] ? (x - knots[i]) / (knots[i + k] - knots[i]) : 0;
            for (int i = 0; i < slots - k; i++)
            {
                b[i] = (Omega(i) * b[i]) + ((1 - Omega(i + 1)) * b[i + 1]);
            }
        }

        return b;
    }
}
