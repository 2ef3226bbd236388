using Quamba.Model.Quantization.Clustering;

namespace Quamba.Tests.Quantization;

public class ClusteringTests
{
    [Fact]
    public void WardFindsFourObviousClusters()
    {
        // 16 points in 3-D, 4 per centre, centres 10 apart and noise 0.1, in scrambled order.
        double[][] centres = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10]];
        int[] truth = [2, 0, 3, 1, 1, 0, 2, 3, 3, 1, 0, 2, 0, 3, 1, 2];
        var rng = new Random(8);
        var points = new double[truth.Length * 3];
        for (int i = 0; i < truth.Length; i++)
            for (int d = 0; d < 3; d++) points[i * 3 + d] = centres[truth[i]][d] + 0.1 * QuantTestData.NextGaussian(rng);
        int[] labels = WardClustering.Cluster(points, truth.Length, 3, 4);
        for (int i = 0; i < truth.Length; i++)
            for (int j = 0; j < truth.Length; j++)
                Assert.Equal(truth[i] == truth[j], labels[i] == labels[j]);
        // Labels are numbered by first member: point 0 is label 0, the next new cluster (point 1) label 1, ...
        Assert.Equal([0, 1, 2, 3], labels.Take(4).ToArray()); // truth 2, 0, 3, 1 are four different clusters
    }

    [Fact]
    public void WardBreaksTiesDeterministically()
    {
        // Points 0, 1, 2, 3 on a line: merges (0,1), (1,2), (2,3) tie; the lowest pair wins, then (2,3).
        Assert.Equal([0, 0, 1, 1], WardClustering.Cluster([0, 1, 2, 3], 4, 1, 2));
        Assert.Equal([0, 1, 2], WardClustering.Cluster([5, 5, 5], 3, 1, 3));
    }

    [Fact]
    public void KMeansFindsContiguousLevels()
    {
        // Sorted positions at four levels: 16 each.
        var points = new double[64];
        for (int p = 0; p < 64; p++) points[p] = (p / 16) switch { 0 => 1, 1 => 5, 2 => 20, _ => 100 } + p * 0.001;
        Assert.Equal([0, 16, 32, 48, 64], OrderPreservingKMeans.Split(points, 64, 1, 4));
    }

    [Theory]
    [InlineData(64, 4, 1)]
    [InlineData(32, 4, 3)]
    [InlineData(7, 4, 2)]
    [InlineData(4, 4, 1)]
    [InlineData(3, 3, 2)]
    public void KMeansRangesAreContiguousNonEmptyAndCoverAllPositions(int count, int k, int dimension)
    {
        // Ascending (sorted) random features, with heavy ties, like the normalised sorted channel statistics.
        var rng = new Random(count * 31 + dimension);
        var points = new double[count * dimension];
        for (int d = 0; d < dimension; d++)
        {
            var col = Enumerable.Range(0, count).Select(_ => Math.Round(rng.NextDouble() * 4) / 4).OrderBy(v => v).ToArray();
            for (int p = 0; p < count; p++) points[p * dimension + d] = col[p];
        }
        int[] b = OrderPreservingKMeans.Split(points, count, dimension, k);
        Assert.Equal(k + 1, b.Length);
        Assert.Equal(0, b[0]);
        Assert.Equal(count, b[k]);
        for (int j = 0; j < k; j++) Assert.True(b[j + 1] > b[j], $"empty range {j}: {string.Join(",", b)}");
    }

    [Fact]
    public void SortAndClusterGroupsHeadsWithTheSameProfile()
    {
        // 8 heads, P = 16; heads {0,4}, {1,5}, {2,6}, {3,7} share a profile (up to scale and channel order).
        const int heads = 8, p = 16;
        var rng = new Random(12);
        var stats = new float[heads * p];
        for (int h = 0; h < heads; h++)
        {
            int profile = h % 4;
            var perm = Enumerable.Range(0, p).OrderBy(_ => rng.Next()).ToArray();
            for (int c = 0; c < p; c++)
            {
                // Profiles: flat, linear, one outlier, two tiers.
                double v = profile switch
                {
                    0 => 1,
                    1 => 1 + c,
                    2 => c == p - 1 ? 50 : 1,
                    _ => c < p / 2 ? 1 : 8,
                };
                stats[h * p + perm[c]] = (float)(v * (1 + h) * (1 + 0.001 * rng.NextDouble()));
            }
        }
        var r = SortAndCluster.ClusterStateGroup(stats, heads, p);
        Assert.Equal(4, r.HeadGroupCount);
        Assert.Equal(4, r.DimGroupCount);
        Assert.Equal([0, 4, 1, 5, 2, 6, 3, 7], r.HeadOrder);
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3], r.HeadGroupOfHead);
        AssertValid(r, stats);
    }

    [Theory]
    [InlineData(2, 16, 8)]
    [InlineData(1, 24, 64)]
    [InlineData(4, 12, 32)]
    public void ClusterLayerGivesValidPermutationsAndTable(int stateGroups, int headsPerGroup, int p)
    {
        int heads = stateGroups * headsPerGroup;
        var stats = QuantTestData.Gaussian(heads * p, heads + p).Select(MathF.Abs).ToArray();
        var layer = SortAndCluster.ClusterLayer(stats, heads, p, stateGroups);

        // Heads never leave their state group; channels never leave their head.
        Assert.Equal(Enumerable.Range(0, heads), layer.HeadPermutation.Order());
        Assert.Equal(Enumerable.Range(0, heads * p), layer.ChannelPermutation.Order());
        for (int h = 0; h < heads; h++)
        {
            Assert.Equal(h / headsPerGroup, layer.HeadPermutation[h] / headsPerGroup);
            for (int c = 0; c < p; c++)
            {
                int old = layer.ChannelPermutation[h * p + c];
                Assert.Equal(layer.HeadPermutation[h], old / p);
                if (c > 0) Assert.True(stats[old] >= stats[layer.ChannelPermutation[h * p + c - 1]], "channels of a head must be ascending");
            }
        }
        var t = layer.Table;
        Assert.Equal(stateGroups * 4 * 4, t.GroupCount);
        for (int g = 0; g < stateGroups; g++)
        {
            AssertValid(layer.StateGroups[g], stats.AsSpan(g * headsPerGroup * p, headsPerGroup * p).ToArray());
            for (int i = 1; i < headsPerGroup; i++) // head groups contiguous after the reorder
                Assert.True(t.HeadGroupOfHead[g * headsPerGroup + i] >= t.HeadGroupOfHead[g * headsPerGroup + i - 1]);
        }
    }

    [Fact]
    public void FewHeadsOrChannelsGiveFewerGroups()
    {
        var r = SortAndCluster.ClusterStateGroup([3, 1, 2, 9, 4, 5], heads: 3, headDim: 2);
        Assert.Equal(3, r.HeadGroupCount); // one per head
        Assert.Equal(2, r.DimGroupCount);  // one per channel
        Assert.Equal([0, 1, 2], r.HeadOrder);
        Assert.Equal([1, 0, 0, 1, 0, 1], r.ChannelOrder);
        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2], r.DimGroupBoundaries);
    }

    [Fact]
    public void ChannelStatisticsAreMaxOverSamplesOfMeanAbs()
    {
        var acc = new ChannelStatisticsAccumulator(2);
        acc.Observe([1, -4, 3, 0]);        // means 2, 2
        acc.Observe([-1, 1, 1, 1, -1, 7]); // means 1, 3
        Assert.Equal([2f, 3f], acc.GetStatistics());
    }

    private static void AssertValid(StateGroupClustering r, float[] stats)
    {
        int p = r.HeadDim;
        Assert.Equal(Enumerable.Range(0, r.Heads), r.HeadOrder.Order());
        for (int i = 0; i < r.Heads; i++)
        {
            var channels = r.ChannelOrder.AsSpan(i * p, p).ToArray();
            Assert.Equal(Enumerable.Range(0, p), channels.Order());
            for (int c = 1; c < p; c++)
                Assert.True(stats[r.HeadOrder[i] * p + channels[c]] >= stats[r.HeadOrder[i] * p + channels[c - 1]]);
        }
        for (int g = 0; g < r.HeadGroupCount; g++)
        {
            var b = r.DimGroupBoundaries.AsSpan(g * (r.DimGroupCount + 1), r.DimGroupCount + 1);
            Assert.Equal(0, b[0]);
            Assert.Equal(p, b[r.DimGroupCount]);
            for (int d = 0; d < r.DimGroupCount; d++) Assert.True(b[d + 1] > b[d]);
        }
    }
}
