using Quamba.Model.Checkpoints;
using Quamba.Model.Quantization.Clustering;

namespace Quamba.Model.Quantization.Transforms;

/// <summary>
/// Quamba2's offline reordering of a Mamba2 layer by its sort-and-cluster permutations (compute invariance):
/// in_proj's z and x rows and conv1d's x channels by the channel permutation, in_proj's dt rows and A_log, D, dt_bias by
/// the head permutation, the gated-norm weight and out_proj's columns by the channel permutation; B and C untouched.
/// </summary>
/// <remarks>
/// Why the logits do not change: every channel stays inside its head and every head inside its state group (the
/// permutations never cross a group), so each head still reads its own B/C group, dt, A and D; the SSM is independent
/// per channel given those; the gated norm is a sum over its group (order-free); out_proj's columns move with y's
/// channels. Only float summation orders change (out_proj's dot products, the norm's sum of squares).
/// </remarks>
public static class Mamba2Reordering
{
    public static void Apply(FloatCheckpoint checkpoint, int layer, LayerClustering clustering)
    {
        var c = checkpoint.Config;
        if (c.Architecture != MambaArchitecture.Mamba2)
            throw new ArgumentException("sort-and-cluster reordering applies to Mamba2 layers only", nameof(checkpoint));
        int d = c.HiddenSize, e = c.IntermediateSize, h = c.NumHeads, gn = c.NGroups * c.StateSize, k = c.ConvKernel;
        int[] channels = clustering.ChannelPermutation, heads = clustering.HeadPermutation;
        if (channels.Length != e || heads.Length != h)
            throw new ArgumentException($"the clustering covers {heads.Length} heads / {channels.Length} channels; layer {layer} has {h} / {e}", nameof(clustering));
        string M(string name) => FloatCheckpoint.Mixer(layer, name);

        // in_proj rows [z | x | B | C | dt]: new row i takes old row map[i] within each permuted segment.
        var inMap = Identity(c.InProjRows);
        for (int i = 0; i < e; i++)
        {
            inMap[i] = channels[i];
            inMap[e + i] = e + channels[i];
        }
        for (int i = 0; i < h; i++) inMap[2 * e + 2 * gn + i] = 2 * e + 2 * gn + heads[i];
        PermuteRows(checkpoint[M("in_proj.weight")], d, inMap);
        if (c.UseBias) PermuteRows(checkpoint[M("in_proj.bias")], 1, inMap);

        var convMap = Identity(c.ConvChannels);
        for (int i = 0; i < e; i++) convMap[i] = channels[i];
        PermuteRows(checkpoint[M("conv1d.weight")], k, convMap);
        if (c.UseConvBias) PermuteRows(checkpoint[M("conv1d.bias")], 1, convMap);

        foreach (string name in (string[])["A_log", "D", "dt_bias"]) PermuteRows(checkpoint[M(name)], 1, heads);
        if (c.GatedNorm) PermuteRows(checkpoint[M("norm.weight")], 1, channels);
        PermuteColumns(checkpoint[M("out_proj.weight")], d, e, channels);
    }

    private static int[] Identity(int n) => Enumerable.Range(0, n).ToArray();

    /// <summary>Row i of the result is old row map[i] (rows of <paramref name="width"/> values).</summary>
    internal static void PermuteRows(float[] data, int width, int[] map)
    {
        var old = (float[])data.Clone();
        for (int i = 0; i < map.Length; i++)
            Array.Copy(old, (long)map[i] * width, data, (long)i * width, width);
    }

    /// <summary>Column i of the result is old column map[i].</summary>
    internal static void PermuteColumns(float[] data, int rows, int columns, int[] map)
    {
        var row = new float[columns];
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(data, (long)r * columns, row, 0, columns);
            for (int i = 0; i < columns; i++) data[(long)r * columns + i] = row[map[i]];
        }
    }
}
