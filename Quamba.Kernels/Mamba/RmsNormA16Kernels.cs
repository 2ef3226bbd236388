namespace Quamba.Kernels.Mamba;

// Mamba2's gated RMSNorm for A16 layers (FP16, W4A16): z is in_proj's fp16 output instead of int8 codes, y the A16
// SSD's float output. The same computation and thread layout as GatedRmsNorm (launch with GatedLaunch): only z's load
// differs, and the gate is SiLU(z * 1), which is SiLU(z) exactly.
public static partial class RmsNormKernels
{
    /// <summary>Mamba2's gated RMSNorm over fp16 z; y [rows, E], z at row * zStride + c, weight [E], output [rows, E].</summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void GatedRmsNormA16<TShape>(ReadOnlyDeviceSpan<float> y, ReadOnlyDeviceSpan<Half> z, int zStride, ReadOnlyDeviceSpan<float> weight,
        float eps, DeviceSpan<float> output) where TShape : IMamba2Shape
    {
        var scratch = SharedMemory.Allocate<float>(MaxThreads / 32);
        var stage = SharedMemory.Allocate<float>(TShape.InnerDim / TShape.StateGroups);
        int r = Gpu.BlockIdxX;
        int groupSize = TShape.InnerDim / TShape.StateGroups;
        for (int g = 0; g < TShape.StateGroups; g++)
        {
            int start = r * TShape.InnerDim + g * groupSize;
            int zStart = r * zStride + g * groupSize;
            Int4 p0 = Positions(0, groupSize), p1 = Positions(4, groupSize);
            Float4 y0 = Load(y, start, p0), z0 = LoadHalves(z, zStart, p0), w0 = Load(weight, g * groupSize, p0);
            Float4 y1 = default, z1 = default, w1 = default;
            if (groupSize > 4 * Gpu.BlockDimX)
            {
                y1 = Load(y, start, p1);
                z1 = LoadHalves(z, zStart, p1);
                w1 = Load(weight, g * groupSize, p1);
            }
            NormaliseGatedGroup(scratch, stage, groupSize, start, p0, p1, Gate(y0, z0, 1f), Gate(y1, z1, 1f), w0, w1, eps, output);
        }
    }

    /// <summary>fp16 values as floats (exact).</summary>
    private static Float4 LoadHalves(ReadOnlyDeviceSpan<Half> span, int offset, Int4 p) => new(
        p.X >= 0 ? (float)span[offset + p.X] : 0f, p.Y >= 0 ? (float)span[offset + p.Y] : 0f, p.Z >= 0 ? (float)span[offset + p.Z] : 0f, p.W >= 0 ? (float)span[offset + p.W] : 0f);
}
