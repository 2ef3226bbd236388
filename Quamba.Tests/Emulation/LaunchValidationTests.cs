using Quamba.Kernels;
using Quamba.Kernels.Emulation;

namespace Quamba.Tests.Emulation;

public class LaunchValidationTests
{
    [Theory]
    [InlineData(1, 33, 32, 1, 0, "has 1056 threads; a block holds at most 1024")]
    [InlineData(1, 1025, 1, 1, 0, "block (1025,1,1) exceeds the per-dimension limits")]
    [InlineData(1, 64, 32, 1, 0, "has 2048 threads")]
    [InlineData(1, 1, 1, 65, 0, "exceeds the per-dimension limits (1024,1024,64)")]
    [InlineData(1, 0, 1, 1, 0, "block dimensions must be positive")]
    [InlineData(0, 32, 1, 1, 0, "grid dimensions must be positive")]
    [InlineData(-3, 32, 1, 1, 0, "grid dimensions must be positive")]
    [InlineData(1, 32, 1, 1, -1, "must not be negative")]
    [InlineData(1, 32, 1, 1, 227 * 1024 + 1, "exceed the 232448 bytes (227 KB)")]
    public void BadConfigurationsAreRejectedWithTheReason(int grid, int bx, int by, int bz, int dynamicBytes, string reason)
    {
        bool ran = false;
        var e = Assert.Throws<ArgumentException>(() =>
            KernelEmulator.Run(new LaunchConfig(grid, new Dim3(bx, by, bz), dynamicBytes), () => ran = true));
        Assert.Contains(reason, e.Message);
        Assert.Contains("Invalid launch (grid", e.Message);
        Assert.False(ran);
    }

    [Fact]
    public void GridYAndZAreLimited()
    {
        var e = Assert.Throws<ArgumentException>(() => KernelEmulator.Run(new LaunchConfig(new Dim3(1, 65536), 32), () => { }));
        Assert.Contains("grid y and z must be at most 65535", e.Message);
        Assert.Null(LaunchLimits.Check(new LaunchConfig(new Dim3(1, 65535, 65535), new Dim3(1024), 227 * 1024)));
    }

    [Fact]
    public void TheLargestBlockRuns()
    {
        using var count = new HostBuffer<int>(1);
        DeviceSpan<int> c = count.AsDeviceSpan();
        KernelEmulator.Run(new LaunchConfig(2, new Dim3(16, 16, 4)), () =>
        {
            Gpu.SyncThreads();
            Atomic.Add(ref c[0], 1);
        });
        Assert.Equal(2048, count.Span[0]);
    }

    [Fact]
    public void NestedLaunchesAreRejected()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(1, 1, () => KernelEmulator.Run(1, 1, () => { })));
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Contains("kernels cannot launch kernels", e.Message);
    }
}
