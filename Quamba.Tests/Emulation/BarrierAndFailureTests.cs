using Quamba.Kernels;
using Quamba.Kernels.Emulation;

namespace Quamba.Tests.Emulation;

public class BarrierAndFailureTests
{
    [Fact]
    public void AThreadThatReturnsBeforeABarrierIsReportedNotDeadlocked()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(new LaunchConfig(4, new Dim3(8, 4)), () =>
        {
            if (Gpu.BlockIdxX == 2 && Gpu.ThreadIdxX == 3 && Gpu.ThreadIdxY == 1) return;
            Gpu.SyncThreads();
        }));
        Assert.Contains("thread (3,1,0) of block (2,0,0) exited while others wait at a barrier", e.Message);
        Assert.Equal(new Dim3(2, 0, 0), e.BlockIdx);
        Assert.Equal(new Dim3(3, 1, 0), e.ThreadIdx);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void AThreadSkippingTheSecondBarrierIsReported()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(1, 64, () =>
        {
            Gpu.SyncThreads();
            if (Gpu.ThreadIdxX >= 60) return;
            Gpu.SyncThreads();
        }));
        Assert.Contains("thread (60,0,0) of block (0,0,0) exited while others wait at a barrier", e.Message);
    }

    [Fact]
    public void AnExceptionPropagatesWithItsBlockAndThread()
    {
        using var data = new HostBuffer<int>(100);
        DeviceSpan<int> d = data.AsDeviceSpan();
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(new LaunchConfig(new Dim3(4, 2), new Dim3(32, 2)), () =>
        {
            int i = (Gpu.BlockIdxY * Gpu.GridDimX + Gpu.BlockIdxX) * 64 + Gpu.ThreadIdxY * 32 + Gpu.ThreadIdxX;
            d[i] = 1; // 512 threads, 100 elements
        }));
        Assert.IsType<IndexOutOfRangeException>(e.InnerException);
        Assert.Contains("IndexOutOfRangeException", e.Message);
        Assert.Contains("Kernel index 100 is outside the span of length 100", e.Message);
        // Block 1 is the first to overflow; its thread (4,1,0) has i = 64 + 32 + 4 = 100.
        Assert.Contains("thread (4,1,0) of block (1,0,0)", e.Message);
    }

    [Fact]
    public void AnExceptionWhileOthersWaitAtABarrierDoesNotHang()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(8, 256, () =>
        {
            Gpu.SyncThreads();
            if (Gpu.ThreadIdxX == 200) throw new InvalidOperationException("boom");
            Gpu.SyncThreads();
            Warp.ShuffleXor(1, 1);
            Gpu.SyncThreads();
        }));
        Assert.Equal("boom", e.InnerException?.Message);
        Assert.Contains("thread (200,0,0) of block (", e.Message);
    }

    [Fact]
    public void AnExceptionInsideAWarpCollectiveStepDoesNotHang()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(4, 64, () =>
        {
            int v = Warp.ShuffleDown(Gpu.ThreadIdxX, 1);
            if (v == 10) throw new ArithmeticException("lane 9 saw 10");
            Warp.ShuffleDown(v, 1);
        }));
        Assert.IsType<ArithmeticException>(e.InnerException);
        Assert.Contains("thread (9,0,0)", e.Message);
    }

    [Fact]
    public void TheEmulatorStillWorksAfterAFailedLaunch()
    {
        Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(16, 128, () =>
        {
            if (Gpu.ThreadIdxX == 5) return;
            Gpu.SyncThreads();
        }));
        using var sum = new HostBuffer<int>(1);
        DeviceSpan<int> s = sum.AsDeviceSpan();
        KernelEmulator.Run(16, 128, () =>
        {
            Gpu.SyncThreads();
            Atomic.Add(ref s[0], 1);
        });
        Assert.Equal(16 * 128, sum.Span[0]);
    }

    [Fact]
    public void LaunchesMayRunConcurrentlyFromSeveralThreads()
    {
        var sums = new int[4];
        Parallel.For(0, 4, k =>
        {
            using var total = new HostBuffer<int>(1);
            DeviceSpan<int> t = total.AsDeviceSpan();
            KernelEmulator.Run(8, 64, () =>
            {
                int v = Warp.ShuffleXor(k + 1, 1);
                Gpu.SyncThreads();
                Atomic.Add(ref t[0], v);
            });
            sums[k] = total.Span[0];
        });
        Assert.Equal(new[] { 512, 1024, 1536, 2048 }, sums);
    }
}
