using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>Integer semantics of C#: promotions, wrap-around, masked shifts, signed/unsigned division and comparison.</summary>
public static partial class IntegerKernels
{
    /// <summary>sbyte/byte/short/ushort: promoted to int for arithmetic, narrowed (wrapping) on assignment.</summary>
    [Kernel]
    public static void SmallIntegers(ReadOnlyDeviceSpan<sbyte> s8, ReadOnlyDeviceSpan<byte> u8, ReadOnlyDeviceSpan<short> s16, ReadOnlyDeviceSpan<ushort> u16,
        DeviceSpan<sbyte> outS8, DeviceSpan<byte> outU8, DeviceSpan<short> outS16, DeviceSpan<ushort> outU16, DeviceSpan<int> promoted)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= s8.Length) return;
        sbyte a = s8[i];
        byte b = u8[i];
        short c = s16[i];
        ushort d = u16[i];
        a += 100;                       // wraps in 8 bits
        b *= 3;
        c -= 30000;
        d <<= 3;
        a++;
        b--;
        outS8[i] = (sbyte)(a ^ 0x55);
        outU8[i] = (byte)~b;
        outS16[i] = (short)(c >> 2);
        outU16[i] = (ushort)(d + c);
        promoted[i] = a * b + c * d - (sbyte)b + (byte)a;
    }

    [Kernel]
    public static void Int32Semantics(ReadOnlyDeviceSpan<int> x, ReadOnlyDeviceSpan<int> y, DeviceSpan<int> results, DeviceSpan<uint> unsignedResults)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= x.Length) return;
        int a = x[i], b = y[i];
        uint ua = (uint)a, ub = (uint)b;
        int k = i * 8;
        results[k + 0] = unchecked(a * b + a - b);          // wrap-around
        results[k + 1] = b != 0 ? a / b : -1;                 // truncating division
        results[k + 2] = b != 0 ? a % b : -2;                 // remainder has the dividend's sign
        results[k + 3] = a << b;                              // count masked with 31
        results[k + 4] = a >> (b & 63);                       // arithmetic shift, masked
        results[k + 5] = a >>> b;                             // logical shift of a signed value
        results[k + 6] = (a < b ? 1 : 0) | (ua < ub ? 2 : 0) | (a >= b ? 4 : 0) | (ua >= ub ? 8 : 0);
        results[k + 7] = (a & b) ^ (a | ~b);
        unsignedResults[i * 3 + 0] = ub != 0 ? ua / ub : 0u;
        unsignedResults[i * 3 + 1] = ub != 0 ? ua % ub : 0u;
        unsignedResults[i * 3 + 2] = ua >> b;
    }

    [Kernel]
    public static void Int64Semantics(ReadOnlyDeviceSpan<long> x, ReadOnlyDeviceSpan<ulong> y, DeviceSpan<long> results, DeviceSpan<ulong> unsignedResults)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= x.Length) return;
        long a = x[i];
        ulong b = y[i];
        int shift = (int)(b & 0xFF);
        results[i * 4 + 0] = unchecked(a * 6364136223846793005L + 1442695040888963407L);
        results[i * 4 + 1] = a / 7 + a % 7;
        results[i * 4 + 2] = a << shift;                      // count masked with 63
        results[i * 4 + 3] = (a >> shift) + (int)a + (uint)a;
        unsignedResults[i * 3 + 0] = b / 3 + b % 1000;
        unsignedResults[i * 3 + 1] = b >> shift;
        unsignedResults[i * 3 + 2] = (b > (ulong)a ? 1UL : 0UL) + (ulong)(a < 0 ? 2 : 0);
    }
}
