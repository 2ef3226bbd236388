using Quamba.Kernels;
using Quamba.Kernels.Cuda;

namespace Quamba.GpuTests;

/// <summary>
/// Stream capture makes synchronous work elsewhere in the context illegal (cuCtxSynchronize, and legacy-stream
/// work that would wait for a blocking stream), so these tests run alone, not beside the other GPU tests.
/// </summary>
[CollectionDefinition(nameof(GraphCaptureCollection), DisableParallelization = true)]
public sealed class GraphCaptureCollection;

[Collection(nameof(GraphCaptureCollection))]
public class GraphCaptureTests(GpuFixture gpu)
{
    private static CudaFunction VectorAdd(CudaContext context) =>
        context.GetFunction(new KernelDescriptor("GpuTests.VectorAdd", "vector_add", System.Text.Encoding.UTF8.GetBytes(Ptx.VectorAdd), 80, 80));

    [Fact]
    public void ACapturedGraphReplaysItsWork()
    {
        CudaContext context = gpu.Context;
        const int n = 4096;
        using CudaStream stream = context.CreateStream(nonBlocking: true);
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

        using CudaStream stream = context.CreateStream(nonBlocking: true);
        Assert.Throws<TimeoutException>(() => stream.Capture(_ => throw new TimeoutException()));
        Assert.False(stream.IsCapturing);
        stream.Synchronize();
    }
}
