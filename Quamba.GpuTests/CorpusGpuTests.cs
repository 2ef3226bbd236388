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
