using System;
using System.Collections.Generic;
using KeOpsGen.Generator.Formulas;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Gradients;

/// <summary>GradMatrix, Divergence and Laplacian against finite-difference Jacobians and Hessians.</summary>
public class CalculusOperatorTests
{
    // Central differences, h = 1e-5 for first derivatives (error ~ h²·|f'''| + 1e-16/h ≈ 1e-10)
    // and h = 1e-4 for the second differences of the Laplacian (error ~ h²·|f''''| + 1e-16/h² ≈ 1e-8).
    private const double H1 = 1e-5;
    private const double H2 = 1e-4;

    private static readonly Formula X = F.Var(0, 3, VariableCategory.I, "x");
    private static readonly Formula Y = F.Var(1, 3, VariableCategory.J, "y");

    /// <summary>A vector field R³ → R³ that mixes components: Exp(-|x−y|²)·Sin(x) + x·(x|y).</summary>
    private static Formula Field() => Build("Add", Build("Mult", Build("Exp", F.Minus(Build("SqDist", X, Y))), Build("Sin", X)), Build("Mult", X, Build("Scalprod", X, Y)));

    private static Formula Build(string name, params Formula[] args)
    {
        Assert.True(OperationTable.TryGet(name, out Operation op));
        return op.Create(args, OpKit.NoInts);
    }

    [Fact]
    public void GradMatrixIsTheTransposedJacobian()
    {
        var random = new SeededRandom(nameof(GradMatrixIsTheTransposedJacobian));
        Formula f = Field();
        Formula jt = Build("GradMatrix", f, X);
        Assert.Equal(9, jt.Dim);
        Dictionary<int, double[]> values = Point(random);
        double[] symbolic = ReferenceEvaluator.Evaluate(jt, values);
        double[,] jacobian = Jacobian(f, values);
        for (int k = 0; k < 3; k++)
        {
            for (int c = 0; c < 3; c++)
            {
                // Row k of GradMatrix is Grad(f, x, e_k) = ∂f_k/∂x.
                Assert.True(Math.Abs(symbolic[(k * 3) + c] - jacobian[k, c]) <= 1e-7 * Math.Max(1, Math.Abs(jacobian[k, c])),
                    $"{random} entry ({k},{c}): {symbolic[(k * 3) + c]} vs {jacobian[k, c]}");
            }
        }
    }

    [Fact]
    public void DivergenceIsTheTraceOfTheJacobian()
    {
        var random = new SeededRandom(nameof(DivergenceIsTheTraceOfTheJacobian));
        Formula f = Field();
        Dictionary<int, double[]> values = Point(random);
        double symbolic = ReferenceEvaluator.Evaluate(Build("Divergence", f, X), values)[0];
        double[,] jacobian = Jacobian(f, values);
        double trace = jacobian[0, 0] + jacobian[1, 1] + jacobian[2, 2];
        Assert.True(Math.Abs(symbolic - trace) <= 1e-7 * Math.Max(1, Math.Abs(trace)), $"{random}: {symbolic} vs {trace}");
    }

    [Fact]
    public void LaplacianIsTheSumOfSecondDerivatives()
    {
        var random = new SeededRandom(nameof(LaplacianIsTheSumOfSecondDerivatives));
        Formula f = F.Add(Build("Exp", F.Minus(Build("SqDist", X, Y))), Build("Sum", Build("Sin", Build("Mult", X, Y))));
        Dictionary<int, double[]> values = Point(random);
        double symbolic = ReferenceEvaluator.Evaluate(Build("Laplacian", f, X), values)[0];
        double[] x = values[0];
        double center = ReferenceEvaluator.Evaluate(f, values)[0];
        double expected = 0;
        for (int c = 0; c < 3; c++)
        {
            double original = x[c];
            x[c] = original + H2;
            double plus = ReferenceEvaluator.Evaluate(f, values)[0];
            x[c] = original - H2;
            double minus = ReferenceEvaluator.Evaluate(f, values)[0];
            x[c] = original;
            expected += (plus - (2 * center) + minus) / (H2 * H2);
        }

        Assert.True(Math.Abs(symbolic - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{random}: {symbolic} vs {expected}");
    }

    private static Dictionary<int, double[]> Point(SeededRandom random)
        => new() { [0] = random.Doubles(3, -1, 1), [1] = random.Doubles(3, -1, 1) };

    private static double[,] Jacobian(Formula f, Dictionary<int, double[]> values)
    {
        var jacobian = new double[f.Dim, 3];
        double[] x = values[0];
        for (int c = 0; c < 3; c++)
        {
            double original = x[c];
            x[c] = original + H1;
            double[] plus = (double[])ReferenceEvaluator.Evaluate(f, values).Clone();
            x[c] = original - H1;
            double[] minus = (double[])ReferenceEvaluator.Evaluate(f, values).Clone();
            x[c] = original;
            for (int k = 0; k < f.Dim; k++)
            {
                jacobian[k, c] = (plus[k] - minus[k]) / (2 * H1);
            }
        }

        return jacobian;
    }
}
