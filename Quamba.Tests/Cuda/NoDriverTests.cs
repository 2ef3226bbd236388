using Quamba.Kernels;
using Quamba.Kernels.Cuda;

namespace Quamba.Tests.Cuda;

/// <summary>What the runtime does on a machine without the NVIDIA driver (CI): everything but the GPU works.</summary>
public class NoDriverTests
{
    [Fact]
    public void IsAvailableNeverThrows()
    {
        bool available = CudaContext.IsAvailable;
        Assert.Equal(available, CudaContext.IsAvailable);
        Assert.Equal(available, CudaDriver.IsUsable);
        if (!available) Assert.Equal(0, CudaDriver.DeviceCount);
    }

    [Fact]
    public void CreateWithoutADriverSaysHowToFixIt()
    {
        Assert.SkipWhen(CudaContext.IsAvailable, "A CUDA driver and device are present here.");
        var e = Assert.ThrowsAny<CudaUnavailableException>(() => CudaContext.Create());
        if (!CudaDriver.IsInstalled)
        {
            Assert.StartsWith("libcuda.so.1 was not found: install the NVIDIA driver", e.Message);
            Assert.Contains("KernelEmulator", e.Message);
        }
        Assert.IsAssignableFrom<CudaException>(e);
        // Asking again gives the same clear error, not a DllNotFoundException.
        Assert.Throws<CudaUnavailableException>(() => CudaDriver.EnsureInitialized());
        Assert.Throws<CudaUnavailableException>(() => CudaDevice.Query(0));
    }

    [Fact]
    public void TheEmulatorNeedsNoDriver()
    {
        using var buffer = new Quamba.Kernels.Emulation.HostBuffer<int>(64);
        DeviceSpan<int> s = buffer.AsDeviceSpan();
        Quamba.Kernels.Emulation.KernelEmulator.Run(2, 32, () => s[Gpu.BlockIdxX * 32 + Gpu.ThreadIdxX] = Warp.ShuffleXor(Gpu.ThreadIdxX, 31));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => 31 - i % 32), buffer.ToArray());
    }

    [Fact]
    public void AGpuSmokeTestSkipsCleanlyWithoutADriver()
    {
        Assert.SkipUnless(CudaContext.IsAvailable, "No CUDA driver or device: GPU tests run in Quamba.GpuTests on a GPU machine.");
        using CudaContext context = CudaContext.Create();
        using CudaBuffer<int> buffer = context.Allocate<int>(16);
        buffer.Fill32(7);
        Assert.All(buffer.ToArray(), v => Assert.Equal(7, v));
    }
}
