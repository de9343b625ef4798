using System;
using System.IO;
using KeOpsGen.Samples;

/// <summary>The truth and the fit as two heatmaps side by side, with the bundled DejaVu fonts.</summary>
internal static class Picture
{
    public static void Save(string path, int grid, Func<double, double, double> truth, Func<double[], double[]> fit)
    {
        SamplePlot.UseBundledFonts();

        // Row 0 of a heatmap is drawn at the top: rows run from y = 1 down to y = -1.
        var points = new double[2 * grid * grid];
        var exact = new double[grid, grid];
        for (int r = 0; r < grid; r++)
        {
            for (int c = 0; c < grid; c++)
            {
                double x = -1 + (2.0 * c / (grid - 1)), y = 1 - (2.0 * r / (grid - 1));
                points[2 * ((r * grid) + c)] = x;
                points[(2 * ((r * grid) + c)) + 1] = y;
                exact[r, c] = truth(x, y);
            }
        }

        double[] values = fit(points);
        var fitted = new double[grid, grid];
        for (int r = 0; r < grid; r++)
        {
            for (int c = 0; c < grid; c++)
            {
                fitted[r, c] = values[(r * grid) + c];
            }
        }

        var plot = new ScottPlot.Plot();
        var colormap = new ScottPlot.Colormaps.Viridis();
        var left = plot.Add.Heatmap(exact);
        left.Colormap = colormap;
        left.Position = new ScottPlot.CoordinateRect(-1, 1, -1, 1);
        var right = plot.Add.Heatmap(fitted);
        right.Colormap = colormap;
        right.Position = new ScottPlot.CoordinateRect(1.3, 3.3, -1, 1);
        double low = Math.Min(Min(exact), Min(fitted)), high = Math.Max(Max(exact), Max(fitted));
        left.ManualRange = new ScottPlot.Range(low, high);
        right.ManualRange = new ScottPlot.Range(low, high);
        plot.Add.ColorBar(left);
        plot.Add.Text("truth", -0.15, 1.18).LabelFontSize = 18;
        plot.Add.Text("GP fit (KernelSolve)", 1.65, 1.18).LabelFontSize = 18;
        plot.Title("Kernel regression of a noisy 2-D function");
        plot.Axes.SetLimits(-1.1, 3.4, -1.1, 1.35);

        // Both panels span [-1, 1]²; the shared x axis would label the right one wrongly.
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Axes.Left.TickLabelStyle.IsVisible = false;
        plot.HideGrid();
        SamplePlot.Save(plot, Path.GetFileNameWithoutExtension(path), 1100, 560, Path.GetDirectoryName(path), print: false);
    }

    private static double Min(double[,] values)
    {
        double m = double.PositiveInfinity;
        foreach (double v in values)
        {
            m = Math.Min(m, v);
        }

        return m;
    }

    private static double Max(double[,] values)
    {
        double m = double.NegativeInfinity;
        foreach (double v in values)
        {
            m = Math.Max(m, v);
        }

        return m;
    }
}
