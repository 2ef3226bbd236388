using System.Numerics;
using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>Bit manipulation: BitConverter, BitOperations, and inline PTX guarded by Gpu.IsDevice.</summary>
public static partial class BitKernels
{
    [Kernel]
    public static void BitTricks(ReadOnlyDeviceSpan<float> input, DeviceSpan<uint> output)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= input.Length) return;
        float f = input[i];
        uint bits = BitConverter.SingleToUInt32Bits(f);
        uint exponent = (bits >> 23) & 0xFF;
        float rebuilt = BitConverter.Int32BitsToSingle((int)(bits & 0x807FFFFF | 127u << 23));
        output[i * 4 + 0] = exponent;
        output[i * 4 + 1] = (uint)BitOperations.PopCount(bits) | (uint)BitOperations.LeadingZeroCount(bits) << 8;
        output[i * 4 + 2] = BitConverter.SingleToUInt32Bits(rebuilt);
        output[i * 4 + 3] = Reverse(bits);
    }

    /// <summary>Bit reversal: one brev.b32 on the GPU through inline PTX, a loop on the emulator.</summary>
    private static uint Reverse(uint value)
    {
        if (Gpu.IsDevice) return InlinePtx.U32("brev.b32 {0}, {1};", value);
        uint result = 0;
        for (int b = 0; b < 32; b++) result |= ((value >> b) & 1u) << (31 - b);
        return result;
    }
}
