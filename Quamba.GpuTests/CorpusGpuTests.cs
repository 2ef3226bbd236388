using System.Text;
using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.TestKernels.Cases;
using Quamba.TestKernels.Kernels;

namespace Quamba.GpuTests;

/// <summary>
/// The generator's corpus on a real GPU: every generated module loads (JIT log on failure), every case matches
/// its plain C# expectation within the case's tolerance, and registers/spills are printed.
/// </summary>
public class CorpusGpuTests(GpuFixture gpu, ITestOutputHelper output)
{
    public static TheoryData<string> CaseNames => new(CaseCatalog.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void CaseMatchesExpectationOnTheGpu(string name)
    {
        CudaContext context = gpu.Context;
        var kernelCase = CaseCatalog.Get(name);
        Assert.SkipWhen(context.Device.Sm < kernelCase.MinimumSm, $"{name} needs sm_{kernelCase.MinimumSm}; this GPU is sm_{context.Device.Sm}.");
        var actual = kernelCase.RunGpu(context);
        var problems = CaseComparison.Compare(kernelCase.Expected(), actual, kernelCase.Tolerance);
        Assert.True(problems.Count == 0, $"{name} ({kernelCase.Kernel}), tolerance {kernelCase.Tolerance}:\n" + string.Join("\n", problems));
    }

    /// <summary>Loads every generated module and reports its resources (a spill is worth knowing about).</summary>
    [Fact]
    public void EveryGeneratedModuleLoads()
    {
        CudaContext context = gpu.Context;
        var report = new StringBuilder();
        foreach (var descriptor in GeneratedDescriptors().OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            if (descriptor.MinimumSm > context.Device.Sm) continue;
            CudaFunction function = context.GetFunction(descriptor);
            report.AppendLine($"{descriptor.Name}: sm_{descriptor.MinimumSm} PTX {descriptor.PtxVersion / 10}.{descriptor.PtxVersion % 10}, " +
                $"{function.Registers} registers, {function.LocalBytes} B local, {function.StaticSharedBytes} B shared, JIT {function.Module.JitMilliseconds:F1} ms");
        }
        output.WriteLine(report.ToString());
    }

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

    private static double Time(CudaContext context, int repetitions, Action<CudaStream> launch)
    {
        var stream = context.DefaultStream;
        launch(stream); // warm-up (JIT, caches)
        using var start = context.CreateEvent();
        using var stop = context.CreateEvent();
        start.Record(stream);
        for (int i = 0; i < repetitions; i++) launch(stream);
        stop.Record(stream);
        stop.Synchronize();
        return stop.ElapsedMillisecondsSince(start) / repetitions;
    }

    /// <summary>The corpus's generated kernels and the model kernels' (Quamba.Kernels.Mamba).</summary>
    private static IEnumerable<KernelDescriptor> GeneratedDescriptors() => typeof(CaseCatalog).Assembly.GetTypes()
        .Concat(typeof(Quamba.Kernels.Mamba.IMamba1Shape).Assembly.GetTypes())
        .Where(t => t.IsNested && t.IsAbstract && t.IsSealed)
        .Select(t => t.GetField("Descriptor")?.GetValue(null))
        .OfType<KernelDescriptor>();
}

internal static class SpanReinterpret
{
    public static ReadOnlyDeviceSpan<UInt4> Reinterpret(this ReadOnlyDeviceSpan<Float4> span) => new(span.Pointer, span.Length);

    public static DeviceSpan<UInt4> Reinterpret(this DeviceSpan<Float4> span) => new(span.Pointer, span.Length);
}
