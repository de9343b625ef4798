using System;
using System.Collections.Generic;
using KeOpsGen;
using KeOpsGen.Samples;
using ScottPlot;

/// <summary>
/// The figures of this sample: the marginal error per iteration (log scale), and the transport
/// plan drawn as its barycentric map: each of a few hundred source points x_i joined to
/// T(x_i) = Σ_j π_ij y_j / a_i, a SumSoftMaxWeight reduction over all target points.
/// </summary>
internal static class Figures
{
    public static string MarginalError(IReadOnlyList<double> errors, double threshold)
    {
        var iterations = new double[errors.Count];
        var values = new double[errors.Count];
        for (int n = 0; n < errors.Count; n++)
        {
            iterations[n] = n + 1;
            values[n] = errors[n];
        }

        Plot plot = SamplePlot.Create("Sinkhorn: L1 error of the column marginal", "iteration", "marginal error (log scale)");
        var line = plot.Add.Scatter(iterations, SamplePlot.Log10(values));
        line.LegendText = "Σ_j |Σ_i π_ij − b_j|";
        var limit = plot.Add.HorizontalLine(Math.Log10(threshold));
        limit.LegendText = $"stopping threshold {threshold:0e0}";
        limit.LinePattern = LinePattern.Dashed;
        SamplePlot.LogScaleY(plot);
        plot.ShowLegend(Alignment.UpperRight);
        return SamplePlot.Save(plot, "sinkhorn-marginal-error");
    }

    public static string TransportPlan(float[] x, float[] y, float[] h, float[] inverseEpsilon, int shown)
    {
        int n = x.Length / 2, m = y.Length / 2;
        var image = new float[n * 2];
        Sinkhorn.BarycentreOverJ(x, y, h, inverseEpsilon, y, image);

        Plot plot = SamplePlot.Create("Entropic transport plan: x_i → Σ_j π_ij y_j / a_i", "x", "y");
        int stride = Math.Max(1, n / shown);
        for (int i = 0; i < n; i += stride)
        {
            var segment = plot.Add.Line(x[2 * i], x[(2 * i) + 1], image[2 * i], image[(2 * i) + 1]);
            segment.Color = Colors.Gray.WithAlpha(0.5);
            segment.LineWidth = 1;
        }

        var sources = plot.Add.ScatterPoints(Every(x, n, stride, 0), Every(x, n, stride, 1));
        sources.LegendText = "source x_i";
        sources.MarkerSize = 4;
        var targets = plot.Add.ScatterPoints(Every(y, m, Math.Max(1, m / shown), 0), Every(y, m, Math.Max(1, m / shown), 1));
        targets.LegendText = "target y_j";
        targets.MarkerSize = 4;
        plot.Axes.SquareUnits();
        plot.ShowLegend(Alignment.LowerRight);
        return SamplePlot.Save(plot, "sinkhorn-transport-plan");
    }

    private static double[] Every(float[] points, int count, int stride, int component)
    {
        var values = new List<double>();
        for (int i = 0; i < count; i += stride)
        {
            values.Add(points[(2 * i) + component]);
        }

        return values.ToArray();
    }
}

/// <summary>The reduction of the transport-plan figure.</summary>
public static partial class Sinkhorn
{
    /// <summary>Σ_j softmax_j((h_j − |x_i − y_j|²/2)/ε) y_j: the barycentric image of x_i under the plan.</summary>
    [Reduction("(H - SqDist(X, Y) / 2) * E", "X = Vi(2)", "Y = Vj(2)", "H = Vj(1)", "E = Pm(1)", "W = Vj(2)", Op = ReductionOp.SumSoftMaxWeight, Weight = "W", Axis = 1)]
    public static partial void BarycentreOverJ(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> h, ReadOnlySpan<float> e, ReadOnlySpan<float> w, Span<float> result);
}
