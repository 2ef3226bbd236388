using Quamba.Kernels;

namespace Quamba.Tests.Emulation;

/// <summary>Kernels written as a user would write them, run through KernelEmulator.Run by the tests.</summary>
internal static class EmulatorTestKernels
{
    /// <summary>Each thread writes its global linear id and the geometry it sees.</summary>
    public static void Geometry(DeviceSpan<int> ids, DeviceSpan<int> dims)
    {
        int bx = Gpu.BlockDimX, by = Gpu.BlockDimY, bz = Gpu.BlockDimZ;
        int threadInBlock = Gpu.ThreadIdxX + bx * (Gpu.ThreadIdxY + by * Gpu.ThreadIdxZ);
        int block = Gpu.BlockIdxX + Gpu.GridDimX * (Gpu.BlockIdxY + Gpu.GridDimY * Gpu.BlockIdxZ);
        int global = block * bx * by * bz + threadInBlock;
        ids[global] = global;
        if (global == 0)
        {
            dims[0] = bx; dims[1] = by; dims[2] = bz;
            dims[3] = Gpu.GridDimX; dims[4] = Gpu.GridDimY; dims[5] = Gpu.GridDimZ;
        }
        if (Gpu.LaneId != threadInBlock % 32) ids[global] = -1;
    }

    /// <summary>Tree reduction in static shared memory: log2(blockDim) barriers per block.</summary>
    public static void BlockSum(ReadOnlyDeviceSpan<int> input, DeviceSpan<int> sums)
    {
        DeviceSpan<int> partial = SharedMemory.Allocate<int>(1024);
        int t = Gpu.ThreadIdxX, n = Gpu.BlockDimX;
        partial[t] = input[Gpu.BlockIdxX * n + t];
        Gpu.SyncThreads();
        for (int stride = n / 2; stride > 0; stride /= 2)
        {
            if (t < stride) partial[t] += partial[t + stride];
            Gpu.SyncThreads();
        }
        if (t == 0) sums[Gpu.BlockIdxX] = partial[0];
    }

    /// <summary>Warp-shuffle reduction, then one value per warp through shared memory.</summary>
    public static void WarpBlockSum(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> sums)
    {
        DeviceSpan<float> perWarp = SharedMemory.Allocate<float>(32);
        int t = Gpu.ThreadIdxX;
        float v = input[Gpu.BlockIdxX * Gpu.BlockDimX + t];
        for (int offset = 16; offset > 0; offset /= 2) v += Warp.ShuffleDown(v, offset);
        if (Gpu.LaneId == 0) perWarp[t / 32] = v;
        Gpu.SyncThreads();
        if (t < 32)
        {
            float w = t < Gpu.BlockDimX / 32 ? perWarp[t] : 0f;
            for (int mask = 16; mask > 0; mask /= 2) w += Warp.ShuffleXor(w, mask);
            if (t == 0) sums[Gpu.BlockIdxX] = w;
        }
    }
}
