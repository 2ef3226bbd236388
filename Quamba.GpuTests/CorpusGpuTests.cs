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

    /// <summary>Timings of the two benchmarked kernels at full size (opt-in: QUAMBA_GPU_BENCH=1).</summary>
    [Fact]
    public void BenchmarkVectorisedKernels()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("QUAMBA_GPU_BENCH") == "1", "Set QUAMBA_GPU_BENCH=1 to time the benchmarked kernels.");
        CudaContext context = gpu.Context;

        const int elements = 16 << 20; // Float4 elements: 256 MB per array
        using var x = context.Allocate<Float4>(elements);
        using var y = context.Allocate<Float4>(elements);
        x.FillBytes(0);
        y.FillBytes(0);
        int blocks = context.Device.MultiprocessorCount * 8;
        double saxpyMs = Time(context, 20, s => Elementwise.Saxpy4Kernel.Launch(s, new LaunchConfig(blocks, 256), 2f, x.AsReadOnlySpan(), y.AsSpan()));
        double copyMs = Time(context, 20, s => Elementwise.Copy16Kernel.Launch(s, new LaunchConfig(blocks, 256), x.AsReadOnlySpan().Reinterpret(), y.AsSpan().Reinterpret()));
        output.WriteLine($"Saxpy4 {elements * 16L >> 20} MB x3: {saxpyMs:F3} ms, {3.0 * elements * 16 / saxpyMs / 1e6:F0} GB/s");
        output.WriteLine($"Copy16 {elements * 16L >> 20} MB x2: {copyMs:F3} ms, {2.0 * elements * 16 / copyMs / 1e6:F0} GB/s");

        var gemv = new Int8GemvCase(4096, 4096);
        using var weights = context.Allocate<UInt4>(4096 * 4096 / 16);
        using var vector = context.Allocate<UInt4>(4096 / 16);
        using var scales = context.Allocate<float>(4096);
        using var result = context.Allocate<float>(4096);
        weights.CopyFrom(gemv.PackedWeights());
        vector.CopyFrom(gemv.PackedX());
        scales.FillBytes(0);
        double gemvMs = Time(context, 50, s => Dp4aKernels.Int8GemvKernel.Launch(s, gemv.Launch, weights.AsReadOnlySpan(), vector.AsReadOnlySpan(), scales.AsReadOnlySpan(), 1f, result.AsSpan(), 4096 / 16));
        output.WriteLine($"Int8Gemv 4096x4096: {gemvMs * 1000:F1} us, {4096.0 * 4096 / gemvMs / 1e6:F0} GB/s of weights, {2.0 * 4096 * 4096 / gemvMs / 1e6:F0} GOP/s");
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
