using Quamba.Kernels;
using Quamba.Kernels.Emulation;

namespace Quamba.Tests.Emulation;

public class WarpCollectiveTests
{
    private delegate int LaneOp(int lane, int value);

    /// <summary>Runs one warp-collective call per lane (64 lanes: two warps) and returns each lane's result.</summary>
    private static int[] PerLane(LaneOp op, int threads = 64)
    {
        using var result = new HostBuffer<int>(threads);
        DeviceSpan<int> r = result.AsDeviceSpan();
        KernelEmulator.Run(1, threads, () =>
        {
            int t = Gpu.ThreadIdxX;
            r[t] = op(Gpu.LaneId, 1000 + t);
        });
        return result.ToArray();
    }

    private static int[] Expected(Func<int, int, int> sourceOf, int threads = 64) =>
        Enumerable.Range(0, threads).Select(t => 1000 + (t / 32) * 32 + sourceOf(t % 32, t)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)] // only the low 5 bits of the mask count: same as 1
    public void ShuffleXorExchangesWithTheXoredLane(int mask) =>
        Assert.Equal(Expected((lane, _) => lane ^ (mask & 31)), PerLane((_, v) => Warp.ShuffleXor(v, mask)));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(31)]
    public void ShuffleDownReadsHigherLanesAndKeepsOwnValueAtTheTop(int delta) =>
        Assert.Equal(Expected((lane, _) => lane + delta <= 31 ? lane + delta : lane), PerLane((_, v) => Warp.ShuffleDown(v, delta)));

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(31)]
    public void ShuffleUpReadsLowerLanesAndKeepsOwnValueAtTheBottom(int delta) =>
        Assert.Equal(Expected((lane, _) => lane - delta >= 0 ? lane - delta : lane), PerLane((_, v) => Warp.ShuffleUp(v, delta)));

    [Fact]
    public void ShuffleDeltaUsesOnlyTheLowFiveBits()
    {
        // 32 -> 0 (own value), 33 -> 1.
        Assert.Equal(Expected((lane, _) => lane), PerLane((_, v) => Warp.ShuffleDown(v, 32)));
        Assert.Equal(Expected((lane, _) => lane + 1 <= 31 ? lane + 1 : lane), PerLane((_, v) => Warp.ShuffleDown(v, 33)));
        Assert.Equal(Expected((lane, _) => lane - 1 >= 0 ? lane - 1 : lane), PerLane((_, v) => Warp.ShuffleUp(v, 33)));
    }

    [Fact]
    public void ShuffleIndexBroadcastsAndWrapsTheSourceLane()
    {
        Assert.Equal(Expected((_, _) => 0), PerLane((_, v) => Warp.Shuffle(v, 0)));
        Assert.Equal(Expected((_, _) => 31), PerLane((_, v) => Warp.Shuffle(v, 31)));
        Assert.Equal(Expected((_, _) => 3), PerLane((_, v) => Warp.Shuffle(v, 35)));  // 35 mod 32
        Assert.Equal(Expected((_, _) => 31), PerLane((_, v) => Warp.Shuffle(v, -1))); // low 5 bits of -1
        Assert.Equal(Expected((lane, _) => 31 - lane), PerLane((lane, v) => Warp.Shuffle(v, 31 - lane)));
    }

    [Fact]
    public void UnsignedAndFloatShufflesMoveTheExactBits()
    {
        using var result = new HostBuffer<uint>(64);
        using var floats = new HostBuffer<float>(64);
        DeviceSpan<uint> r = result.AsDeviceSpan();
        DeviceSpan<float> f = floats.AsDeviceSpan();
        KernelEmulator.Run(1, 64, () =>
        {
            int t = Gpu.ThreadIdxX;
            uint u = Warp.ShuffleXor(0xF000_0000u + (uint)t, 3);
            u = Warp.ShuffleDown(u, 1) ^ Warp.ShuffleUp(u, 1) ^ Warp.Shuffle(u, 2);
            r[t] = u;
            float x = t == 5 ? float.NaN : t * -0.5f;
            f[t] = Warp.ShuffleXor(x, 1) + Warp.ShuffleDown(x, 2) * 0f + Warp.ShuffleUp(x, 0) + Warp.Shuffle(x, 6);
        });
        for (int t = 0; t < 64; t++)
        {
            int w = t / 32 * 32, lane = t % 32;
            uint U(int l) => 0xF000_0000u + (uint)(w + (l ^ 3));
            uint expected = U(lane + 1 <= 31 ? lane + 1 : lane) ^ U(lane - 1 >= 0 ? lane - 1 : lane) ^ U(2);
            Assert.Equal(expected, result.Span[t]);
        }
        // Lane 4 reads lane 5's NaN through the xor; lanes 3..5 see it through ShuffleDown(.., 2) * 0.
        Assert.True(float.IsNaN(floats.Span[4]));
        Assert.Equal(1 * -0.5f + 0f + 0 * -0.5f + 6 * -0.5f, floats.Span[0]);
        Assert.Equal(33 * -0.5f + 32 * -0.5f + 38 * -0.5f, floats.Span[32]);
    }

    [Fact]
    public void VotesSeeEveryLaneOfTheirWarp()
    {
        using var result = new HostBuffer<uint>(64 * 4);
        DeviceSpan<uint> r = result.AsDeviceSpan();
        KernelEmulator.Run(1, 64, () =>
        {
            int t = Gpu.ThreadIdxX, lane = Gpu.LaneId;
            r[t * 4 + 0] = Warp.Ballot(lane % 3 == 0 || t == 40);
            r[t * 4 + 1] = Warp.All(t < 63) ? 1u : 0u;   // false only in the second warp
            r[t * 4 + 2] = Warp.Any(t == 40) ? 1u : 0u;  // true only in the second warp
            r[t * 4 + 3] = Warp.All(true) && !Warp.Any(false) ? 1u : 0u;
        });
        uint thirds = 0;
        for (int lane = 0; lane < 32; lane += 3) thirds |= 1u << lane;
        for (int t = 0; t < 64; t++)
        {
            bool second = t >= 32;
            Assert.Equal(second ? thirds | (1u << 8) : thirds, result.Span[t * 4]);
            Assert.Equal(second ? 0u : 1u, result.Span[t * 4 + 1]);
            Assert.Equal(second ? 1u : 0u, result.Span[t * 4 + 2]);
            Assert.Equal(1u, result.Span[t * 4 + 3]);
        }
    }

    [Fact]
    public void VotesInAPartialWarpCountOnlyExistingLanes()
    {
        using var result = new HostBuffer<uint>(40 * 2);
        DeviceSpan<uint> r = result.AsDeviceSpan();
        KernelEmulator.Run(1, 40, () =>
        {
            int t = Gpu.ThreadIdxX;
            r[t * 2] = Warp.Ballot(true);
            r[t * 2 + 1] = Warp.All(true) ? 1u : 0u;
        });
        Assert.Equal(uint.MaxValue, result.Span[0]);
        Assert.Equal(0xFFu, result.Span[39 * 2]);
        Assert.Equal(1u, result.Span[39 * 2 + 1]);
    }

    [Fact]
    public void ShuffleFromAMissingLaneOfAPartialWarpIsReported()
    {
        var e = Assert.Throws<KernelEmulationException>(() =>
            KernelEmulator.Run(1, 40, () => Warp.ShuffleXor(Gpu.ThreadIdxX, 16)));
        Assert.Contains("its warp has only 8 threads", e.Message);
        Assert.Contains("of block (0,0,0)", e.Message);
    }

    [Fact]
    public void SyncWarpOrdersSharedMemoryWithinAWarp()
    {
        using var result = new HostBuffer<int>(96);
        DeviceSpan<int> r = result.AsDeviceSpan();
        KernelEmulator.Run(1, 96, () =>
        {
            DeviceSpan<int> s = SharedMemory.Allocate<int>(96);
            int t = Gpu.ThreadIdxX;
            s[t] = t * 3;
            Gpu.SyncWarp();
            r[t] = s[(t / 32) * 32 + (Gpu.LaneId + 1) % 32];
        });
        Assert.Equal(Enumerable.Range(0, 96).Select(t => ((t / 32) * 32 + (t % 32 + 1) % 32) * 3), result.ToArray());
    }

    [Fact]
    public void LanesAtDifferentCollectivesAreReportedAsDivergence()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(2, 64, () =>
        {
            if (Gpu.LaneId < 16) Warp.ShuffleXor(1, 1);
            else Warp.Ballot(true);
        }));
        Assert.Contains("Warp divergence", e.Message);
        Assert.Contains("Warp.ShuffleXor", e.Message);
        Assert.Contains("Warp.Ballot", e.Message);
    }

    [Fact]
    public void ALaneThatExitsBeforeAShuffleIsReported()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(1, 64, () =>
        {
            if (Gpu.ThreadIdxX == 37) return;
            Warp.ShuffleDown(1f, 1);
        }));
        Assert.Contains("thread (37,0,0) of block (0,0,0) exited while other lanes of its warp wait at Warp.ShuffleDown", e.Message);
        Assert.Equal(new Dim3(37, 0, 0), e.ThreadIdx);
    }

    [Fact]
    public void AWarpCollectiveAgainstABarrierIsReported()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(1, 32, () =>
        {
            if (Gpu.ThreadIdxX == 0) Gpu.SyncThreads();
            else Warp.Any(true);
        }));
        Assert.Contains("thread (0,0,0) of block (0,0,0) waits at Gpu.SyncThreads while thread (1,0,0) of block (0,0,0) of the same warp waits at Warp.Any", e.Message);
    }
}
