namespace Quamba.Model.Quantization.Clustering;

/// <summary>
/// Quamba2's "sort and cluster" of a Mamba2 layer's SSM input x. Within each state group: sort each head's P
/// channels by their statistic (ascending, stable), L2-normalise each head's sorted vector, cluster the heads
/// into head groups with Ward linkage, order heads by group, and split each head group's sorted channel
/// positions into contiguous dim groups with order-preserving k-means (features at position p: the group's
/// heads' normalised sorted values at p; centroids seeded at 0, P/4, P/2, 3P/4).
/// </summary>
/// <remarks>
/// Fewer heads or channels than groups: a state group with fewer than 4 heads gets one head group per head
/// (<c>HeadGroupCount = min(4, heads)</c>) and a head dim below 4 gets one dim group per channel
/// (<c>DimGroupCount = min(4, P)</c>), so every group is non-empty and the table is uniform over state groups.
/// A head whose statistics are all zero is not normalised (its sorted vector stays zero).
/// Head groups are numbered by their lowest original head; heads keep their original order inside a group.
/// </remarks>
public static class SortAndCluster
{
    public const int DefaultHeadGroups = 4;
    public const int DefaultDimGroups = 4;

    /// <param name="channelStatistics">[heads, P]: e.g. max over samples of mean |x| per channel.</param>
    public static StateGroupClustering ClusterStateGroup(ReadOnlySpan<float> channelStatistics, int heads, int headDim,
        int headGroups = DefaultHeadGroups, int dimGroups = DefaultDimGroups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(headDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(headGroups, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimGroups, 1);
        if (channelStatistics.Length != (long)heads * headDim)
            throw new ArgumentException($"channelStatistics has {channelStatistics.Length} values; expected heads ({heads}) x head dim ({headDim}).", nameof(channelStatistics));
        for (int i = 0; i < channelStatistics.Length; i++)
            if (!float.IsFinite(channelStatistics[i]))
                throw new ArgumentException($"channelStatistics[{i}] is {channelStatistics[i]}; statistics must be finite.", nameof(channelStatistics));

        int p = headDim;
        int hg = Math.Min(headGroups, heads), dg = Math.Min(dimGroups, p);

        // 1. Sort each head's channels ascending (ties by channel index) and normalise the sorted vector.
        var sortedOrder = new int[heads * p];
        var normalised = new double[heads * p];
        for (int h = 0; h < heads; h++)
        {
            var stats = channelStatistics.Slice(h * p, p).ToArray();
            var order = sortedOrder.AsSpan(h * p, p);
            for (int c = 0; c < p; c++) order[c] = c;
            order.Sort((a, b) => stats[a] != stats[b] ? stats[a].CompareTo(stats[b]) : a.CompareTo(b));
            double norm = 0;
            for (int c = 0; c < p; c++) norm += (double)stats[order[c]] * stats[order[c]];
            norm = Math.Sqrt(norm);
            for (int c = 0; c < p; c++) normalised[h * p + c] = norm > 0 ? stats[order[c]] / norm : 0;
        }

        // 2. Ward clustering of heads; new order = heads grouped by label, original order inside a group.
        int[] labels = WardClustering.Cluster(normalised, heads, p, hg);
        var headOrder = Enumerable.Range(0, heads).OrderBy(h => labels[h]).ThenBy(h => h).ToArray();
        var headGroupOfHead = headOrder.Select(h => labels[h]).ToArray();
        var channelOrder = new int[heads * p];
        for (int i = 0; i < heads; i++) sortedOrder.AsSpan(headOrder[i] * p, p).CopyTo(channelOrder.AsSpan(i * p));

        // 3. Contiguous dim groups per head group over the sorted positions.
        var boundaries = new int[hg * (dg + 1)];
        for (int g = 0; g < hg; g++)
        {
            int[] members = headOrder.Where(h => labels[h] == g).ToArray();
            var features = new double[p * members.Length]; // position-major: point p = members' values at p
            for (int c = 0; c < p; c++)
                for (int m = 0; m < members.Length; m++)
                    features[c * members.Length + m] = normalised[members[m] * p + c];
            OrderPreservingKMeans.Split(features, p, members.Length, dg).CopyTo(boundaries, g * (dg + 1));
        }

        return new StateGroupClustering(heads, p, hg, dg, headOrder, channelOrder, headGroupOfHead, boundaries);
    }

    /// <param name="channelStatistics">[H * P] per-channel statistics of x in the original channel order.</param>
    /// <param name="stateGroups">G; head h belongs to state group h / (H / G).</param>
    public static LayerClustering ClusterLayer(ReadOnlySpan<float> channelStatistics, int heads, int headDim, int stateGroups,
        int headGroups = DefaultHeadGroups, int dimGroups = DefaultDimGroups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stateGroups, 1);
        if (heads < 1 || heads % stateGroups != 0)
            throw new ArgumentException($"Heads ({heads}) must be a positive multiple of the state groups ({stateGroups}).", nameof(heads));
        if (channelStatistics.Length != (long)heads * headDim)
            throw new ArgumentException($"channelStatistics has {channelStatistics.Length} values; expected H ({heads}) x P ({headDim}).", nameof(channelStatistics));

        int perGroup = heads / stateGroups, p = headDim;
        var groups = new StateGroupClustering[stateGroups];
        var headPermutation = new int[heads];
        var channelPermutation = new int[heads * p];
        var headGroupOfHead = new int[heads];
        int[]? boundaries = null;
        for (int g = 0; g < stateGroups; g++)
        {
            var r = ClusterStateGroup(channelStatistics.Slice(g * perGroup * p, perGroup * p), perGroup, p, headGroups, dimGroups);
            groups[g] = r;
            boundaries ??= new int[stateGroups * r.DimGroupBoundaries.Length];
            r.DimGroupBoundaries.CopyTo(boundaries, g * r.DimGroupBoundaries.Length);
            for (int i = 0; i < perGroup; i++)
            {
                int newHead = g * perGroup + i, oldHead = g * perGroup + r.HeadOrder[i];
                headPermutation[newHead] = oldHead;
                headGroupOfHead[newHead] = r.HeadGroupOfHead[i];
                for (int c = 0; c < p; c++) channelPermutation[newHead * p + c] = oldHead * p + r.ChannelOrder[i * p + c];
            }
        }
        var table = new CrossHeadGroupTable(stateGroups, perGroup, p, groups[0].HeadGroupCount, groups[0].DimGroupCount,
            headGroupOfHead, boundaries!);
        return new LayerClustering(headPermutation, channelPermutation, table, groups);
    }
}
