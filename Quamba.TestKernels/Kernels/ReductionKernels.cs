using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>Reductions: a shared-memory block tree, warp shuffles (down, xor, up, idx) and votes.</summary>
public static partial class ReductionKernels
{
    public const int BlockSize = 256;

    /// <summary>Per-block sums with a shared-memory tree; the grid-stride loop lets any grid cover the input.</summary>
    [Kernel]
    public static void BlockSum(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> blockSums)
    {
        var scratch = SharedMemory.Allocate<float>(BlockSize);
        int t = Gpu.ThreadIdxX;
        float sum = 0f;
        for (int i = Gpu.BlockIdxX * BlockSize + t; i < input.Length; i += Gpu.GridDimX * BlockSize) sum += input[i];
        scratch[t] = sum;
        Gpu.SyncThreads();
        for (int stride = BlockSize / 2; stride > 0; stride >>= 1)
        {
            if (t < stride) scratch[t] += scratch[t + stride];
            Gpu.SyncThreads();
        }
        if (t == 0) blockSums[Gpu.BlockIdxX] = scratch[0];
    }

    /// <summary>Per-warp sums with shfl.down, then the block total via shared memory and a shfl.bfly reduction in warp 0.</summary>
    [Kernel]
    public static void WarpSum(ReadOnlyDeviceSpan<int> input, DeviceSpan<int> warpSums, DeviceSpan<int> blockSums)
    {
        var perWarp = SharedMemory.Allocate<int>(32);
        int t = Gpu.ThreadIdxX;
        int lane = Gpu.LaneId;
        int warp = t / Gpu.WarpSize;
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + t;
        int v = i < input.Length ? input[i] : 0;
        for (int offset = 16; offset > 0; offset /= 2) v += Warp.ShuffleDown(v, offset);
        int warpsPerBlock = Gpu.BlockDimX / Gpu.WarpSize;
        if (lane == 0)
        {
            warpSums[Gpu.BlockIdxX * warpsPerBlock + warp] = v;
            perWarp[warp] = v;
        }
        Gpu.SyncThreads();
        if (warp == 0)
        {
            int s = lane < warpsPerBlock ? perWarp[lane] : 0;
            for (int mask = 16; mask > 0; mask >>= 1) s += Warp.ShuffleXor(s, mask);
            if (lane == 0) blockSums[Gpu.BlockIdxX] = s;
        }
    }

    /// <summary>Inclusive warp prefix sums with shfl.up, and each warp's total broadcast from lane 31 with shfl.idx.</summary>
    [Kernel]
    public static void WarpScan(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> prefix, DeviceSpan<float> totals)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        int lane = Gpu.LaneId;
        float v = input[i];
        for (int delta = 1; delta < Gpu.WarpSize; delta *= 2)
        {
            float up = Warp.ShuffleUp(v, delta);
            if (lane >= delta) v += up;
        }
        prefix[i] = v;
        totals[i] = Warp.Shuffle(v, Gpu.WarpSize - 1);
        Gpu.SyncWarp();
    }

    /// <summary>Warp votes: all, any and ballot of a per-lane predicate; uint shuffles.</summary>
    [Kernel]
    public static void WarpVotes(ReadOnlyDeviceSpan<int> input, DeviceSpan<uint> results)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        int v = input[i];
        bool positive = v > 0;
        uint ballot = Warp.Ballot(positive);
        bool all = Warp.All(positive);
        bool any = Warp.Any(v > 1000);
        uint neighbour = Warp.ShuffleXor((uint)v, 1);
        results[i] = ballot ^ (all ? 0x80000000u : 0u) ^ (any ? 0x40000000u : 0u) ^ (neighbour << 8);
    }
}
