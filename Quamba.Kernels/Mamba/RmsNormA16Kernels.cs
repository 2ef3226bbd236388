namespace Quamba.Kernels.Mamba;

// Mamba2's gated RMSNorm for A16 layers (FP16, W4A16): z is in_proj's fp16 output instead of int8 codes, y the A16
// SSD's float output. The same computation as GatedRmsNorm (v = y * SiLU(z), each group of E/G channels scaled by
// 1 / sqrt(mean(v^2) + eps), times weight; the block sum of RmsNormKernels).
public static partial class RmsNormKernels
{
    /// <summary>Threads per row of <see cref="GatedRmsNormA16{TShape}"/>: its loops stride over the group, so any multiple of 32 up to MaxThreads serves.</summary>
    public const int GatedA16Threads = 256;

    public static LaunchConfig GatedA16Launch(int rows) => new(rows, GatedA16Threads);

    /// <summary>Mamba2's gated RMSNorm over fp16 z; y [rows, E], z at row * zStride + c, weight [E], output [rows, E].</summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void GatedRmsNormA16<TShape>(ReadOnlyDeviceSpan<float> y, ReadOnlyDeviceSpan<Half> z, int zStride, ReadOnlyDeviceSpan<float> weight,
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
            // The gated values go to output first and are scaled in place once the group's sum is known.
            for (int i = start + Gpu.ThreadIdxX; i < start + groupSize; i += Gpu.BlockDimX)
            {
                float v = y[row + i] * KernelMath.SiLU((float)z[r * zStride + i]);
                output[row + i] = v;
                squares += v * v;
            }
            float inverse = 1f / MathF.Sqrt(BlockSum(squares, scratch) / groupSize + eps);
            for (int i = start + Gpu.ThreadIdxX; i < start + groupSize; i += Gpu.BlockDimX)
                output[row + i] = output[row + i] * inverse * weight[i];
        }
    }
}
