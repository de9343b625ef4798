using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Language;

/// <summary>
/// GradientOrder = 2 on a Sum reduction: every generated {Method}Grad{P}Grad{Q} against central
/// finite differences of the generated first-order method {Method}Grad{P} with respect to Q (each
/// variable and the gradOutput), contracted with the second adjoint.
/// </summary>
public static partial class SecondOrderGradientTests
{
    [Reduction("Exp(-G*SqDist(X,Y))*B", "X = Vi(3)", "Y = Vj(3)", "B = Vj(2)", "G = Pm(1)", Axis = 1, GradientOrder = 2)]
    private static partial void Gauss(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> b, ReadOnlySpan<double> g, Span<double> result);

    private delegate void First(double[] x, double[] y, double[] b, double[] g, double[] e, double[] result);

    private delegate void Second(double[] x, double[] y, double[] b, double[] g, double[] e, double[] e2, double[] result);

    private static readonly Dictionary<string, First> Firsts = new()
    {
        ["X"] = (x, y, b, g, e, r) => GaussGradX(x, y, b, g, e, r),
        ["Y"] = (x, y, b, g, e, r) => GaussGradY(x, y, b, g, e, r),
        ["B"] = (x, y, b, g, e, r) => GaussGradB(x, y, b, g, e, r),
        ["G"] = (x, y, b, g, e, r) => GaussGradG(x, y, b, g, e, r),
    };

    private static readonly Dictionary<(string P, string Q), Second> Seconds = new()
    {
        [("X", "X")] = (x, y, b, g, e, e2, r) => GaussGradXGradX(x, y, b, g, e, e2, r),
        [("X", "Y")] = (x, y, b, g, e, e2, r) => GaussGradXGradY(x, y, b, g, e, e2, r),
        [("X", "B")] = (x, y, b, g, e, e2, r) => GaussGradXGradB(x, y, b, g, e, e2, r),
        [("X", "G")] = (x, y, b, g, e, e2, r) => GaussGradXGradG(x, y, b, g, e, e2, r),
        [("X", "GradOutput")] = (x, y, b, g, e, e2, r) => GaussGradXGradGradOutput(x, y, b, g, e, e2, r),
        [("Y", "X")] = (x, y, b, g, e, e2, r) => GaussGradYGradX(x, y, b, g, e, e2, r),
        [("Y", "Y")] = (x, y, b, g, e, e2, r) => GaussGradYGradY(x, y, b, g, e, e2, r),
        [("Y", "B")] = (x, y, b, g, e, e2, r) => GaussGradYGradB(x, y, b, g, e, e2, r),
        [("Y", "G")] = (x, y, b, g, e, e2, r) => GaussGradYGradG(x, y, b, g, e, e2, r),
        [("Y", "GradOutput")] = (x, y, b, g, e, e2, r) => GaussGradYGradGradOutput(x, y, b, g, e, e2, r),
        [("B", "X")] = (x, y, b, g, e, e2, r) => GaussGradBGradX(x, y, b, g, e, e2, r),
        [("B", "Y")] = (x, y, b, g, e, e2, r) => GaussGradBGradY(x, y, b, g, e, e2, r),
        [("B", "B")] = (x, y, b, g, e, e2, r) => GaussGradBGradB(x, y, b, g, e, e2, r),
        [("B", "G")] = (x, y, b, g, e, e2, r) => GaussGradBGradG(x, y, b, g, e, e2, r),
        [("B", "GradOutput")] = (x, y, b, g, e, e2, r) => GaussGradBGradGradOutput(x, y, b, g, e, e2, r),
        [("G", "X")] = (x, y, b, g, e, e2, r) => GaussGradGGradX(x, y, b, g, e, e2, r),
        [("G", "Y")] = (x, y, b, g, e, e2, r) => GaussGradGGradY(x, y, b, g, e, e2, r),
        [("G", "B")] = (x, y, b, g, e, e2, r) => GaussGradGGradB(x, y, b, g, e, e2, r),
        [("G", "G")] = (x, y, b, g, e, e2, r) => GaussGradGGradG(x, y, b, g, e, e2, r),
        [("G", "GradOutput")] = (x, y, b, g, e, e2, r) => GaussGradGGradGradOutput(x, y, b, g, e, e2, r),
    };

    public static IEnumerable<object[]> Pairs => Seconds.Keys.Select(k => new object[] { k.P, k.Q });

    [Theory]
    [MemberData(nameof(Pairs))]
    public static void SecondOrderMethodMatchesFiniteDifferencesOfTheFirstOrderOne(string p, string q)
    {
        var random = new SeededRandom(nameof(SecondOrderMethodMatchesFiniteDifferencesOfTheFirstOrderOne), p, q);
        const int m = 5, n = 7;
        var inputs = new Dictionary<string, double[]>
        {
            ["X"] = random.Doubles(m * 3, -1, 1),
            ["Y"] = random.Doubles(n * 3, -1, 1),
            ["B"] = random.Doubles(n * 2, -1, 1),
            ["G"] = new[] { random.Double(0.5, 1.5) },
            ["GradOutput"] = random.Doubles(m * 2, -1, 1),
        };
        // The first-order method's result is shaped like p (one vector for the parameter G).
        double[] e2 = random.Doubles(inputs[p].Length, -1, 1);
        double[] wrt = inputs[q];
        var second = new double[wrt.Length];
        Seconds[(p, q)](inputs["X"], inputs["Y"], inputs["B"], inputs["G"], inputs["GradOutput"], e2, second);

        double Energy()
        {
            var first = new double[e2.Length];
            Firsts[p](inputs["X"], inputs["Y"], inputs["B"], inputs["G"], inputs["GradOutput"], first);
            return first.Zip(e2, (a, c) => a * c).Sum();
        }

        double scale = 0;
        var fd = new double[wrt.Length];
        for (int k = 0; k < wrt.Length; k++)
        {
            double saved = wrt[k];
            wrt[k] = saved + 1e-5;
            double plus = Energy();
            wrt[k] = saved - 1e-5;
            double minus = Energy();
            wrt[k] = saved;
            fd[k] = (plus - minus) / 2e-5;
            scale = Math.Max(scale, Math.Abs(fd[k]));
        }

        // Smooth (Gaussian) in every input: central differences err by about h² times the third
        // derivative (1e-10) plus rounding (1e-16 × Σ|terms| / h, about 1e-10); 1e-7 relative to the
        // largest entry is a wide margin and far below any wrong term (O(1) relative).
        for (int k = 0; k < wrt.Length; k++)
        {
            Assert.True(Math.Abs(second[k] - fd[k]) <= 1e-7 * Math.Max(1, scale), $"{random} d/d{q}[{k}] of <e2, GaussGrad{p}>: {second[k]} vs {fd[k]}");
        }

        // GaussGradB is linear in gradOutput and does not depend on B: only those two pairs may vanish.
        Assert.True(scale > 1e-6 || (p == "B" && q == "B"), $"{random}: the finite differences are all zero");
    }
}
