using System;
using System.IO;
using ScottPlot;

namespace KeOpsGen.Samples;

/// <summary>
/// Headless ScottPlot figures for the samples: the bundled DejaVu fonts registered once (a machine
/// without installed fonts would otherwise get plots with no text at all), PNGs written to one
/// folder and their path printed.
/// </summary>
public static class SamplePlot
{
    /// <summary>The family name the bundled files register under.</summary>
    public const string FontFamily = "DejaVu Sans";

    private static readonly object Gate = new();
    private static bool _fontsRegistered;

    /// <summary>Where figures go: <c>KEOPSGEN_PLOT_DIR</c> if set, else <c>artifacts/plots</c> under
    /// the current directory (ignored by git when that is the repository root).</summary>
    public static string OutputDirectory
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable("KEOPSGEN_PLOT_DIR");
            return string.IsNullOrWhiteSpace(configured)
                ? Path.Combine(Environment.CurrentDirectory, "artifacts", "plots")
                : Path.GetFullPath(configured);
        }
    }

    /// <summary>Registers the bundled regular and bold faces (idempotent) and makes them the
    /// default, so titles (bold) and tick labels (regular) never fall back to a missing system font.</summary>
    public static void UseBundledFonts()
    {
        lock (Gate)
        {
            if (_fontsRegistered)
            {
                return;
            }

            string folder = Path.Combine(AppContext.BaseDirectory, "Fonts");
            string regular = Path.Combine(folder, "DejaVuSans.ttf");
            string bold = Path.Combine(folder, "DejaVuSans-Bold.ttf");
            foreach (string file in new[] { regular, bold })
            {
                if (!File.Exists(file))
                {
                    throw new FileNotFoundException($"The bundled font '{file}' is missing: the project must reference samples/Shared/SamplePlots, which copies samples/Shared/Fonts next to the program.", file);
                }
            }

            Fonts.AddFontFile(FontFamily, regular, bold: false, italic: false);
            Fonts.AddFontFile(FontFamily, bold, bold: true, italic: false);
            Fonts.Default = FontFamily;
            Fonts.Sans = FontFamily;
            _fontsRegistered = true;
        }
    }

    /// <summary>A plot with the bundled font on every label.</summary>
    public static Plot Create(string title, string xLabel, string yLabel)
    {
        UseBundledFonts();
        var plot = new Plot();
        plot.Font.Set(FontFamily);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    /// <summary>Writes <paramref name="plot"/> as <c>{name}.png</c> into <paramref name="directory"/>
    /// (default <see cref="OutputDirectory"/>), prints the path and returns it.</summary>
    public static string Save(Plot plot, string name, int width = 800, int height = 600, string? directory = null, bool print = true)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentException($"The picture size must be positive; got {width} x {height}.", width <= 0 ? nameof(width) : nameof(height));
        }

        string folder = directory ?? OutputDirectory;
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name + ".png");
        plot.SavePng(path, width, height);
        if (print)
        {
            Console.WriteLine($"plot written to {path}");
        }

        return path;
    }

    /// <summary>log10 of each value, for ScottPlot's log axes (which plot log values with log ticks).</summary>
    public static double[] Log10(double[] values)
    {
        var logs = new double[values.Length];
        for (int n = 0; n < values.Length; n++)
        {
            logs[n] = Math.Log10(Math.Max(values[n], double.Epsilon));
        }

        return logs;
    }

    /// <summary>Log-scale ticks (1, 10, 100 ... with minor ticks) on the vertical axis.</summary>
    public static void LogScaleY(Plot plot)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = value => $"1e{value:0}",
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
        };
    }

    /// <summary>
    /// The KeOps tutorials' closing figure: one component of the first <paramref name="rows"/>
    /// output rows, KeOpsGen as markers over the reference as a line, so any disagreement shows
    /// as a marker off the line.
    /// </summary>
    public static string Comparison(string name, string title, ReadOnlySpan<double> keops, ReadOnlySpan<double> reference, int dim, int component, int rows)
    {
        if (keops.Length != reference.Length)
        {
            throw new ArgumentException($"KeOpsGen and reference results must have the same length; got {keops.Length} and {reference.Length}.", nameof(reference));
        }

        if (dim <= 0 || component < 0 || component >= dim || keops.Length % dim != 0)
        {
            throw new ArgumentException($"Component {component} of rows of dimension {dim} does not fit {keops.Length} values.", nameof(component));
        }

        rows = Math.Min(rows, keops.Length / dim);
        var index = new double[rows];
        var ours = new double[rows];
        var theirs = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            index[i] = i;
            ours[i] = keops[(i * dim) + component];
            theirs[i] = reference[(i * dim) + component];
        }

        Plot plot = Create(title, "row i", $"component {component} of the output row");
        var line = plot.Add.ScatterLine(index, theirs);
        line.LegendText = "dense reference (float64)";
        line.LineWidth = 2;
        var points = plot.Add.ScatterPoints(index, ours);
        points.LegendText = "KeOpsGen";
        points.MarkerSize = 7;
        points.MarkerShape = MarkerShape.OpenCircle;
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, name);
    }

    /// <summary>Converts float results for <see cref="Comparison"/>.</summary>
    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int n = 0; n < values.Length; n++)
        {
            result[n] = values[n];
        }

        return result;
    }
}
