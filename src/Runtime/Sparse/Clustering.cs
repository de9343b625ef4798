namespace KeOpsGen;

/// <summary>
/// Helpers that prepare a block-sparse reduction, in the spirit of <c>pykeops.torch.cluster</c>:
/// label points by voxel (<see cref="GridCluster{T}"/>), make clusters contiguous
/// (<see cref="SortClusters{T}"/>), then describe them (<see cref="ClusterRanges"/>,
/// <see cref="ClusterCentroids{T}"/>, <see cref="ClusterRangesCentroids{T}"/>) so that a keep
/// mask between clusters becomes <see cref="Ranges.FromMatrix"/>.
/// </summary>
/// <remarks>Points are rows × dim values, row-major, as in every generated method.</remarks>
public static class Clustering
{
    /// <summary>
    /// Labels each point with its voxel of a regular grid of cell size <paramref name="voxelSize"/>
    /// (any dimension). Labels are compact, in [0, C), numbered in lexicographic order of the
    /// voxels' integer coordinates.
    /// </summary>
    /// <param name="points">rows × <paramref name="dim"/> coordinates, finite.</param>
    /// <param name="dim">Dimension of a point (≥ 1).</param>
    /// <param name="voxelSize">Cell width, &gt; 0.</param>
    /// <param name="labels">One label per point (written).</param>
    /// <returns>The number of clusters C.</returns>
    public static int GridCluster<T>(ReadOnlySpan<T> points, int dim, T voxelSize, Span<int> labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = CheckPoints(points, dim, nameof(points));
        if (!(voxelSize > T.Zero) || !T.IsFinite(voxelSize))
        {
            throw new ArgumentException($"'voxelSize' must be a finite value above 0; got {voxelSize}.", nameof(voxelSize));
        }

        CheckLength(labels.Length, rows, "labels", "one label per point");
        if (rows == 0)
        {
            return 0;
        }

        var low = new double[dim];
        Array.Fill(low, double.PositiveInfinity);
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < dim; k++)
            {
                double x = double.CreateTruncating(points[(r * dim) + k]);
                if (!double.IsFinite(x))
                {
                    throw new ArgumentException($"'points' row {r} component {k} is {x}: grid clustering needs finite coordinates.", nameof(points));
                }

                low[k] = Math.Min(low[k], x);
            }
        }

        double size = double.CreateTruncating(voxelSize);
        var cells = new long[(long)rows * dim];
        var extent = new long[dim];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < dim; k++)
            {
                long cell = (long)Math.Floor((double.CreateTruncating(points[(r * dim) + k]) - low[k]) / size);
                cells[((long)r * dim) + k] = cell;
                extent[k] = Math.Max(extent[k], cell + 1);
            }
        }

        // One integer key per voxel when the grid's cell count fits in a long, else a
        // lexicographic comparison of the coordinates: both order voxels the same way.
        var order = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            order[r] = r;
        }

        bool fits = true;
        double cellsTotal = 1;
        foreach (long e in extent)
        {
            cellsTotal *= e;
            fits &= cellsTotal < 9e18;
        }

        if (fits)
        {
            var keys = new long[rows];
            for (int r = 0; r < rows; r++)
            {
                long key = 0;
                for (int k = 0; k < dim; k++)
                {
                    key = (key * extent[k]) + cells[((long)r * dim) + k];
                }

                keys[r] = key;
            }

            Array.Sort(keys, order);
            int label = -1;
            for (int s = 0; s < rows; s++)
            {
                if (s == 0 || keys[s] != keys[s - 1])
                {
                    label++;
                }

                labels[order[s]] = label;
            }

            return label + 1;
        }

        int Compare(int a, int b)
        {
            for (int k = 0; k < dim; k++)
            {
                int c = cells[((long)a * dim) + k].CompareTo(cells[((long)b * dim) + k]);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        }

        Array.Sort(order, Compare);
        int next = -1;
        for (int s = 0; s < rows; s++)
        {
            if (s == 0 || Compare(order[s], order[s - 1]) != 0)
            {
                next++;
            }

            labels[order[s]] = next;
        }

        return next + 1;
    }

    /// <summary>
    /// Permutes points so that each cluster's rows are contiguous, clusters in increasing label
    /// order and points of one cluster in their original order (a stable sort).
    /// </summary>
    /// <param name="points">rows × <paramref name="dim"/> values.</param>
    /// <param name="dim">Dimension of a point.</param>
    /// <param name="labels">One label in [0, C) per point.</param>
    /// <param name="sortedPoints">The permuted points (written; same length as <paramref name="points"/>).</param>
    /// <param name="sortedLabels">The permuted labels, non-decreasing (written).</param>
    /// <param name="permutation">
    /// Row k of the sorted points is row <c>permutation[k]</c> of the input (written). Use
    /// <see cref="Permute{T}"/> for other per-point arrays and <see cref="Unpermute{T}"/> to bring a
    /// result computed on the sorted points back to the original order.
    /// </param>
    public static void SortClusters<T>(ReadOnlySpan<T> points, int dim, ReadOnlySpan<int> labels, Span<T> sortedPoints, Span<int> sortedLabels, Span<int> permutation)
        where T : unmanaged
    {
        int rows = CheckPoints(points, dim, nameof(points));
        CheckLength(labels.Length, rows, "labels", "one label per point");
        CheckLength(sortedPoints.Length, points.Length, "sortedPoints", "rows × dim values");
        CheckLength(sortedLabels.Length, rows, "sortedLabels", "one label per point");
        CheckLength(permutation.Length, rows, "permutation", "one index per point");
        int clusters = LabelCount(labels, nameof(labels));
        var start = new int[clusters + 1];
        foreach (int label in labels)
        {
            start[label + 1]++;
        }

        for (int c = 0; c < clusters; c++)
        {
            start[c + 1] += start[c];
        }

        for (int r = 0; r < rows; r++)
        {
            int at = start[labels[r]]++;
            permutation[at] = r;
            sortedLabels[at] = labels[r];
        }

        Permute(points, dim, permutation, sortedPoints);
    }

    /// <summary><c>destination[k] = values[permutation[k]]</c>, row by row (rows of <paramref name="dim"/> values).</summary>
    public static void Permute<T>(ReadOnlySpan<T> values, int dim, ReadOnlySpan<int> permutation, Span<T> destination)
        where T : unmanaged
    {
        int rows = CheckPermutation(values, dim, permutation, destination, nameof(values));
        for (int k = 0; k < rows; k++)
        {
            values.Slice(permutation[k] * dim, dim).CopyTo(destination.Slice(k * dim, dim));
        }
    }

    /// <summary><c>destination[permutation[k]] = sorted[k]</c>: undoes <see cref="Permute{T}"/> and <see cref="SortClusters{T}"/>.</summary>
    public static void Unpermute<T>(ReadOnlySpan<T> sorted, int dim, ReadOnlySpan<int> permutation, Span<T> destination)
        where T : unmanaged
    {
        int rows = CheckPermutation(sorted, dim, permutation, destination, nameof(sorted));
        for (int k = 0; k < rows; k++)
        {
            sorted.Slice(k * dim, dim).CopyTo(destination.Slice(permutation[k] * dim, dim));
        }
    }

    /// <summary>
    /// The row range of each cluster of sorted labels: C (start, end) pairs, flat, as
    /// <see cref="Ranges.FromMatrix"/> takes them. Absent labels give empty ranges.
    /// </summary>
    /// <param name="sortedLabels">Non-decreasing labels in [0, C).</param>
    /// <param name="clusterCount">C; -1 for (largest label + 1).</param>
    public static int[] ClusterRanges(ReadOnlySpan<int> sortedLabels, int clusterCount = -1)
    {
        int clusters = LabelCount(sortedLabels, nameof(sortedLabels));
        if (clusterCount >= 0)
        {
            if (clusterCount < clusters)
            {
                throw new ArgumentException($"'clusterCount' is {clusterCount} but the labels go up to {clusters - 1}.", nameof(clusterCount));
            }

            clusters = clusterCount;
        }

        var ranges = new int[2 * clusters];
        int r = 0;
        for (int c = 0; c < clusters; c++)
        {
            ranges[2 * c] = r;
            while (r < sortedLabels.Length && sortedLabels[r] == c)
            {
                r++;
            }

            ranges[(2 * c) + 1] = r;
        }

        if (r != sortedLabels.Length)
        {
            throw new ArgumentException(
                $"'sortedLabels' must be non-decreasing (sort the points with SortClusters first): label {sortedLabels[r]} at row {r} follows label {sortedLabels[r - 1]}.",
                nameof(sortedLabels));
        }

        return ranges;
    }

    /// <summary>
    /// The (weighted) mean point of each cluster: C × dim values. A cluster whose total weight is
    /// 0 (no point, or zero weights) gets the origin.
    /// </summary>
    /// <param name="points">rows × <paramref name="dim"/> values.</param>
    /// <param name="dim">Dimension of a point.</param>
    /// <param name="labels">One label in [0, C) per point (need not be sorted).</param>
    /// <param name="clusterCount">C; -1 for (largest label + 1).</param>
    /// <param name="weights">One non-negative weight per point, or empty for 1 each.</param>
    /// <param name="clusterWeights">When not empty, receives the C total weights.</param>
    public static T[] ClusterCentroids<T>(ReadOnlySpan<T> points, int dim, ReadOnlySpan<int> labels, int clusterCount = -1, ReadOnlySpan<T> weights = default, Span<T> clusterWeights = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = CheckPoints(points, dim, nameof(points));
        CheckLength(labels.Length, rows, "labels", "one label per point");
        if (!weights.IsEmpty)
        {
            CheckLength(weights.Length, rows, "weights", "one weight per point (or none)");
        }

        int clusters = LabelCount(labels, nameof(labels));
        if (clusterCount >= 0)
        {
            if (clusterCount < clusters)
            {
                throw new ArgumentException($"'clusterCount' is {clusterCount} but the labels go up to {clusters - 1}.", nameof(clusterCount));
            }

            clusters = clusterCount;
        }

        if (!clusterWeights.IsEmpty)
        {
            CheckLength(clusterWeights.Length, clusters, "clusterWeights", "one value per cluster (or none)");
        }

        var sums = new double[(long)clusters * dim];
        var total = new double[clusters];
        for (int r = 0; r < rows; r++)
        {
            double w = weights.IsEmpty ? 1.0 : double.CreateTruncating(weights[r]);
            int c = labels[r];
            total[c] += w;
            for (int k = 0; k < dim; k++)
            {
                sums[((long)c * dim) + k] += w * double.CreateTruncating(points[(r * dim) + k]);
            }
        }

        var centroids = new T[(long)clusters * dim];
        for (int c = 0; c < clusters; c++)
        {
            for (int k = 0; k < dim; k++)
            {
                centroids[(c * dim) + k] = total[c] == 0 ? T.Zero : T.CreateTruncating(sums[((long)c * dim) + k] / total[c]);
            }

            if (!clusterWeights.IsEmpty)
            {
                clusterWeights[c] = T.CreateTruncating(total[c]);
            }
        }

        return centroids;
    }

    /// <summary>
    /// KeOps's <c>cluster_ranges_centroids</c>: for points sorted by cluster, the ranges, the
    /// (weighted) centroids and the total weights of the clusters. As in KeOps, a centroid is
    /// Σ w x divided by max(total weight, <paramref name="minWeight"/>), so a nearly weightless
    /// cluster's centroid shrinks towards the origin instead of dividing by almost 0; the
    /// returned weights are the true totals (a keep mask may drop light clusters).
    /// </summary>
    /// <param name="sortedPoints">rows × <paramref name="dim"/> values, sorted by cluster.</param>
    /// <param name="dim">Dimension of a point.</param>
    /// <param name="sortedLabels">Non-decreasing labels in [0, C).</param>
    /// <param name="weights">One weight per point, or empty for 1 each.</param>
    /// <param name="minWeight">The smallest total weight a cluster's centroid is divided by.</param>
    public static (int[] Ranges, T[] Centroids, T[] Weights) ClusterRangesCentroids<T>(ReadOnlySpan<T> sortedPoints, int dim, ReadOnlySpan<int> sortedLabels, ReadOnlySpan<T> weights = default, double minWeight = 1e-9)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] ranges = ClusterRanges(sortedLabels);
        int clusters = ranges.Length / 2;
        var clusterWeights = new T[clusters];
        T[] centroids = ClusterCentroids(sortedPoints, dim, sortedLabels, clusters, weights, clusterWeights);
        if (minWeight > 0)
        {
            // As KeOps: the centroid of a cluster lighter than minWeight is divided by minWeight.
            for (int c = 0; c < clusters; c++)
            {
                double w = double.CreateTruncating(clusterWeights[c]);
                if (w < minWeight && w > 0)
                {
                    for (int k = 0; k < dim; k++)
                    {
                        centroids[(c * dim) + k] = T.CreateTruncating(double.CreateTruncating(centroids[(c * dim) + k]) * w / minWeight);
                    }
                }
            }
        }

        return (ranges, centroids, clusterWeights);
    }

    private static int CheckPoints<T>(ReadOnlySpan<T> points, int dim, string name)
    {
        if (dim < 1)
        {
            throw new ArgumentException($"'dim' must be at least 1; got {dim}.", nameof(dim));
        }

        if (points.Length % dim != 0)
        {
            throw new ArgumentException($"Length {points.Length} of '{name}' is not a multiple of dim = {dim} (rows × {dim} values, row-major).", name);
        }

        return points.Length / dim;
    }

    private static void CheckLength(int length, int expected, string name, string what)
    {
        if (length != expected)
        {
            throw new ArgumentException($"'{name}' must hold {what}: {expected} values; got {length}.", name);
        }
    }

    private static int CheckPermutation<T>(ReadOnlySpan<T> values, int dim, ReadOnlySpan<int> permutation, Span<T> destination, string name)
    {
        int rows = CheckPoints(values, dim, name);
        CheckLength(permutation.Length, rows, "permutation", "one index per row");
        CheckLength(destination.Length, values.Length, "destination", "rows × dim values");
        var seen = new bool[rows];
        for (int k = 0; k < rows; k++)
        {
            int p = permutation[k];
            if ((uint)p >= (uint)rows || seen[p])
            {
                throw new ArgumentException($"'permutation' is not a permutation of 0..{rows - 1}: entry {k} is {p}{((uint)p < (uint)rows ? ", seen before" : string.Empty)}.", nameof(permutation));
            }

            seen[p] = true;
        }

        return rows;
    }

    /// <summary>Largest label + 1, after checking every label is ≥ 0.</summary>
    private static int LabelCount(ReadOnlySpan<int> labels, string name)
    {
        int max = -1;
        for (int r = 0; r < labels.Length; r++)
        {
            if (labels[r] < 0)
            {
                throw new ArgumentException($"'{name}' must hold labels ≥ 0: row {r} has {labels[r]}.", name);
            }

            max = Math.Max(max, labels[r]);
        }

        return max + 1;
    }
}
