namespace KeOpsGen.Generator.Formulas;

/// <summary>
/// Soft dynamic time warping between the vectors x (n samples) and y (m samples) with the cost
/// (x_i − y_j)². Both lengths are compile-time dimensions, so the O(nm) recursion is unrolled
/// into straight-line code: one local per cell, no arrays, and every lane type works.
/// </summary>
internal static partial class Ops
{
    private const string SoftDtwSecondOrderReason = "GradSoftDTW_SqDist has no derivative: SoftDTW_SqDist has no second-order gradient (as in KeOps)";

    private const string SoftDtwGammaReason = "SoftDTW_SqDist is not differentiable with respect to gamma (as in KeOps): gamma must not depend on the variable";

    public static readonly Operation SoftDTW_SqDist = new Operation
    {
        Name = "SoftDTW_SqDist", Group = OpGroup.Vector, Parameters = OpKit.F3,
        Signature = "SoftDTW_SqDist(x,y,gamma)", Summary = "soft-DTW discrepancy between the series x and y, cost (x_i − y_j)², smoothing gamma > 0",
        Dim = (dims, _) => SoftDtwDim("SoftDTW_SqDist", dims, 1),
        DimensionRule = "d(gamma) = 1 → 1",
        Description = "soft-DTW discrepancy between the series x (n = d(x)) and y (m = d(y)), cost (x_i − y_j)², smoothing gamma > 0; the O(nm) recursion is unrolled at compile time. Differentiable in x and y, not in gamma (KEOPS0111), first order only",
        Lower = (lane, args, _, _) => new[] { SoftDtwForward(lane, args[0], args[1], args[2][0]).R[args[0].Length - 1, args[1].Length - 1] },
        Evaluate = (args, _, _) =>
        {
            double[,] r = SoftDtwTable(args[0], args[1], args[2][0]);
            return new[] { r[args[0].Length - 1, args[1].Length - 1] };
        },
        Vjp = (node, g) =>
        {
            int n = node.Args[0].Dim, m = node.Args[1].Dim;
            Formula gradient = Ops.GradSoftDTW_SqDist!.Node(node.Args, OpKit.NoInts);
            return new Formula?[] { F.Mult(g, F.Extract(gradient, 0, n)), F.Mult(g, F.Extract(gradient, n, m)), null };
        },
        NotDifferentiableArguments = new[] { 2 },
        NotDifferentiableReason = SoftDtwGammaReason,
        Tests = new()
        {
            Domain = (0.2, 2),
            // Series of unequal lengths, and a one-sample series (first row only, no softmin).
            Dims = new[] { new[] { 3, 4, 1 }, new[] { 1, 3, 1 } },
            FirstOrderOnlyBecause = SoftDtwSecondOrderReason,
        },
    };

    public static readonly Operation GradSoftDTW_SqDist = new Operation
    {
        Name = "GradSoftDTW_SqDist", Group = OpGroup.Vector, Parameters = OpKit.F3,
        Signature = "GradSoftDTW_SqDist(x,y,gamma)", Summary = "gradient of SoftDTW_SqDist(x,y,gamma) with respect to x then y (dimension n + m)",
        Dim = (dims, _) => SoftDtwDim("GradSoftDTW_SqDist", dims, dims[0] + dims[1]),
        DimensionRule = "d(gamma) = 1 → d(x)+d(y)",
        Description = "gradient of SoftDTW_SqDist with respect to x then y (what its derivative uses); not differentiable",
        Lower = (lane, args, _, _) => SoftDtwBackward(lane, args[0], args[1], SoftDtwForward(lane, args[0], args[1], args[2][0])),
        Evaluate = (args, _, _) => SoftDtwGradient(args[0], args[1], args[2][0]),
        NotDifferentiableReason = SoftDtwSecondOrderReason,
        Tests = new() { Domain = (0.2, 2), Dims = new[] { new[] { 3, 4, 1 } } },
    };

    private static DimResult SoftDtwDim(string name, int[] dims, int output)
        => dims[2] == 1 ? DimResult.Ok(output) : DimResult.Fail($"{name} needs a scalar gamma, found dimension {dims[2]}", 2);

    /// <summary>The cells of the forward recursion, with what the backward pass reuses.</summary>
    private sealed class SoftDtwCells
    {
        public SoftDtwCells(int n, int m)
        {
            R = new string[n, m];
            Difference = new string[n, m];
            Weights = new string[n, m][];
        }

        public string[,] R { get; }

        public string[,] Difference { get; }

        /// <summary>
        /// For an interior cell, the softmin weights of its predecessors (i−1,j−1), (i−1,j),
        /// (i,j−1): the partial derivatives of the cell with respect to them.
        /// </summary>
        public string[,][] Weights { get; }
    }

