using Quamba.Kernels.Cuda;

namespace Quamba.GpuTests;

public class DeviceAndMemoryTests(GpuFixture gpu, ITestOutputHelper output)
{
    [Fact]
    public void DeviceAndDriverAreDescribed()
    {
        CudaContext context = gpu.Context;
        CudaDevice device = context.Device;
        output.WriteLine($"{context}");
        output.WriteLine($"devices: {CudaDriver.DeviceCount}, L2 {device.L2CacheBytes / 1024} KB, clock {device.ClockRateKHz / 1000} MHz, " +
                         $"{device.MaxSharedMemoryPerBlock} B shared per block, {device.MaxSharedMemoryPerMultiprocessor} B per SM");
        Assert.False(string.IsNullOrWhiteSpace(device.Name));
        Assert.True(device.Sm >= 70, $"sm_{device.Sm}");
        Assert.True(device.MultiprocessorCount > 0);
        Assert.True(device.TotalMemoryBytes > 1L << 30);
        Assert.Equal(32, device.WarpSize);
        Assert.Equal(1024, device.MaxThreadsPerBlock);
        Assert.Equal(48 * 1024, device.MaxSharedMemoryPerBlock);
        Assert.True(device.MaxSharedMemoryPerBlockOptIn > 48 * 1024);
        Assert.True(context.DriverVersion >= 12000, $"driver CUDA {CudaDriver.FormatVersion(context.DriverVersion)}");
        (long free, long total) = context.GetMemoryInfo();
        Assert.InRange(free, 1, total);
        Assert.Equal(device.TotalMemoryBytes, total);
    }

    [Fact]
    public void SynchronousCopiesRoundTrip()
    {
        CudaContext context = gpu.Context;
        float[] data = Enumerable.Range(0, 100_003).Select(i => i * 0.25f - 7f).ToArray();
        using CudaBuffer<float> a = context.Allocate<float>(data.Length);
        using CudaBuffer<float> b = context.Allocate<float>(data.Length);
        Assert.Equal(data.Length * 4L, a.SizeInBytes);
        a.CopyFrom(data);
        b.CopyFrom(a);
        Assert.Equal(data, b.ToArray());

        var prefix = new float[10];
        b.CopyTo(prefix);
        Assert.Equal(data[..10], prefix);
        Assert.Throws<ArgumentException>(() => a.CopyFrom(new float[data.Length + 1]));
        Assert.Equal((long)a.DevicePointer, a.AsSpan().Pointer);
        Assert.Equal(data.Length, a.AsReadOnlySpan().Length);
    }

    [Fact]
    public void MemsetFillsBytesAndWords()
    {
        CudaContext context = gpu.Context;
        using CudaBuffer<uint> words = context.Allocate<uint>(4097);
        words.FillBytes(0xAB);
        Assert.All(words.ToArray(), w => Assert.Equal(0xABABABABu, w));
        words.Fill32(0xDEADBEEF);
        Assert.All(words.ToArray(), w => Assert.Equal(0xDEADBEEFu, w));
        words.Clear();
        Assert.All(words.ToArray(), w => Assert.Equal(0u, w));

        using CudaBuffer<byte> odd = context.Allocate<byte>(7);
        Assert.Throws<InvalidOperationException>(() => odd.Fill32(1));
    }

    [Fact]
    public void AsynchronousCopiesThroughPinnedMemoryOrderOnTheStream()
    {
        CudaContext context = gpu.Context;
        const int n = 1 << 20;
        using CudaStream stream = context.CreateStream(nonBlocking: true);
        using CudaHostBuffer<int> source = context.AllocateHost<int>(n);
        using CudaHostBuffer<int> result = context.AllocateHost<int>(n);
        for (int i = 0; i < n; i++) source.Span[i] = i ^ 0x5A5A;
        using CudaBuffer<int> a = context.Allocate<int>(n);
        using CudaBuffer<int> b = context.Allocate<int>(n);

        a.CopyFromAsync(source, stream);
        b.Fill32(0xFFFFFFFF, stream);
        b.CopyFromAsync(a, stream);
        b.CopyToAsync(result, stream);
        stream.Synchronize();
        Assert.True(stream.IsComplete);
        for (int i = 0; i < n; i += 1021) Assert.Equal(i ^ 0x5A5A, result.Span[i]);
        Assert.Equal((n - 1) ^ 0x5A5A, result.Span[n - 1]);
    }

    [Fact]
    public void DisposedBuffersRefuseUseAndMemoryIsReturned()
    {
        CudaContext context = gpu.Context;
        var buffer = context.Allocate<byte>(256 << 20);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.DevicePointer);
        // Allocating and freeing far more than once fits proves that dispose frees.
        for (int i = 0; i < 8; i++)
        {
            using CudaBuffer<byte> big = context.Allocate<byte>(1 << 30);
            big.FillBytes(1);
        }
        context.Synchronize();
    }

    [Fact]
    public void AnImpossibleAllocationNamesTheSizeAndFreeMemory()
    {
        CudaContext context = gpu.Context;
        // 2^31 x 256 bytes = 512 GiB: more than any single GPU has.
        var e = Assert.Throws<CudaException>(() => context.Allocate<Block256>(int.MaxValue).Dispose());
        output.WriteLine(e.Message);
        Assert.Equal("CUDA_ERROR_OUT_OF_MEMORY", e.ErrorName);
        Assert.Contains($"cuMemAlloc of {(long)int.MaxValue * 256} bytes ({int.MaxValue} x Block256) failed: CUDA_ERROR_OUT_OF_MEMORY", e.Message);
        Assert.Contains("MiB free of", e.Message);
    }

    private unsafe struct Block256
    {
        private fixed byte _bytes[256];
    }
}
