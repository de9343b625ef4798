// k-nearest-neighbour classification with the ArgKMin reduction (K = 10):
//     neighbours_i = ArgKMin_j |x_i − y_j|²      x_i: test points, y_j: training points in R^8
// on a generated Gaussian mixture (5 classes, 3 clusters each), 60,000 training and 10,000 test
// points. The K neighbours of 200 test points are checked against a brute-force double search.
using System;
using System.Diagnostics;
using System.Linq;
using KeOpsGen;
using KeOpsGen.Samples;

const int D = 8, Classes = 5, ClustersPerClass = 3, TrainCount = 60_000, TestCount = 10_000, K = 10, Checked = 200;
var random = new Random(2024);

// Cluster centres in [-2, 2]^D; each point is its centre plus unit Gaussian noise, so classes overlap.
double[][] centres = Enumerable.Range(0, Classes * ClustersPerClass)
    .Select(_ => Enumerable.Range(0, D).Select(_ => (random.NextDouble() * 4) - 2).ToArray()).ToArray();
(float[] trainX, int[] trainLabel) = Draw(TrainCount);
(float[] testX, int[] testLabel) = Draw(TestCount);

var neighbours = new int[TestCount * K];
var watch = Stopwatch.StartNew();
Knn.Neighbours(testX, trainX, neighbours);
watch.Stop();
Console.WriteLine($"ArgKMin (K = {K}): {TestCount} test × {TrainCount} training points in R^{D}, {watch.Elapsed.TotalSeconds:F2} s");

// Majority vote among the K neighbours (ties: the smaller class id).
int correct = 0;
for (int i = 0; i < TestCount; i++)
{
    var votes = new int[Classes];
    for (int s = 0; s < K; s++)
    {
        votes[trainLabel[neighbours[(i * K) + s]]]++;
    }

    int predicted = Array.IndexOf(votes, votes.Max());
    correct += predicted == testLabel[i] ? 1 : 0;
}

double accuracy = (double)correct / TestCount;
Console.WriteLine($"accuracy: {accuracy:P2} ({correct}/{TestCount}; chance is {1.0 / Classes:P0})");

// Brute force on a subset: the i-th slot must hold a point at the i-th smallest distance (up to
// float rounding of the distances, which may swap near-equal neighbours), each point once.
int mismatches = 0;
SampleProgress.Run($"brute-force check of {Checked} test points", Checked, progress =>
{
    for (int t = 0; t < Checked; t++)
    {
        int i = t * (TestCount / Checked);
        double[] distances = Enumerable.Range(0, TrainCount).Select(j => Distance(testX, i, trainX, j)).ToArray();
        double[] sorted = distances.OrderBy(d => d).Take(K).ToArray();
        int[] found = neighbours.Skip(i * K).Take(K).ToArray();
        bool ok = found.Distinct().Count() == K;
        for (int s = 0; s < K && ok; s++)
        {
            ok = Math.Abs(distances[found[s]] - sorted[s]) <= 1e-5 * (1 + sorted[s]);
        }

        mismatches += ok ? 0 : 1;
        progress.Advance();
    }
});

Console.WriteLine($"brute-force check of {Checked} test points: {Checked - mismatches} match");
DecisionMap.Write(seed: 11);
if (mismatches > 0 || accuracy < 0.5)
{
    Console.WriteLine("FAILED");
    return 1;
}

Console.WriteLine("OK");
return 0;

(float[] Points, int[] Labels) Draw(int count)
{
    var points = new float[count * D];
    var labels = new int[count];
    for (int n = 0; n < count; n++)
    {
        int cluster = random.Next(centres.Length);
        labels[n] = cluster % Classes;
        for (int k = 0; k < D; k++)
        {
            points[(n * D) + k] = (float)(centres[cluster][k] + Normal());
        }
    }

    return (points, labels);
}

double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

static double Distance(float[] a, int i, float[] b, int j)
{
    double sum = 0;
    for (int k = 0; k < D; k++)
    {
        double d = (double)a[(i * D) + k] - b[(j * D) + k];
        sum += d * d;
    }

    return sum;
}

/// <summary>The reduction of this sample, generated at build time.</summary>
public static partial class Knn
{
    /// <summary>Indices of the 10 training points nearest to each test point, nearest first.</summary>
    [Reduction("SqDist(X, Y)", "X = Vi(8)", "Y = Vj(8)", Op = ReductionOp.ArgKMin, K = 10)]
    public static partial void Neighbours(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<int> neighbours);
}
