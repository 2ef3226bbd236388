namespace Quamba.Kernels.Mamba;

/// <summary>
/// Row-wise normalisations, one block per token row:
/// <list type="bullet">
/// <item><see cref="ResidualRmsNormQuantize{TShape}"/>: the fused residual add + RMSNorm + int8 quantization that
/// feeds every in_proj (<c>res += delta; y = res * (1 / sqrt(mean(res^2) + eps)) * weight; code = quantize(y, scale)</c>;
/// gamma is usually folded into in_proj offline, then weight is all ones); <see cref="ResidualRmsNorm{TShape}"/> writes
/// y as floats (the A16 path and the final norm before lm_head).</item>
/// <item><see cref="GatedRmsNorm{TShape}"/>: Mamba2's gated norm, <c>v = y * SiLU(zCode * zScale)</c>, then each group
/// of E/G channels scaled by <c>1 / sqrt(mean(v^2) + eps)</c>, times weight (mamba_ssm's RMSNormGated with
/// norm_before_gate = False, as Quamba.Model's GatedRmsNorm computes it).</item>
/// </list>
/// Sums of squares: per thread, then a warp butterfly, then the warps' sums added in order by every thread
/// (deterministic; a different order from a sequential sum, so a code at a rounding boundary can move by one).
/// </summary>
public static partial class RmsNormKernels
{
    public const int MaxThreads = 256;

    public static LaunchConfig Launch<TShape>(int rows) where TShape : IRowShape => new(rows, Math.Min(MaxThreads, TShape.Width));

    public static LaunchConfig GatedLaunch(int rows) => new(rows, MaxThreads);

    /// <param name="residual">[rows, Width], updated in place: residual += delta when <paramref name="addDelta"/>.</param>
    /// <param name="delta">[rows, Width], the previous mixer's output (ignored when addDelta is false; pass any span).</param>
    /// <param name="weight">[Width] (ones when gamma is folded into in_proj).</param>
    /// <param name="output">[rows, Width] codes.</param>
    [Kernel]
    [Specialize(typeof(Row192))]
    [Specialize(typeof(Row256))]
    [Specialize(typeof(Row2560))]
    public static void ResidualRmsNormQuantize<TShape>(DeviceSpan<float> residual, ReadOnlyDeviceSpan<float> delta, bool addDelta, ReadOnlyDeviceSpan<float> weight,
        float eps, float scale, DeviceSpan<sbyte> output) where TShape : IRowShape
    {
        var scratch = SharedMemory.Allocate<float>(MaxThreads / 32);
        int row = Gpu.BlockIdxX * TShape.Width;
        float inverse = ResidualAndInverseRms<TShape>(residual, delta, addDelta, eps, scratch, row);
        for (int i = Gpu.ThreadIdxX; i < TShape.Width; i += Gpu.BlockDimX)
            output[row + i] = KernelMath.Quantize(residual[row + i] * inverse * weight[i], scale);
    }

    /// <summary>As <see cref="ResidualRmsNormQuantize{TShape}"/>, writing the normalised rows as floats.</summary>
    [Kernel]
    [Specialize(typeof(Row192))]
    [Specialize(typeof(Row256))]
    [Specialize(typeof(Row2560))]
    public static void ResidualRmsNorm<TShape>(DeviceSpan<float> residual, ReadOnlyDeviceSpan<float> delta, bool addDelta, ReadOnlyDeviceSpan<float> weight,
        float eps, DeviceSpan<float> output) where TShape : IRowShape
    {
        var scratch = SharedMemory.Allocate<float>(MaxThreads / 32);
        int row = Gpu.BlockIdxX * TShape.Width;
        float inverse = ResidualAndInverseRms<TShape>(residual, delta, addDelta, eps, scratch, row);
        for (int i = Gpu.ThreadIdxX; i < TShape.Width; i += Gpu.BlockDimX)
            output[row + i] = residual[row + i] * inverse * weight[i];
    }

    /// <summary>Mamba2's gated RMSNorm; y [rows, E], z codes at row * zStride + c, weight [E], output [rows, E].</summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void GatedRmsNorm<TShape>(ReadOnlyDeviceSpan<float> y, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale, ReadOnlyDeviceSpan<float> weight,
        float eps, DeviceSpan<float> output) where TShape : IMamba2Shape
    {
        var scratch = SharedMemory.Allocate<float>(MaxThreads / 32);
        int r = Gpu.BlockIdxX;
        int row = r * TShape.InnerDim;
        int groupSize = TShape.InnerDim / TShape.StateGroups;
        for (int g = 0; g < TShape.StateGroups; g++)
        {
            int start = g * groupSize;
            float squares = 0f;
            for (int i = start + Gpu.ThreadIdxX; i < start + groupSize; i += Gpu.BlockDimX)
            {
                float v = y[row + i] * KernelMath.SiLU(z[r * zStride + i] * zScale);
                output[row + i] = v;
                squares += v * v;
            }
            float inverse = 1f / MathF.Sqrt(BlockSum(squares, scratch) / groupSize + eps);
            for (int i = start + Gpu.ThreadIdxX; i < start + groupSize; i += Gpu.BlockDimX)
                output[row + i] = output[row + i] * inverse * weight[i];
        }
    }

    private static float ResidualAndInverseRms<TShape>(DeviceSpan<float> residual, ReadOnlyDeviceSpan<float> delta, bool addDelta, float eps, DeviceSpan<float> scratch, int row)
        where TShape : IRowShape
    {
        float squares = 0f;
        for (int i = Gpu.ThreadIdxX; i < TShape.Width; i += Gpu.BlockDimX)
        {
            float v = residual[row + i];
            if (addDelta)
            {
                v = v + delta[row + i];
                residual[row + i] = v;
            }
            squares += v * v;
        }
        return 1f / MathF.Sqrt(BlockSum(squares, scratch) / TShape.Width + eps);
    }

    /// <summary>The block's sum, returned to every thread; ends with a barrier so the scratch can be reused.</summary>
    private static float BlockSum(float value, DeviceSpan<float> scratch)
    {
        for (int mask = 16; mask > 0; mask >>= 1) value += Warp.ShuffleXor(value, mask);
        int warps = Gpu.BlockDimX / 32;
        if ((Gpu.ThreadIdxX & 31) == 0) scratch[Gpu.ThreadIdxX / 32] = value;
        Gpu.SyncThreads();
        float total = 0f;
        for (int w = 0; w < warps; w++) total += scratch[w];
        Gpu.SyncThreads();
        return total;
    }
}
