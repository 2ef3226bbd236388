namespace Quamba.Kernels.Mamba;

/// <summary>Plain C# reference of the grouped quantization (the definition, element by element).</summary>
public static class ClusteredQuantizationReference
{
    /// <summary>Scale index of channel p of head h, found by scanning the boundaries.</summary>
    public static int ScaleIndex(int heads, int stateGroups, int headGroups, int dimGroups, int[] headGroupOfHead, int[] dimGroupBoundaries, int head, int p)
    {
        int g = head / (heads / stateGroups);
        int group = g * headGroups + headGroupOfHead[head];
        for (int d = 0; d < dimGroups; d++)
        {
            int lo = dimGroupBoundaries[group * (dimGroups + 1) + d], hi = dimGroupBoundaries[group * (dimGroups + 1) + d + 1];
            if (p >= lo && p < hi) return group * dimGroups + d;
        }
        throw new ArgumentException($"Channel {p} of head {head} is in no dim group.");
    }

    /// <summary>x [tokens, heads * headDim] -> codes with the cross-head scales.</summary>
    public static sbyte[] QuantizeX(float[] x, int heads, int headDim, int stateGroups, int headGroups, int dimGroups, int[] headGroupOfHead, int[] dimGroupBoundaries, float[] scales)
    {
        var codes = new sbyte[x.Length];
        int width = heads * headDim;
        for (int i = 0; i < x.Length; i++)
        {
            int c = i % width;
            codes[i] = KernelMath.Quantize(x[i], scales[ScaleIndex(heads, stateGroups, headGroups, dimGroups, headGroupOfHead, dimGroupBoundaries, c / headDim, c % headDim)]);
        }
        return codes;
    }

    /// <summary>B or C [tokens, G * N] -> codes with one scale per state group.</summary>
    public static sbyte[] QuantizeStateGroups(float[] values, int stateGroups, int stateDim, float[] scales)
    {
        var codes = new sbyte[values.Length];
        for (int i = 0; i < values.Length; i++) codes[i] = KernelMath.Quantize(values[i], scales[i % (stateGroups * stateDim) / stateDim]);
        return codes;
    }
}
