using Quamba.Kernels;
using Quamba.Kernels.Cuda;

namespace Quamba.GpuTests;

public class ModuleAndLaunchTests(GpuFixture gpu, ITestOutputHelper output)
{
    private static KernelDescriptor VectorAdd(int sm = 80, int ptx = 80) =>
        new("GpuTests.VectorAdd", "vector_add", System.Text.Encoding.UTF8.GetBytes(Ptx.VectorAdd), sm, ptx);

    [Fact]
    public void VectorAddGivesExactSums()
    {
        CudaContext context = gpu.Context;
        const int n = 1_000_003;
        float[] a = Enumerable.Range(0, n).Select(i => (float)(i % 977) * 0.5f).ToArray();
        float[] b = Enumerable.Range(0, n).Select(i => -(float)(i % 331)).ToArray();
        using CudaBuffer<float> da = context.Allocate<float>(n), db = context.Allocate<float>(n), dc = context.Allocate<float>(n);
        da.CopyFrom(a);
        db.CopyFrom(b);
        dc.Fill32(0x7FC00000); // NaN: every element must be written
        CudaFunction add = context.GetFunction(VectorAdd());

        add.Launch(new LaunchConfig((n + 255) / 256, 256), null, da.DevicePointer, db.DevicePointer, dc.DevicePointer, n);
        float[] c = dc.ToArray();
        for (int i = 0; i < n; i++)
            if (c[i] != a[i] + b[i]) Assert.Fail($"c[{i}] = {c[i]}, expected {a[i] + b[i]}");
    }

    [Fact]
    public void ModulesLoadOncePerContextAndReportTheirJit()
    {
        CudaContext context = gpu.Context;
        KernelDescriptor kernel = VectorAdd();
        CudaFunction first = context.GetFunction(kernel);
        Assert.Same(first, context.GetFunction(kernel));
        output.WriteLine($"JIT {first.Module.JitMilliseconds:F1} ms; info log:\n{first.Module.InfoLog}");
        Assert.True(first.Module.JitMilliseconds >= 0);

        CudaModule module = context.LoadModule(Ptx.Dot4, "dot4");
        Assert.Same(module.GetFunction("dot4"), module.GetFunction("dot4"));
        var missing = Assert.Throws<CudaException>(() => module.GetFunction("no_such_entry"));
        Assert.Equal("CUDA_ERROR_NOT_FOUND", missing.ErrorName);
        Assert.Contains("no_such_entry", missing.Message);
    }

    [Fact]
    public void BrokenPtxFailsWithTheJitErrorLog()
    {
        CudaContext context = gpu.Context;
        var e = Assert.Throws<CudaException>(() => context.LoadModule(Ptx.Broken, "broken"));
        output.WriteLine(e.Message);
        Assert.Equal("CUDA_ERROR_INVALID_PTX", e.ErrorName);
        Assert.Equal(218, e.ErrorCode);
        Assert.NotNull(e.JitErrorLog);
        Assert.Contains("error", e.JitErrorLog, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("line 9", e.JitErrorLog); // ptxas names the line of the undeclared %r99
        Assert.Contains("Loading PTX module broken (cuModuleLoadDataEx) failed: CUDA_ERROR_INVALID_PTX", e.Message);
        Assert.Contains(e.JitErrorLog, e.Message);
    }

    [Fact]
    public void FunctionAttributesDescribeTheCompiledKernel()
    {
        CudaContext context = gpu.Context;
        CudaFunction add = context.GetFunction(VectorAdd());
        output.WriteLine(add.ToString());
        Assert.InRange(add.Registers, 1, 255);
        Assert.Equal(0, add.LocalBytes);
        Assert.Equal(0, add.StaticSharedBytes);
        Assert.Equal(1024, add.MaxThreadsPerBlock);
        Assert.Equal(80, add.PtxVersion);
        Assert.Equal(context.Device.Sm, add.BinaryVersion);
    }

    [Fact]
    public void Dp4aMatchesTheCpuDefinition()
    {
        CudaContext context = gpu.Context;
        const int n = 65536;
        var random = new Random(7);
        int[] a = Enumerable.Range(0, n).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray();
        int[] b = Enumerable.Range(0, n).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray();
        a[0] = unchecked((int)0x80807F7F); b[0] = unchecked((int)0x807F807F); // the extremes
        using CudaBuffer<int> da = context.Allocate<int>(n), db = context.Allocate<int>(n), dout = context.Allocate<int>(n);
        da.CopyFrom(a);
        db.CopyFrom(b);
        CudaFunction dot = context.LoadModule(Ptx.Dot4, "dot4").GetFunction("dot4");
        dot.Launch(new LaunchConfig(n / 128, 128), null, da.DevicePointer, db.DevicePointer, dout.DevicePointer, n);
        int[] result = dout.ToArray();
        for (int i = 0; i < n; i++) Assert.Equal(DeviceMath.Dp4a(a[i], b[i], i), result[i]);
    }

    [Fact]
    public void DynamicSharedMemoryAbove48KilobytesIsOptedInOnLaunch()
    {
        CudaContext context = gpu.Context;
        CudaFunction sum = context.LoadModule(Ptx.SharedSum, "shared_sum").GetFunction("shared_sum");
        Assert.Equal(48 * 1024, sum.MaxDynamicSharedBytes);
        const int bytes = 100 * 1024, words = bytes / 4, blocks = 8;
        using CudaBuffer<uint> result = context.Allocate<uint>(blocks);
        sum.Launch(new LaunchConfig(blocks, 256, bytes), null, result.DevicePointer, (uint)words);
        Assert.All(result.ToArray(), s => Assert.Equal((uint)((long)words * (words - 1) / 2), s));
        Assert.True(sum.MaxDynamicSharedBytes >= bytes);

        var tooMuch = Assert.Throws<ArgumentOutOfRangeException>(() => sum.SetMaxDynamicSharedMemory(context.Device.MaxSharedMemoryPerBlockOptIn + 1));
        Assert.Contains("dynamic shared memory", tooMuch.Message);
    }

    [Fact]
    public void InvalidLaunchesAreRefusedBeforeTheDriver()
    {
        CudaContext context = gpu.Context;
        CudaFunction add = context.GetFunction(VectorAdd());
        var e = Assert.Throws<ArgumentException>(() => add.Launch(new LaunchConfig(1, new Dim3(64, 32)), null, 0ul, 0ul, 0ul, 0));
        Assert.Contains("has 2048 threads; a block holds at most 1024", e.Message);
        Assert.Contains("vector_add", e.Message);
        var dims = Assert.Throws<ArgumentException>(() => add.Launch(new LaunchConfig(1, 2048), null, 0ul, 0ul, 0ul, 0));
        Assert.Contains("block (2048,1,1) exceeds the per-dimension limits (1024,1024,64)", dims.Message);
    }

    [Fact]
    public void KernelsNeedingANewerGpuOrDriverAreRefusedWithTheReason()
    {
        CudaContext context = gpu.Context;
        var sm = Assert.Throws<CudaException>(() => context.GetFunction(VectorAdd(sm: 200)));
        output.WriteLine(sm.Message);
        Assert.Contains($"needs sm_200 (compute capability 20.0) but {context.Device.Name} is sm_{context.Device.Sm}", sm.Message);

        var driver = Assert.Throws<CudaException>(() => context.GetFunction(VectorAdd(ptx: 99)));
        output.WriteLine(driver.Message);
        Assert.Contains("is PTX ISA 9.9, which needs a CUDA 13.9 driver, but the installed driver supports CUDA " +
                        CudaDriver.FormatVersion(context.DriverVersion), driver.Message);
    }
}
