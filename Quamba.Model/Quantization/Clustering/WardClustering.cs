namespace Quamba.Model.Quantization.Clustering;

/// <summary>
/// Agglomerative clustering with Ward linkage (Euclidean): start with one cluster per point and repeatedly
/// merge the pair whose merge increases the within-cluster sum of squares least,
/// <c>|A||B| / (|A| + |B|) * ||mean_A - mean_B||^2</c>, until the requested number of clusters remains.
/// </summary>
/// <remarks>
/// Deterministic: ties go to the pair whose clusters have the smallest first members (lowest point index),
/// compared lexicographically. Labels are numbered by each cluster's first member: the cluster holding point 0
/// is label 0, the cluster holding the lowest point not in it is label 1, and so on. O(n^3) on n points,
/// which is ample for heads per state group (tens to a few hundred).
/// </remarks>
public static class WardClustering
{
    /// <param name="points">[count, dimension] row-major.</param>
    /// <returns>The label (0..clusters-1) of each point.</returns>
    public static int[] Cluster(ReadOnlySpan<double> points, int count, int dimension, int clusters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (points.Length != (long)count * dimension)
            throw new ArgumentException($"points has {points.Length} values; expected count ({count}) x dimension ({dimension}).", nameof(points));
        if (clusters < 1 || clusters > count)
            throw new ArgumentOutOfRangeException(nameof(clusters), clusters, $"Ward clustering of {count} points needs 1..{count} clusters.");

        var mean = new double[count][];
        var size = new int[count];
        var first = new int[count]; // lowest member index: the tie-break and label order key
        var owner = new int[count]; // cluster id of each point
        var active = new List<int>(count);
        for (int i = 0; i < count; i++)
        {
            mean[i] = points.Slice(i * dimension, dimension).ToArray();
            size[i] = 1;
            first[i] = i;
            owner[i] = i;
            active.Add(i);
        }

        while (active.Count > clusters)
        {
            int bestA = -1, bestB = -1;
            double bestCost = double.PositiveInfinity;
            // 'active' stays sorted by first member, so scanning pairs in order makes the first minimum the tie winner.
            for (int x = 0; x < active.Count; x++)
                for (int y = x + 1; y < active.Count; y++)
                {
                    int a = active[x], b = active[y];
                    double d2 = 0;
                    for (int k = 0; k < dimension; k++)
                    {
                        double diff = mean[a][k] - mean[b][k];
                        d2 += diff * diff;
                    }
                    double cost = (double)size[a] * size[b] / (size[a] + size[b]) * d2;
                    if (cost < bestCost)
                    {
                        bestCost = cost;
                        bestA = a;
                        bestB = b;
                    }
                }
            // Merge b into a (a has the lower first member, so 'active' stays sorted).
            int na = size[bestA], nb = size[bestB];
            for (int k = 0; k < dimension; k++)
                mean[bestA][k] = (mean[bestA][k] * na + mean[bestB][k] * nb) / (na + nb);
            size[bestA] = na + nb;
            for (int i = 0; i < count; i++)
                if (owner[i] == bestB) owner[i] = bestA;
            active.Remove(bestB);
        }

        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = active.IndexOf(owner[i]);
        return labels;
    }
}
