namespace Quamba.Kernels.Mamba;

/// <summary>
/// Quamba2's grouped int8 scales for Mamba2 activations, as device tables (the layout of Quamba.Model's
/// <c>CrossHeadGroupTable</c>):
/// <list type="bullet">
/// <item>x, [tokens, H, P] in the reordered channel order: one scale per (state group, head group, dim group),
/// scales <c>[G, HeadGroups, DimGroups]</c>; <c>headGroupOfHead</c> [H] gives each head's head group (local to its
/// state group), <c>dimGroupBoundaries</c> [G, HeadGroups, DimGroups + 1] the channel ranges (0 .. P).</item>
/// <item>B and C, [tokens, G, N]: one scale per state group, [G].</item>
/// </list>
/// </summary>
public static partial class ClusteredQuantization
{
    /// <summary>The scale index of channel <paramref name="p"/> of head <paramref name="head"/>: (g * HG + hg) * DG + d.</summary>
    public static int ScaleIndex<TShape>(ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, int head, int p)
        where TShape : IMamba2Shape
    {
        int g = head / (TShape.Heads / TShape.StateGroups);
        int group = g * TShape.HeadGroups + headGroupOfHead[head];
        int b = group * (TShape.DimGroups + 1);
        int d = 0;
        while (d < TShape.DimGroups - 1 && p >= dimGroupBoundaries[b + d + 1]) d++;
        return group * TShape.DimGroups + d;
    }

    /// <summary>One block per token (<see cref="Launch"/>).</summary>
    public static LaunchConfig Launch(int tokens) => new(tokens, 256);

    /// <summary>int8 codes of x [tokens, H * P] with the cross-head scales.</summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void QuantizeX<TShape>(ReadOnlyDeviceSpan<float> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries,
        ReadOnlyDeviceSpan<float> scales, DeviceSpan<sbyte> output) where TShape : IMamba2Shape
    {
        int row = Gpu.BlockIdxX * TShape.InnerDim;
        for (int c = Gpu.ThreadIdxX; c < TShape.InnerDim; c += Gpu.BlockDimX)
        {
            int head = c / TShape.HeadDim;
            float scale = scales[ScaleIndex<TShape>(headGroupOfHead, dimGroupBoundaries, head, c - head * TShape.HeadDim)];
            output[row + c] = KernelMath.Quantize(x[row + c], scale);
        }
    }

    /// <summary>int8 codes of B or C [tokens, G * N] with one scale per state group.</summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void QuantizeStateGroups<TShape>(ReadOnlyDeviceSpan<float> values, ReadOnlyDeviceSpan<float> scales, DeviceSpan<sbyte> output)
        where TShape : IMamba2Shape
    {
        int row = Gpu.BlockIdxX * TShape.StateGroups * TShape.StateDim;
        for (int c = Gpu.ThreadIdxX; c < TShape.StateGroups * TShape.StateDim; c += Gpu.BlockDimX)
            output[row + c] = KernelMath.Quantize(values[row + c], scales[c / TShape.StateDim]);
    }
}
