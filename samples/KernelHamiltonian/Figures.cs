using System;
using System.Collections.Generic;
using KeOpsGen.Samples;
using ScottPlot;

/// <summary>
/// The figures of this sample: the geodesic (paths of a subset of points through the Euler steps,
/// projected on the first two coordinates, before and after matching) and the loss curve.
/// </summary>
internal static class Figures
{
    private const int Shown = 60;

    public static string Geodesic(double[][] initialPath, double[][] matchedPath, double[] target)
    {
        int n = target.Length / 3;
        int stride = Math.Max(1, n / Shown);
        Plot plot = SamplePlot.Create("Geodesic shooting: point paths (x₁, x₂ projection)", "q₁", "q₂");
        Color initialColor = Colors.Gray, matchedColor = Colors.SteelBlue;
        for (int i = 0; i < n; i += stride)
        {
            var before = plot.Add.ScatterLine(Component(initialPath, i, 0), Component(initialPath, i, 1));
            before.Color = initialColor.WithAlpha(0.6);
            var after = plot.Add.ScatterLine(Component(matchedPath, i, 0), Component(matchedPath, i, 1));
            after.Color = matchedColor;
            after.LineWidth = 1.5f;
            if (i == 0)
            {
                before.LegendText = "paths with the initial momentum";
                after.LegendText = "paths with the optimized momentum";
            }
        }

        var targets = plot.Add.ScatterPoints(Every(target, n, stride, 0), Every(target, n, stride, 1));
        targets.Color = Colors.OrangeRed;
        targets.MarkerShape = MarkerShape.OpenCircle;
        targets.MarkerSize = 6;
        targets.LegendText = "target points";
        double[] last = matchedPath[^1];
        var ends = plot.Add.ScatterPoints(Every(last, n, stride, 0), Every(last, n, stride, 1));
        ends.Color = matchedColor;
        ends.MarkerSize = 4;
        plot.Axes.SquareUnits();
        plot.ShowLegend(Alignment.LowerRight);
        return SamplePlot.Save(plot, "hamiltonian-geodesic", 800, 720);
    }

    public static string LossCurve(IReadOnlyList<double> losses)
    {
        var iterations = new double[losses.Count];
        var values = new double[losses.Count];
        for (int n = 0; n < losses.Count; n++)
        {
            iterations[n] = n;
            values[n] = losses[n];
        }

        Plot plot = SamplePlot.Create("Matching loss per gradient-descent iteration", "iteration", "mean squared distance to the target (log scale)");
        var line = plot.Add.Scatter(iterations, SamplePlot.Log10(values));
        line.LegendText = "loss(p0)";
        SamplePlot.LogScaleY(plot);
        return SamplePlot.Save(plot, "hamiltonian-loss");
    }

    private static double[] Component(double[][] path, int point, int component)
    {
        var values = new double[path.Length];
        for (int step = 0; step < path.Length; step++)
        {
            values[step] = path[step][(point * 3) + component];
        }

        return values;
    }

    private static double[] Every(double[] points, int count, int stride, int component)
    {
        var values = new List<double>();
        for (int i = 0; i < count; i += stride)
        {
            values.Add(points[(i * 3) + component]);
        }

        return values.ToArray();
    }
}
