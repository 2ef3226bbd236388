namespace Quamba.Model.Quantization.Clustering;

/// <summary>
/// k-means over an ordered sequence of points whose clusters must be contiguous, non-empty ranges in order
/// (Quamba2's dim groups over sorted channel positions). Lloyd iterations, except that the assignment step
/// picks the best labelling that is non-decreasing along the sequence and uses every label (a small dynamic
/// program) instead of the unconstrained nearest centroid; both steps never increase the within-cluster sum
/// of squares, so it converges. When the nearest-centroid labelling is already monotone (what the reference's
/// assertion expects of sorted data) it is the same result.
/// </summary>
public static class OrderPreservingKMeans
{
    public const int MaxIterations = 300;

    /// <param name="points">[count, dimension] row-major, in sequence order.</param>
    /// <param name="clusters">k, 1..count.</param>
    /// <returns>Boundaries [k + 1]: cluster j is positions <c>[b[j], b[j + 1])</c>; b[0] = 0, b[k] = count.</returns>
    /// <remarks>Centroids start at the points at positions <c>floor(j * count / k)</c> (0, P/4, P/2, 3P/4 for k = 4).</remarks>
    public static int[] Split(ReadOnlySpan<double> points, int count, int dimension, int clusters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (points.Length != (long)count * dimension)
            throw new ArgumentException($"points has {points.Length} values; expected count ({count}) x dimension ({dimension}).", nameof(points));
        if (clusters < 1 || clusters > count)
            throw new ArgumentOutOfRangeException(nameof(clusters), clusters, $"Splitting {count} positions needs 1..{count} clusters.");

        int k = clusters;
        var centroids = new double[k * dimension];
        for (int j = 0; j < k; j++)
            points.Slice((int)((long)j * count / k) * dimension, dimension).CopyTo(centroids.AsSpan(j * dimension));

        int[] boundaries = [];
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            int[] next = AssignMonotone(points, count, dimension, centroids, k);
            if (next.AsSpan().SequenceEqual(boundaries)) break;
            boundaries = next;
            for (int j = 0; j < k; j++)
            {
                var c = centroids.AsSpan(j * dimension, dimension);
                c.Clear();
                int n = boundaries[j + 1] - boundaries[j];
                for (int p = boundaries[j]; p < boundaries[j + 1]; p++)
                    for (int d = 0; d < dimension; d++) c[d] += points[p * dimension + d];
                for (int d = 0; d < dimension; d++) c[d] /= n;
            }
        }
        return boundaries;
    }

    /// <summary>Minimum-cost non-decreasing labelling using all k labels, as boundaries.</summary>
    private static int[] AssignMonotone(ReadOnlySpan<double> points, int count, int dimension, double[] centroids, int k)
    {
        // best[j, p]: least cost of positions 0..p with position p labelled j and labels 0..j all used.
        var best = new double[k, count];
        var moved = new bool[k, count]; // true: position p-1 had label j-1 (a boundary starts at p)
        for (int p = 0; p < count; p++)
            for (int j = 0; j < k; j++)
            {
                if (j > p || count - p < k - j) { best[j, p] = double.PositiveInfinity; continue; }
                double d2 = 0;
                for (int d = 0; d < dimension; d++)
                {
                    double diff = points[p * dimension + d] - centroids[j * dimension + d];
                    d2 += diff * diff;
                }
                if (p == 0) { best[j, p] = d2; continue; }
                double stay = best[j, p - 1];
                double step = j > 0 ? best[j - 1, p - 1] : double.PositiveInfinity;
                // Tie: keep the earlier cluster longer (deterministic).
                if (step < stay) { best[j, p] = step + d2; moved[j, p] = true; }
                else best[j, p] = stay + d2;
            }

        var boundaries = new int[k + 1];
        boundaries[k] = count;
        int label = k - 1;
        for (int p = count - 1; p > 0 && label > 0; p--)
            if (moved[label, p])
            {
                boundaries[label] = p;
                label--;
            }
        return boundaries;
    }
}
