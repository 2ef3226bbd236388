namespace Quamba.Model.Quantization.Clustering;

/// <summary>
/// Sort-and-cluster result for a whole Mamba2 layer: the permutations to apply offline (in_proj's z, x and dt
/// rows, conv1d's x channels, A_log / D / dt_bias, the gated norm weight, out_proj's columns) and the group
/// table for the cross-head observers. Nothing crosses a state group.
/// </summary>
/// <param name="HeadPermutation">[H]: new head i is original head <c>HeadPermutation[i]</c> (reorders dt rows, A_log, D, dt_bias).</param>
/// <param name="ChannelPermutation">[H * P]: new x/z channel c is original channel <c>ChannelPermutation[c]</c>.</param>
public sealed record LayerClustering(
    int[] HeadPermutation,
    int[] ChannelPermutation,
    CrossHeadGroupTable Table,
    IReadOnlyList<StateGroupClustering> StateGroups);
