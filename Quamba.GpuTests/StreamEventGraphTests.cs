using Quamba.Kernels;
using Quamba.Kernels.Cuda;

namespace Quamba.GpuTests;

public class StreamEventGraphTests(GpuFixture gpu, ITestOutputHelper output)
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

    [Fact]
    public void ACapturedGraphReplaysItsWork()
    {
        CudaContext context = gpu.Context;
        const int n = 4096;
        using CudaStream stream = context.CreateStream();
        using CudaBuffer<float> acc = context.Allocate<float>(n), step = context.Allocate<float>(n), snapshot = context.Allocate<float>(n);
        acc.Clear();
        step.CopyFrom(Enumerable.Range(0, n).Select(i => (float)i).ToArray());
        CudaFunction add = VectorAdd(context);

        using CudaGraph graph = stream.Capture(s =>
        {
            add.Launch(new LaunchConfig(n / 128, 128), s, acc.DevicePointer, step.DevicePointer, acc.DevicePointer, n);
            snapshot.CopyFromAsync(acc, s);
        });
        // Capturing records work without running it.
        Assert.All(acc.ToArray(), v => Assert.Equal(0f, v));
        Assert.False(stream.IsCapturing);

        using CudaGraphExec exec = graph.Instantiate();
        for (int i = 0; i < 5; i++) exec.Launch(stream);
        stream.Synchronize();
        float[] expected = Enumerable.Range(0, n).Select(i => 5f * i).ToArray();
        Assert.Equal(expected, acc.ToArray());
        Assert.Equal(expected, snapshot.ToArray());
    }

    [Fact]
    public void TheDefaultStreamCannotBeCapturedAndAFailedCaptureEnds()
    {
        CudaContext context = gpu.Context;
        Assert.True(context.DefaultStream.IsDefault);
        Assert.Throws<InvalidOperationException>(() => context.DefaultStream.BeginCapture());

        using CudaStream stream = context.CreateStream();
        Assert.Throws<TimeoutException>(() => stream.Capture(_ => throw new TimeoutException()));
        Assert.False(stream.IsCapturing);
        stream.Synchronize();
    }
}
