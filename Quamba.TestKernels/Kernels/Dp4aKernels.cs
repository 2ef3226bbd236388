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
    /// UInt4. One warp per row: each lane reads 16 bytes per step (a warp reads 512 contiguous bytes, fully
    /// coalesced, one 128-bit load per lane), accumulates with 4 dp4a, and the warp reduces with shfl.bfly.
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
            for (int k = lane; k < packedColumns; k += Gpu.WarpSize)
            {
                UInt4 wk = w[k];
                UInt4 xk = x[k];
                acc0 = DeviceMath.Dp4a((int)wk.X, (int)xk.X, acc0);
                acc1 = DeviceMath.Dp4a((int)wk.Y, (int)xk.Y, acc1);
                acc0 = DeviceMath.Dp4a((int)wk.Z, (int)xk.Z, acc0);
                acc1 = DeviceMath.Dp4a((int)wk.W, (int)xk.W, acc1);
            }
            int acc = acc0 + acc1;
            for (int mask = 16; mask > 0; mask >>= 1) acc += Warp.ShuffleXor(acc, mask);
            if (lane == 0) y[row] = acc * rowScales[row] * xScale;
        }
    }
}
