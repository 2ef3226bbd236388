using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.TestKernels.Cases;
using Quamba.TestKernels.Kernels;

namespace Quamba.GpuTests;

/// <summary>
/// The corpus's vectorised kernels timed against the driver's copy. The timing captures CUDA graphs, so this class
/// runs in the graph-capture collection, alone.
/// </summary>
[Collection(nameof(GraphCaptureCollection))]
public class VectorisedBenchmarkTests(GpuFixture gpu, ITestOutputHelper output)
{
    /// <summary>
    /// The two benchmarked kernels against the driver's device-to-device copy measured in the same run
    /// (opt-in: QUAMBA_GPU_BENCH=1; lines also appended to the file QUAMBA_BENCH_OUT names). The GEMV cycles
    /// through 8 weight matrices (128 MB, over twice the H100's 50 MB L2) so its weights come from HBM, not L2.
    /// </summary>
    [Fact]
    public void BenchmarkVectorisedKernels()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("QUAMBA_GPU_BENCH") == "1", "Set QUAMBA_GPU_BENCH=1 to time the benchmarked kernels.");
        CudaContext context = gpu.Context;
        var lines = new List<string> { $"device: {context.Device.Name}, driver {context.DriverVersion}" };

        const int elements = 16 << 20; // Float4 elements: 256 MB per array
        const double arrayBytes = elements * 16.0;
        using var x = context.Allocate<Float4>(elements);
        using var y = context.Allocate<Float4>(elements);
        x.FillBytes(0);
        y.FillBytes(0);
        int blocks = context.Device.MultiprocessorCount * 8;
        double copyMs = Time(context, 20, s => y.CopyFromAsync(x, s));
        double copyGBs = 2 * arrayBytes / copyMs / 1e6;
        lines.Add($"cuMemcpyDtoD 256 MB: {copyMs:F3} ms, {copyGBs:F0} GB/s (read + write)");
        double saxpyMs = Time(context, 20, s => Elementwise.Saxpy4Kernel.Launch(s, new LaunchConfig(blocks, 256), 2f, x.AsReadOnlySpan(), y.AsSpan()));
        double saxpyGBs = 3 * arrayBytes / saxpyMs / 1e6;
        lines.Add($"Saxpy4 256 MB x 3: {saxpyMs:F3} ms, {saxpyGBs:F0} GB/s = {saxpyGBs / copyGBs:P0} of the copy");
        double copy16Ms = Time(context, 20, s => Elementwise.Copy16Kernel.Launch(s, new LaunchConfig(blocks, 256), x.AsReadOnlySpan().Reinterpret(), y.AsSpan().Reinterpret()));
        double copy16GBs = 2 * arrayBytes / copy16Ms / 1e6;
        lines.Add($"Copy16 256 MB x 2: {copy16Ms:F3} ms, {copy16GBs:F0} GB/s = {copy16GBs / copyGBs:P0} of the copy");

        var gemv = new Int8GemvCase(4096, 4096);
        const int matrices = 8;
        var weights = new CudaBuffer<UInt4>[matrices];
        try
        {
            UInt4[] packed = gemv.PackedWeights();
            for (int i = 0; i < matrices; i++) { weights[i] = context.Allocate<UInt4>(packed.Length); weights[i].CopyFrom(packed); }
            using var vector = context.Allocate<UInt4>(4096 / 16);
            using var scales = context.Allocate<float>(4096);
            using var result = context.Allocate<float>(4096);
            vector.CopyFrom(gemv.PackedX());
            scales.FillBytes(0);
            int next = 0;
            double gemvMs = Time(context, 8 * matrices, s => Dp4aKernels.Int8GemvKernel.Launch(s, gemv.Launch,
                weights[next++ % matrices].AsReadOnlySpan(), vector.AsReadOnlySpan(), scales.AsReadOnlySpan(), 1f, result.AsSpan(), 4096 / 16));
            double gemvGBs = 4096.0 * 4096 / gemvMs / 1e6;
            lines.Add($"Int8Gemv 4096x4096 (8 matrices in turn, weights from HBM): {gemvMs * 1000:F1} us, {gemvGBs:F0} GB/s of weights = {gemvGBs / copyGBs:P0} of the copy, {2.0 * 4096 * 4096 / gemvMs / 1e6:F0} GOP/s");
        }
        finally
        {
            foreach (var w in weights) w?.Dispose();
        }

        foreach (string line in lines) output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("QUAMBA_BENCH_OUT") is { Length: > 0 } path) File.AppendAllLines(path, lines);
    }

    /// <summary>Milliseconds per launch (<see cref="GraphTiming"/>) after one warm-up launch.</summary>
    private static double Time(CudaContext context, int repetitions, Action<CudaStream> launch)
    {
        using var stream = context.CreateStream(nonBlocking: true);
        launch(stream); // warm-up (JIT, caches)
        stream.Synchronize();
        return GraphTiming.MillisecondsPerLaunch(context, stream, repetitions, launch);
    }
}
