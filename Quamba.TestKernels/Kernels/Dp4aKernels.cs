using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>int8 dot products with dp4a (sm_61), including the 4096x4096 int8 GEMV that is benchmarked.</summary>
public static partial class Dp4aKernels
{
    [Kernel]
    public static void Dp4aElementwise(ReadOnlyDeviceSpan<int> a, ReadOnlyDeviceSpan<int> b, ReadOnlyDeviceSpan<uint> ua, DeviceSpan<int> signedDots, DeviceSpan<uint> unsignedDots)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= a.Length) return;
        signedDots[i] = DeviceMath.Dp4a(a[i], b[i], i);
        unsignedDots[i] = DeviceMath.Dp4a(ua[i], (uint)b[i], 1000u);
    }

    /// <summary>
    /// y[row] = rowScales[row] * xScale * sum_k W[row, k] * x[k] with int8 W (row-major) and x packed 16 per
    /// UInt4. One warp per row: each lane reads 16 bytes per load (a warp reads 512 contiguous bytes, fully
    /// coalesced, one 128-bit load per lane), accumulates with dp4a, and the warp reduces with shfl.bfly.
    /// The main loop issues four independent weight loads before using any: a GEMV is bound by memory latency
    /// unless enough bytes are in flight per SM, and one load per iteration left it at ~57% of the copy bandwidth.
    /// Launch: block = 256 threads (8 rows), grid = ceil(rows / 8).
    /// </summary>
    [Kernel(TargetSm = 61)]
    public static void Int8Gemv(ReadOnlyDeviceSpan<UInt4> weights, ReadOnlyDeviceSpan<UInt4> x, ReadOnlyDeviceSpan<float> rowScales, float xScale, DeviceSpan<float> y, int packedColumns)
    {
        int lane = Gpu.ThreadIdxX & (Gpu.WarpSize - 1);
        int row = Gpu.BlockIdxX * (Gpu.BlockDimX / Gpu.WarpSize) + Gpu.ThreadIdxX / Gpu.WarpSize;
        if (row < y.Length)
        {
            var w = weights.Slice(row * packedColumns, packedColumns);
            int acc0 = 0, acc1 = 0;
            int k = lane;
            for (; k + 3 * Gpu.WarpSize < packedColumns; k += 4 * Gpu.WarpSize)
            {
                UInt4 w0 = w[k];
                UInt4 w1 = w[k + Gpu.WarpSize];
                UInt4 w2 = w[k + 2 * Gpu.WarpSize];
                UInt4 w3 = w[k + 3 * Gpu.WarpSize];
                acc0 = Dot16(w0, x[k], acc0);
                acc1 = Dot16(w1, x[k + Gpu.WarpSize], acc1);
                acc0 = Dot16(w2, x[k + 2 * Gpu.WarpSize], acc0);
                acc1 = Dot16(w3, x[k + 3 * Gpu.WarpSize], acc1);
            }
            for (; k < packedColumns; k += Gpu.WarpSize) acc0 = Dot16(w[k], x[k], acc0);
            int acc = acc0 + acc1;
            for (int mask = 16; mask > 0; mask >>= 1) acc += Warp.ShuffleXor(acc, mask);
            if (lane == 0) y[row] = acc * rowScales[row] * xScale;
        }
    }

    /// <summary>Dot product of 16 int8 pairs packed in two UInt4 values, added to <paramref name="acc"/>.</summary>
    private static int Dot16(UInt4 a, UInt4 b, int acc)
    {
        acc = DeviceMath.Dp4a((int)a.X, (int)b.X, acc);
        acc = DeviceMath.Dp4a((int)a.Y, (int)b.Y, acc);
        acc = DeviceMath.Dp4a((int)a.Z, (int)b.Z, acc);
        return DeviceMath.Dp4a((int)a.W, (int)b.W, acc);
    }
}
