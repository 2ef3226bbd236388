using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>Half (System.Half) and BFloat16 conversions and Half arithmetic (computed in float, as .NET does).</summary>
public static partial class HalfKernels
{
    [Kernel]
    public static void HalfConversions(ReadOnlyDeviceSpan<float> input, ReadOnlyDeviceSpan<Half> halves, DeviceSpan<Half> toHalf, DeviceSpan<float> fromHalf, DeviceSpan<int> toInt)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= input.Length) return;
        float f = input[i];
        Half h = halves[i];
        Half converted = (Half)f;                          // cvt.rn.f16.f32
        toHalf[i * 3 + 0] = converted;
        toHalf[i * 3 + 1] = h * converted + h;             // Half operators: float math, one rounding
        toHalf[i * 3 + 2] = (Half)(i - 8) + (Half)(f * 0.5);   // int -> float -> half; double -> half directly
        fromHalf[i * 2 + 0] = (float)h;
        fromHalf[i * 2 + 1] = (float)(double)h + (h < converted ? 1f : 0f);
        toInt[i] = (int)h;
    }

    /// <summary>float -> bf16 rounds to nearest even with cvt.rn.bf16.f32, which needs sm_80; bf16 -> float is exact.</summary>
    [Kernel(TargetSm = 80)]
    public static void BFloat16Conversions(ReadOnlyDeviceSpan<float> input, DeviceSpan<BFloat16> rounded, DeviceSpan<float> widened)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= input.Length) return;
        BFloat16 b = (BFloat16)input[i];
        rounded[i] = b;
        widened[i] = (float)b * 2f + (float)new BFloat16((ushort)(b.Bits ^ 0x8000));
    }
}
