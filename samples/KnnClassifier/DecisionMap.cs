using System;
using KeOpsGen;
using KeOpsGen.Samples;
using ScottPlot;

/// <summary>
/// The figure of this sample: the same k-NN vote on a 2D mixture (8 dimensions cannot be drawn),
/// evaluated at every cell of a 240 × 240 grid with one ArgKMin call, drawn as a decision map
/// under the training points.
/// </summary>
internal static class DecisionMap
{
    private const int Classes = 3, TrainCount = 3000, Grid = 240, K = 10;
    private const double Low = -3, High = 3;

    public static string Write(int seed)
    {
        var random = new Random(seed);
        var centres = new double[Classes * 2, 2];
        for (int c = 0; c < centres.GetLength(0); c++)
        {
            centres[c, 0] = (random.NextDouble() * 4) - 2;
            centres[c, 1] = (random.NextDouble() * 4) - 2;
        }

        var train = new float[TrainCount * 2];
        var labels = new int[TrainCount];
        for (int n = 0; n < TrainCount; n++)
        {
            int cluster = random.Next(centres.GetLength(0));
            labels[n] = cluster % Classes;
            train[2 * n] = (float)(centres[cluster, 0] + (0.6 * Normal(random)));
            train[(2 * n) + 1] = (float)(centres[cluster, 1] + (0.6 * Normal(random)));
        }

        var grid = new float[Grid * Grid * 2];
        for (int row = 0; row < Grid; row++)
        {
            for (int column = 0; column < Grid; column++)
            {
                int cell = (row * Grid) + column;
                grid[2 * cell] = (float)Coordinate(column);
                grid[(2 * cell) + 1] = (float)Coordinate(row);
            }
        }

        var neighbours = new int[Grid * Grid * K];
        Knn2D.Neighbours(grid, train, neighbours);

        // Row 0 of a ScottPlot heatmap is drawn at the top, so grid rows (increasing y) go in reverse.
        var map = new double[Grid, Grid];
        var votes = new int[Classes];
        for (int cell = 0; cell < Grid * Grid; cell++)
        {
            Array.Clear(votes);
            for (int s = 0; s < K; s++)
            {
                votes[labels[neighbours[(cell * K) + s]]]++;
            }

            int best = 0;
            for (int c = 1; c < Classes; c++)
            {
                best = votes[c] > votes[best] ? c : best;
            }

            map[Grid - 1 - (cell / Grid), cell % Grid] = best;
        }

        Color[] palette = { Colors.CornflowerBlue, Colors.Orange, Colors.MediumSeaGreen };
        Plot plot = SamplePlot.Create($"k-NN decision map (K = {K}, ArgKMin over {TrainCount} training points)", "x₁", "x₂");
        var heatmap = plot.Add.Heatmap(map);
        heatmap.Colormap = new ScottPlot.Colormaps.Custom(new[] { palette[0].Lighten(0.5), palette[1].Lighten(0.5), palette[2].Lighten(0.5) }, false);
        heatmap.ManualRange = new ScottPlot.Range(0, Classes - 1);
        heatmap.Position = new CoordinateRect(Low, High, Low, High);
        for (int c = 0; c < Classes; c++)
        {
            var xs = new System.Collections.Generic.List<double>();
            var ys = new System.Collections.Generic.List<double>();
            for (int n = 0; n < TrainCount; n += 3)
            {
                if (labels[n] == c)
                {
                    xs.Add(train[2 * n]);
                    ys.Add(train[(2 * n) + 1]);
                }
            }

            var points = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray());
            points.Color = palette[c].Darken(0.2);
            points.MarkerSize = 3;
            points.LegendText = $"class {c}";
        }

        plot.Axes.SetLimits(Low, High, Low, High);
        plot.ShowLegend(Alignment.UpperRight);
        return SamplePlot.Save(plot, "knn-decision-map", 800, 760);
    }

    private static double Coordinate(int index) => Low + ((High - Low) * (index + 0.5) / Grid);

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>The 2D reduction of the figure.</summary>
public static partial class Knn2D
{
    /// <summary>Indices of the 10 training points nearest to each grid point.</summary>
    [Reduction("SqDist(X, Y)", "X = Vi(2)", "Y = Vj(2)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Neighbours(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> neighbours);
}
