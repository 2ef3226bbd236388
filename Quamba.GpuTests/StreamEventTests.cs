using Quamba.Kernels;
using Quamba.Kernels.Cuda;

namespace Quamba.GpuTests;

public class StreamEventTests(GpuFixture gpu, ITestOutputHelper output)
{
    private CudaFunction VectorAdd(CudaContext context) =>
        context.GetFunction(new KernelDescriptor("GpuTests.VectorAdd", "vector_add", System.Text.Encoding.UTF8.GetBytes(Ptx.VectorAdd), 80, 80));

    [Fact]
    public void EventsTimeWorkOnAStream()
    {
        CudaContext context = gpu.Context;
        const int n = 1 << 24;
        using CudaStream stream = context.CreateStream();
        using CudaBuffer<float> a = context.Allocate<float>(n), b = context.Allocate<float>(n);
        a.Clear(stream);
        b.Fill32(0x3F800000, stream); // 1.0f
        using CudaEvent start = context.CreateEvent(), end = context.CreateEvent();
        CudaFunction add = VectorAdd(context);

        start.Record(stream);
        for (int i = 0; i < 20; i++)
            add.Launch(new LaunchConfig(n / 256, 256), stream, a.DevicePointer, b.DevicePointer, a.DevicePointer, n);
        end.Record(stream);
        end.Synchronize();
        Assert.True(end.IsComplete);

        float ms = end.ElapsedMillisecondsSince(start);
        double gbPerSecond = 20.0 * 3 * 4 * n / (ms * 1e6);
        output.WriteLine($"20 launches of a {n}-element add: {ms:F3} ms ({gbPerSecond:F0} GB/s)");
        Assert.True(ms > 0);
        float[] sample = new float[16];
        a.CopyTo(sample);
        Assert.All(sample, v => Assert.Equal(20f, v));

        using CudaEvent untimed = context.CreateEvent(enableTiming: false);
        untimed.Record(stream);
        Assert.Throws<InvalidOperationException>(() => untimed.ElapsedMillisecondsSince(start));
    }
}