    private static SoftDtwCells SoftDtwForward(LaneContext lane, string[] x, string[] y, string gamma)
    {
        int n = x.Length, m = y.Length;
        var cells = new SoftDtwCells(n, m);
        string inverseGamma = lane.Let(LaneContext.Math("Inv", gamma));
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < n; i++)
            {
                string d = lane.Let($"({x[i]} - {y[j]})");
                cells.Difference[i, j] = d;
                string cost = $"({d} * {d})";
                if (i == 0 && j == 0)
                {
                    cells.R[i, j] = lane.Let(cost);
                }
                else if (i == 0 || j == 0)
                {
                    // The first row and column have a single predecessor: no softmin.
                    cells.R[i, j] = lane.Let($"({cost} + {(i == 0 ? cells.R[i, j - 1] : cells.R[i - 1, j])})");
                }
                else
                {
                    string[] previous = { cells.R[i - 1, j - 1], cells.R[i - 1, j], cells.R[i, j - 1] };
                    // softmin_γ(a,b,c) = μ − γ log Σ exp((μ − ·)/γ) with μ the minimum: every exponent ≤ 0.
                    string mu = lane.Let(lane.Primitive("Min", lane.Primitive("Min", previous[0], previous[1]), previous[2]));
                    string[] terms = previous.Select(p => lane.Let(lane.Primitive("Exp", $"(({mu} - {p}) * {inverseGamma})"))).ToArray();
                    string total = lane.Let($"({terms[0]} + {terms[1]} + {terms[2]})");
                    cells.R[i, j] = lane.Let($"({cost} + {mu} - {gamma} * {lane.Primitive("Log", total)})");
                    cells.Weights[i, j] = terms.Select(t => $"({t} / {total})").ToArray();
                }
            }
        }

        return cells;
    }

    /// <summary>
    /// Reverse sweep: E(i,j) = ∂R(n−1,m−1)/∂R(i,j) accumulates over the successors of (i,j), then
    /// ∂/∂x_i = Σ_j 2 d_ij E_ij and ∂/∂y_j = −Σ_i 2 d_ij E_ij.
    /// </summary>
    private static string[] SoftDtwBackward(LaneContext lane, string[] x, string[] y, SoftDtwCells cells)
    {
        int n = x.Length, m = y.Length;
        var e = new string[n, m];
        var gradX = new string?[n];
        var gradY = new string?[m];
        for (int j = m - 1; j >= 0; j--)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                string? sum = null;
                void Accumulate(string term) => sum = sum is null ? term : $"{sum} + {term}";
                if (i == n - 1 && j == m - 1)
                {
                    Accumulate(lane.Constant(1));
                }

                // Successors (i+1,j), (i,j+1), (i+1,j+1) see (i,j) as their predecessor number 1, 2, 0;
                // a first-row or first-column successor passes its adjoint on with weight 1.
                if (i + 1 < n)
                {
                    Accumulate(j == 0 ? e[i + 1, j] : $"{e[i + 1, j]} * {cells.Weights[i + 1, j][1]}");
                }

                if (j + 1 < m)
                {
                    Accumulate(i == 0 ? e[i, j + 1] : $"{e[i, j + 1]} * {cells.Weights[i, j + 1][2]}");
                }

                if (i + 1 < n && j + 1 < m)
                {
                    Accumulate($"{e[i + 1, j + 1]} * {cells.Weights[i + 1, j + 1][0]}");
                }

                e[i, j] = lane.Let($"({sum})");
                string term = lane.Let($"({lane.Constant(2)} * {cells.Difference[i, j]} * {e[i, j]})");
                gradX[i] = gradX[i] is null ? term : $"{gradX[i]} + {term}";
                gradY[j] = gradY[j] is null ? term : $"{gradY[j]} + {term}";
            }
        }

        return gradX.Select(g => $"({g})").Concat(gradY.Select(g => $"(-({g}))")).ToArray();
    }

    /// <summary>float64 reference: the table of cumulated soft costs.</summary>
    private static double[,] SoftDtwTable(double[] x, double[] y, double gamma)
    {
        int n = x.Length, m = y.Length;
        var r = new double[n, m];
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < n; i++)
            {
                double cost = (x[i] - y[j]) * (x[i] - y[j]);
                if (i == 0 && j == 0)
                {
                    r[i, j] = cost;
                }
                else if (i == 0)
                {
                    r[i, j] = cost + r[i, j - 1];
                }
                else if (j == 0)
                {
                    r[i, j] = cost + r[i - 1, j];
                }
                else
                {
                    double mu = Math.Min(Math.Min(r[i - 1, j - 1], r[i - 1, j]), r[i, j - 1]);
                    double total = Math.Exp((mu - r[i - 1, j - 1]) / gamma) + Math.Exp((mu - r[i - 1, j]) / gamma) + Math.Exp((mu - r[i, j - 1]) / gamma);
                    r[i, j] = cost + mu - (gamma * Math.Log(total));
                }
            }
        }

        return r;
    }

    /// <summary>
    /// float64 reference of the gradient. The weight of a predecessor p of an interior cell s is
    /// exp((R(s) − cost(s) − R(p))/γ), computed here from the table rather than from the forward
    /// softmin terms as the lowering does.
    /// </summary>
    private static double[] SoftDtwGradient(double[] x, double[] y, double gamma)
    {
        int n = x.Length, m = y.Length;
        double[,] r = SoftDtwTable(x, y, gamma);
        double Weight(int si, int sj, int pi, int pj)
            => si == 0 || sj == 0 ? 1 : Math.Exp((r[si, sj] - ((x[si] - y[sj]) * (x[si] - y[sj])) - r[pi, pj]) / gamma);

        var e = new double[n, m];
        var result = new double[n + m];
        for (int j = m - 1; j >= 0; j--)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                double v = i == n - 1 && j == m - 1 ? 1 : 0;
                if (i + 1 < n)
                {
                    v += e[i + 1, j] * Weight(i + 1, j, i, j);
                }

                if (j + 1 < m)
                {
                    v += e[i, j + 1] * Weight(i, j + 1, i, j);
                }

                if (i + 1 < n && j + 1 < m)
                {
                    v += e[i + 1, j + 1] * Weight(i + 1, j + 1, i, j);
                }

                e[i, j] = v;
                double term = 2 * (x[i] - y[j]) * v;
                result[i] += term;
                result[n + j] -= term;
            }
        }

        return result;
    }
}
