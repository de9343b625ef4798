using System;
using System.Collections.Generic;
using System.Linq;
using KeOpsGen.Tests.Support;
using Xunit;

namespace KeOpsGen.Tests.Sparse;

/// <summary>The clustering helpers against voxel coordinates, means and sorts computed here.</summary>
public static class ClusteringTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public static void GridClusterLabelsVoxelsInLexicographicOrder(int dim)
    {
        var random = new SeededRandom(nameof(GridClusterLabelsVoxelsInLexicographicOrder), dim);
        int n = 500 + random.Next(500);
        double size = random.Double(0.2, 0.7);
        double[] points = random.Doubles(n * dim, -1, 1);
        var labels = new int[n];
        int clusters = Clustering.GridCluster<double>(points, dim, size, labels);

        double[] low = Enumerable.Range(0, dim).Select(k => Enumerable.Range(0, n).Min(r => points[(r * dim) + k])).ToArray();
        long[] Voxel(int r) => Enumerable.Range(0, dim).Select(k => (long)Math.Floor((points[(r * dim) + k] - low[k]) / size)).ToArray();
        var distinct = Enumerable.Range(0, n).Select(r => string.Join(",", Voxel(r))).Distinct().Count();
        Assert.True(clusters == distinct, $"{random}: {clusters} clusters for {distinct} voxels");
        Assert.All(labels, l => Assert.InRange(l, 0, clusters - 1));
        for (int trial = 0; trial < 2000; trial++)
        {
            int a = random.Next(n), b = random.Next(n);
            long[] va = Voxel(a), vb = Voxel(b);
            int order = 0;
            for (int k = 0; k < dim && order == 0; k++)
            {
                order = va[k].CompareTo(vb[k]);
            }

            Assert.True(Math.Sign(order) == Math.Sign(labels[a].CompareTo(labels[b])), $"{random}: points {a} ({string.Join(",", va)}) label {labels[a]} and {b} ({string.Join(",", vb)}) label {labels[b]}");
        }
    }

    [Fact]
    public static void SortClustersIsAStableSortWithItsInversePermutation()
    {
        var random = new SeededRandom(nameof(SortClustersIsAStableSortWithItsInversePermutation));
        const int n = 300, dim = 2;
        float[] points = random.Floats(n * dim, -1, 1);
        int[] labels = Enumerable.Range(0, n).Select(_ => random.Next(7)).ToArray();
        var sorted = new float[n * dim];
        var sortedLabels = new int[n];
        var permutation = new int[n];
        Clustering.SortClusters<float>(points, dim, labels, sorted, sortedLabels, permutation);
        int[] expected = Enumerable.Range(0, n).OrderBy(r => labels[r]).ToArray();
        Assert.Equal(expected, permutation);
        for (int k = 0; k < n; k++)
        {
            Assert.Equal(labels[permutation[k]], sortedLabels[k]);
            Assert.Equal(points[permutation[k] * dim], sorted[k * dim]);
            Assert.Equal(points[(permutation[k] * dim) + 1], sorted[(k * dim) + 1]);
        }

        var back = new float[n * dim];
        Clustering.Unpermute<float>(sorted, dim, permutation, back);
        Assert.Equal(points, back);

        int[] ranges = Clustering.ClusterRanges(sortedLabels);
        for (int c = 0; c < 7; c++)
        {
            Assert.Equal(labels.Count(l => l < c), ranges[2 * c]);
            Assert.Equal(labels.Count(l => l <= c), ranges[(2 * c) + 1]);
        }

        var ex = Assert.Throws<ArgumentException>(() => Clustering.ClusterRanges(labels));
        Assert.Contains("must be non-decreasing", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Clustering.Unpermute<float>(sorted, dim, Enumerable.Repeat(0, n).ToArray(), back));
        Assert.Contains("not a permutation", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public static void CentroidsAreWeightedMeansAndLightClustersAreDividedByMinWeight()
    {
        var random = new SeededRandom(nameof(CentroidsAreWeightedMeansAndLightClustersAreDividedByMinWeight));
        const int n = 200, dim = 3, clusters = 5;
        double[] points = random.Doubles(n * dim, -1, 1);
        int[] labels = Enumerable.Range(0, n).Select(_ => random.Next(clusters - 1)).OrderBy(l => l).ToArray();
        double[] weights = random.Doubles(n, 0.1, 2);
        var (ranges, centroids, clusterWeights) = Clustering.ClusterRangesCentroids<double>(points, dim, labels, weights, minWeight: 1e-9);
        Assert.Equal(2 * (clusters - 1), ranges.Length);
        for (int c = 0; c < clusters - 1; c++)
        {
            var rows = Enumerable.Range(0, n).Where(r => labels[r] == c).ToArray();
            double w = rows.Sum(r => weights[r]);
            Assert.True(Math.Abs(clusterWeights[c] - w) <= 1e-12 * w, $"{random} cluster {c} weight");
            for (int k = 0; k < dim; k++)
            {
                double mean = rows.Sum(r => weights[r] * points[(r * dim) + k]) / w;
                Assert.True(Math.Abs(centroids[(c * dim) + k] - mean) <= 1e-12, $"{random} cluster {c} comp {k}: {centroids[(c * dim) + k]} vs {mean}");
            }
        }

        // A cluster of total weight 1e-3 under minWeight 1: centroid = Σ w x / 1.
        double[] light = { 2, 4 };
        var (_, c1, w1) = Clustering.ClusterRangesCentroids<double>(light, 1, new[] { 0, 0 }, new[] { 5e-4, 5e-4 }, minWeight: 1);
        Assert.Equal(1e-3, w1[0], 15);
        Assert.Equal(3e-3, c1[0], 15);
    }
}
