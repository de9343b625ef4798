using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Samples;
using ScottPlot;

/// <summary>One measured case: pairs per second of KeOpsGen and of the two baselines.</summary>
internal readonly record struct BenchmarkResult(string Name, int N, double KeOps, double Scalar, double Dense);

/// <summary>
/// The benchmark's figure: pairs per second (log scale) of KeOpsGen against the scalar C# loop and
/// the dense N×M materialization, grouped by case, at the largest size measured.
/// </summary>
internal static class BenchmarkChart
{
    public static string Write(IReadOnlyList<BenchmarkResult> results)
    {
        if (results.Count == 0)
        {
            throw new ArgumentException("There are no benchmark results to draw.", nameof(results));
        }

        int n = results.Max(r => r.N);
        BenchmarkResult[] shown = results.Where(r => r.N == n).ToArray();
        var series = new (string Label, Func<BenchmarkResult, double> Value, Color Color)[]
        {
            ("KeOpsGen", r => r.KeOps, Colors.SteelBlue),
            ("scalar C# loop (1 thread)", r => r.Scalar, Colors.Gray),
            ("dense N×M matrix", r => r.Dense, Colors.Orange),
        };

        Plot plot = SamplePlot.Create($"KeOpsGen CPU benchmark, N = M = {n:N0}", string.Empty, "pairs per second (log scale)");
        var bars = new List<Bar>();
        double floor = Math.Floor(Math.Log10(shown.Min(r => Math.Min(r.KeOps, r.Scalar)))) - 0.5;
        for (int c = 0; c < shown.Length; c++)
        {
            for (int s = 0; s < series.Length; s++)
            {
                double value = series[s].Value(shown[c]);
                if (!(value > 0))
                {
                    continue;
                }

                bars.Add(new Bar
                {
                    Position = (c * (series.Length + 1)) + s,
                    ValueBase = floor,
                    Value = Math.Log10(value),
                    FillColor = series[s].Color,
                });
            }
        }

        plot.Add.Bars(bars);
        for (int s = 0; s < series.Length; s++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Label, FillColor = series[s].Color });
        }

        double[] ticks = Enumerable.Range(0, shown.Length).Select(c => (c * (series.Length + 1)) + 1.0).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, shown.Select(r => r.Name).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 180;
        SamplePlot.LogScaleY(plot);
        plot.Axes.SetLimitsY(floor, Math.Ceiling(Math.Log10(shown.Max(r => r.KeOps))) + 0.3);
        plot.Axes.Left.MinimumSize = 90;
        plot.ShowLegend(Alignment.UpperRight);
        return SamplePlot.Save(plot, "benchmark-pairs-per-second", 1000, 650);
    }
}
