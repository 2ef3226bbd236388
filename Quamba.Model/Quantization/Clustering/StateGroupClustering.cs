namespace Quamba.Model.Quantization.Clustering;

/// <summary>
/// Sort-and-cluster result for the heads of one state group (indices local to the group).
/// </summary>
/// <param name="HeadOrder">[heads]: new head position i holds original head <c>HeadOrder[i]</c>. Heads of one head group are contiguous.</param>
/// <param name="ChannelOrder">[heads, P]: channel position p of new head i holds original channel <c>ChannelOrder[i * P + p]</c> of original head <c>HeadOrder[i]</c> (ascending statistic).</param>
/// <param name="HeadGroupOfHead">[heads]: head group of new head i (non-decreasing).</param>
/// <param name="DimGroupBoundaries">[HeadGroupCount, DimGroupCount + 1]: contiguous channel ranges of each head group, from 0 to P.</param>
public sealed record StateGroupClustering(
    int Heads,
    int HeadDim,
    int HeadGroupCount,
    int DimGroupCount,
    int[] HeadOrder,
    int[] ChannelOrder,
    int[] HeadGroupOfHead,
    int[] DimGroupBoundaries);
