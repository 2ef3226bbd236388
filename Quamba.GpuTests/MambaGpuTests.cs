using System.Text;
using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;
using Quamba.TestKernels.Mamba;
using Conv = Quamba.Kernels.Mamba.CausalConv1dKernels;
using H = Quamba.Kernels.Mamba.HadamardKernels;
using Norm = Quamba.Kernels.Mamba.RmsNormKernels;
using S1 = Quamba.Kernels.Mamba.Mamba1ScanKernels;
using S2 = Quamba.Kernels.Mamba.Mamba2SsdKernels;

namespace Quamba.GpuTests;

/// <summary>
/// The model kernels at the published shapes on a GPU: full-length (2048-token) prefills against the C# references,
/// and (QUAMBA_GPU_BENCH=1) timings. The short cases of every instance run in CorpusGpuTests.
/// </summary>
[Collection(nameof(GraphCaptureCollection))]
public class MambaGpuTests(GpuFixture gpu, ITestOutputHelper output)
{
    private const int Tokens = 2048;

    public static TheoryData<string> LongCaseNames => new(LongCases.Keys);

    /// <summary>Built on demand: each holds tens of MB of inputs.</summary>
    private static readonly Dictionary<string, Func<KernelCase>> LongCases = new()
    {
        ["HadamardQuantize<Hadamard5120>"] = () => new HadamardQuantizeCase<Hadamard5120>(H.HadamardQuantizeKernel_Hadamard5120.Emulate, H.HadamardQuantizeKernel_Hadamard5120.Launch, rows: Tokens),
        ["HadamardRotate<Hadamard5120>"] = () => new HadamardRotateCase<Hadamard5120>(H.HadamardRotateKernel_Hadamard5120.Emulate, H.HadamardRotateKernel_Hadamard5120.Launch, rows: Tokens),
        ["HadamardQuantize<Hadamard1536>"] = () => new HadamardQuantizeCase<Hadamard1536>(H.HadamardQuantizeKernel_Hadamard1536.Emulate, H.HadamardQuantizeKernel_Hadamard1536.Launch, rows: Tokens),
        ["HadamardQuantize<Hadamard4096>"] = () => new HadamardQuantizeCase<Hadamard4096>(H.HadamardQuantizeKernel_Hadamard4096.Emulate, H.HadamardQuantizeKernel_Hadamard4096.Launch, rows: Tokens),
        ["Mamba1ConvPrefill<Mamba1_2p8B>"] = () => Mamba1ConvCase<Mamba1_2p8B>.Prefill(Conv.Mamba1ConvPrefillKernel_Mamba1_2p8B.Emulate, Conv.Mamba1ConvPrefillKernel_Mamba1_2p8B.Launch, 1, Tokens),
        ["Mamba2ConvPrefill<Mamba2_2p7B>"] = () => Mamba2ConvCase<Mamba2_2p7B>.Prefill(Conv.Mamba2ConvPrefillKernel_Mamba2_2p7B.Emulate, Conv.Mamba2ConvPrefillKernel_Mamba2_2p7B.Launch, 1, Tokens),
        ["Mamba1ScanPrefill<Mamba1_2p8B,Fp32State>"] = () => Mamba1ScanPrefill<Fp32State>(S1.Mamba1ScanPrefillKernel_Mamba1_2p8B_Fp32State.Emulate, S1.Mamba1ScanPrefillKernel_Mamba1_2p8B_Fp32State.Launch),
        ["Mamba1ScanPrefill<Mamba1_2p8B,Int8State>"] = () => Mamba1ScanPrefill<Int8State>(S1.Mamba1ScanPrefillKernel_Mamba1_2p8B_Int8State.Emulate, S1.Mamba1ScanPrefillKernel_Mamba1_2p8B_Int8State.Launch),
        ["Mamba1ScanPrefillA16<Mamba1_2p8B,Fp16State>"] = () => Mamba1ScanA16Case<Mamba1_2p8B, Fp16State>.Prefill(S1.Mamba1ScanPrefillA16Kernel_Mamba1_2p8B_Fp16State.Emulate, S1.Mamba1ScanPrefillA16Kernel_Mamba1_2p8B_Fp16State.Launch, 1, Tokens),
        ["Mamba2SsdPrefill<Mamba2_2p7B,Fp32State>"] = () => Mamba2SsdPrefill<Fp32State>(S2.Mamba2SsdPrefillKernel_Mamba2_2p7B_Fp32State.Emulate, S2.Mamba2SsdPrefillKernel_Mamba2_2p7B_Fp32State.Launch),
        ["Mamba2SsdPrefill<Mamba2_2p7B,Int8State>"] = () => Mamba2SsdPrefill<Int8State>(S2.Mamba2SsdPrefillKernel_Mamba2_2p7B_Int8State.Emulate, S2.Mamba2SsdPrefillKernel_Mamba2_2p7B_Int8State.Launch),
        ["Mamba2SsdPrefillA16<Mamba2_2p7B,Fp16State>"] = () => Mamba2SsdA16Case<Mamba2_2p7B, Fp16State>.Prefill(S2.Mamba2SsdPrefillA16Kernel_Mamba2_2p7B_Fp16State.Emulate, S2.Mamba2SsdPrefillA16Kernel_Mamba2_2p7B_Fp16State.Launch, 1, Tokens),
    };

    private static KernelCase Mamba1ScanPrefill<TState>(Mamba1ScanPrefillEmulate<TState> emulate, Mamba1ScanPrefillLaunch<TState> launch) where TState : unmanaged, ISsmState<TState> =>
        Mamba1ScanCase<Mamba1_2p8B, TState>.Prefill(emulate, launch, 1, Tokens);

    private static KernelCase Mamba2SsdPrefill<TState>(Mamba2SsdPrefillEmulate<TState> emulate, Mamba2SsdPrefillLaunch<TState> launch) where TState : unmanaged, ISsmState<TState> =>
        Mamba2SsdCase<Mamba2_2p7B, TState>.Prefill(emulate, launch, 1, Tokens);

    /// <summary>2048-token prefills at the published shapes against the references (the SSD over 64 steps of 32 tokens).</summary>
    [Theory]
    [MemberData(nameof(LongCaseNames))]
    public void LongPrefillMatchesReference(string name)
    {
        CudaContext context = gpu.Context;
        var kernelCase = LongCases[name]();
        Assert.SkipWhen(context.Device.Sm < kernelCase.MinimumSm, $"needs sm_{kernelCase.MinimumSm}");
        var actual = kernelCase.RunGpu(context);
        var expected = kernelCase.Expected();
        output.WriteLine(Describe(expected, actual));
        var problems = CaseComparison.Compare(expected, actual, kernelCase.Tolerance);
        Assert.True(problems.Count == 0, $"{name} at {Tokens} tokens, tolerance {kernelCase.Tolerance}:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// Kernel times at the published shapes (opt-in: QUAMBA_GPU_BENCH=1; the report is also appended to the file
    /// QUAMBA_BENCH_OUT names), each launch replayed from a CUDA graph. The Hadamard rows are compared with a
    /// device-to-device copy of their input measured in the same run (the bandwidth yardstick).
    /// </summary>
    [Fact]
    public void BenchmarkMambaKernels()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("QUAMBA_GPU_BENCH") == "1", "Set QUAMBA_GPU_BENCH=1 to time the model kernels.");
        CudaContext context = gpu.Context;
        var report = new StringBuilder();
        report.AppendLine($"{context.Device.Name}, sm_{context.Device.Sm}, driver {CudaDriver.FormatVersion(context.DriverVersion)}");

        // Prefill at 2048 tokens, batch 1: the Hadamard at three widths, int8 and float out, against the copy.
        TimeHadamard<Hadamard5120>(report, H.HadamardQuantizeKernel_Hadamard5120.Emulate, H.HadamardQuantizeKernel_Hadamard5120.Launch,
            H.HadamardRotateKernel_Hadamard5120.Emulate, H.HadamardRotateKernel_Hadamard5120.Launch);
        TimeHadamard<Hadamard1536>(report, H.HadamardQuantizeKernel_Hadamard1536.Emulate, H.HadamardQuantizeKernel_Hadamard1536.Launch,
            H.HadamardRotateKernel_Hadamard1536.Emulate, H.HadamardRotateKernel_Hadamard1536.Launch);
        TimeHadamard<Hadamard4096>(report, H.HadamardQuantizeKernel_Hadamard4096.Emulate, H.HadamardQuantizeKernel_Hadamard4096.Launch,
            H.HadamardRotateKernel_Hadamard4096.Emulate, H.HadamardRotateKernel_Hadamard4096.Launch);
        Time(report, new ResidualRmsNormCase<Row2560>(Norm.ResidualRmsNormQuantizeKernel_Row2560.Emulate, Norm.ResidualRmsNormQuantizeKernel_Row2560.Launch,
            Norm.ResidualRmsNormKernel_Row2560.Emulate, Norm.ResidualRmsNormKernel_Row2560.Launch, rows: Tokens), us => $"{Tokens / us:F2} Mtok/s");
        Time(report, Mamba1ConvCase<Mamba1_2p8B>.Prefill(Conv.Mamba1ConvPrefillKernel_Mamba1_2p8B.Emulate, Conv.Mamba1ConvPrefillKernel_Mamba1_2p8B.Launch, 1, Tokens), us => $"{Tokens / us:F2} Mtok/s");
        Time(report, Mamba2ConvCase<Mamba2_2p7B>.Prefill(Conv.Mamba2ConvPrefillKernel_Mamba2_2p7B.Emulate, Conv.Mamba2ConvPrefillKernel_Mamba2_2p7B.Launch, 1, Tokens), us => $"{Tokens / us:F2} Mtok/s");
        foreach (var name in LongCases.Keys.Where(k => k.StartsWith("Mamba1Scan", StringComparison.Ordinal) || k.StartsWith("Mamba2Ssd", StringComparison.Ordinal)))
            Time(report, LongCases[name](), us => $"{Tokens / us:F2} Mtok/s");

        // Decode, batch 1: the kernels of one layer apart from its GEMMs.
        report.AppendLine("decode, batch 1, one token:");
        double m1 = Time(report, new ResidualRmsNormCase<Row2560>(Norm.ResidualRmsNormQuantizeKernel_Row2560.Emulate, Norm.ResidualRmsNormQuantizeKernel_Row2560.Launch,
                Norm.ResidualRmsNormKernel_Row2560.Emulate, Norm.ResidualRmsNormKernel_Row2560.Launch, rows: 1, decode: true), null, firstLaunchOnly: true)
            + Time(report, Mamba1ConvCase<Mamba1_2p8B>.Step(Conv.Mamba1ConvStepKernel_Mamba1_2p8B.Emulate, Conv.Mamba1ConvStepKernel_Mamba1_2p8B.Launch, 1), null)
            + Time(report, Mamba1ScanCase<Mamba1_2p8B, Fp32State>.Step(S1.Mamba1ScanStepKernel_Mamba1_2p8B_Fp32State.Emulate, S1.Mamba1ScanStepKernel_Mamba1_2p8B_Fp32State.Launch, 1), null)
            + Time(report, new HadamardQuantizeCase<Hadamard5120>(H.HadamardQuantizeKernel_Hadamard5120.Emulate, H.HadamardQuantizeKernel_Hadamard5120.Launch, rows: 1), null);
        report.AppendLine($"  mamba-2.8b layer (norm + conv + scan + Hadamard): {m1:F2} us");
        double m2 = Time(report, new ResidualRmsNormCase<Row2560>(Norm.ResidualRmsNormQuantizeKernel_Row2560.Emulate, Norm.ResidualRmsNormQuantizeKernel_Row2560.Launch,
                Norm.ResidualRmsNormKernel_Row2560.Emulate, Norm.ResidualRmsNormKernel_Row2560.Launch, rows: 1, decode: true), null, firstLaunchOnly: true)
            + Time(report, Mamba2ConvCase<Mamba2_2p7B>.Step(Conv.Mamba2ConvStepKernel_Mamba2_2p7B.Emulate, Conv.Mamba2ConvStepKernel_Mamba2_2p7B.Launch, 1), null)
            + Time(report, Mamba2SsdCase<Mamba2_2p7B, Fp32State>.Step(S2.Mamba2SsdStepKernel_Mamba2_2p7B_Fp32State.Emulate, S2.Mamba2SsdStepKernel_Mamba2_2p7B_Fp32State.Launch, 1), null)
            + Time(report, new GatedRmsNormCase<Mamba2_2p7B>(Norm.GatedRmsNormKernel_Mamba2_2p7B.Emulate, Norm.GatedRmsNormKernel_Mamba2_2p7B.Launch, rows: 1, decode: true), null)
            + Time(report, new HadamardQuantizeCase<Hadamard5120>(H.HadamardQuantizeKernel_Hadamard5120.Emulate, H.HadamardQuantizeKernel_Hadamard5120.Launch, rows: 1), null);
        report.AppendLine($"  mamba2-2.7b layer (norm + conv + SSD + gated norm + Hadamard): {m2:F2} us");
        report.AppendLine("decode steps in the other state precisions (int8: A8 default; fp16: A16 default):");
        Time(report, Mamba1ScanCase<Mamba1_2p8B, Int8State>.Step(S1.Mamba1ScanStepKernel_Mamba1_2p8B_Int8State.Emulate, S1.Mamba1ScanStepKernel_Mamba1_2p8B_Int8State.Launch, 1), null);
        Time(report, Mamba1ScanA16Case<Mamba1_2p8B, Fp16State>.Step(S1.Mamba1ScanStepA16Kernel_Mamba1_2p8B_Fp16State.Emulate, S1.Mamba1ScanStepA16Kernel_Mamba1_2p8B_Fp16State.Launch, 1), null);
        Time(report, Mamba2SsdCase<Mamba2_2p7B, Int8State>.Step(S2.Mamba2SsdStepKernel_Mamba2_2p7B_Int8State.Emulate, S2.Mamba2SsdStepKernel_Mamba2_2p7B_Int8State.Launch, 1), null);
        Time(report, Mamba2SsdA16Case<Mamba2_2p7B, Fp16State>.Step(S2.Mamba2SsdStepA16Kernel_Mamba2_2p7B_Fp16State.Emulate, S2.Mamba2SsdStepA16Kernel_Mamba2_2p7B_Fp16State.Launch, 1), null);
        // The residual norm's float variant on its own row (the case's second launch), as a decode figure too.
        Time(report, new ResidualRmsNormCase<Row2560>(Norm.ResidualRmsNormQuantizeKernel_Row2560.Emulate, Norm.ResidualRmsNormQuantizeKernel_Row2560.Launch,
            Norm.ResidualRmsNormKernel_Row2560.Emulate, Norm.ResidualRmsNormKernel_Row2560.Launch, rows: 1, decode: true), null);
        output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("QUAMBA_BENCH_OUT") is { Length: > 0 } path) File.AppendAllText(path, report.ToString());
    }

    /// <summary>
    /// HadamardQuantize and HadamardRotate over 2048 rows of <typeparamref name="TShape"/>, each as a share of a
    /// device-to-device copy of the same input (rows x n floats) timed the same way in the same run.
    /// </summary>
    private void TimeHadamard<TShape>(StringBuilder report, HadamardQuantizeEmulate quantizeEmulate, HadamardQuantizeLaunch quantizeLaunch,
        HadamardRotateEmulate rotateEmulate, HadamardRotateLaunch rotateLaunch) where TShape : IHadamardShape
    {
        int floats = Tokens * TShape.Width;
        double copyUs = TimeCopy(floats);
        double copyGBs = 2.0 * floats * 4 / copyUs / 1e3;
        report.AppendLine($"  D2D copy of {Tokens} x {TShape.Width} floats ({floats * 4L >> 20} MB): {copyUs:F2} us, {copyGBs:F0} GB/s (read + write)");
        Time(report, new HadamardQuantizeCase<TShape>(quantizeEmulate, quantizeLaunch, rows: Tokens), us => Share(floats * 5.0 / us / 1e3, copyGBs, "4 B in + 1 B out"));
        Time(report, new HadamardRotateCase<TShape>(rotateEmulate, rotateLaunch, rows: Tokens), us => Share(floats * 8.0 / us / 1e3, copyGBs, "4 B in + 4 B out"));
    }

    private static string Share(double gbs, double copyGBs, string traffic) => $"{gbs:F0} GB/s ({traffic}) = {gbs / copyGBs:P0} of the copy";

    /// <summary>Microseconds per device-to-device copy of <paramref name="floats"/> floats (<see cref="GraphTiming"/>, 20 copies per graph).</summary>
    private double TimeCopy(int floats)
    {
        CudaContext context = gpu.Context;
        using var stream = context.CreateStream(nonBlocking: true);
        using var from = context.Allocate<float>(floats);
        using var to = context.Allocate<float>(floats);
        from.FillBytes(1);
        to.CopyFromAsync(from, stream);
        stream.Synchronize();
        return 1000 * GraphTiming.MillisecondsPerLaunch(context, stream, 20, s => to.CopyFromAsync(from, s));
    }

    /// <summary>Times each launch of a case (or only its first); returns the sum in microseconds.</summary>
    private double Time(StringBuilder report, KernelCase kernelCase, Func<double, string>? rate, bool firstLaunchOnly = false)
    {
        using var runner = new TimingRunner(gpu.Context, firstLaunchOnly);
        kernelCase.RunWith(runner);
        double total = 0;
        foreach (var (config, us) in runner.Timings)
        {
            total += us;
            report.AppendLine($"  {kernelCase.Name} grid ({config.Grid.X},{config.Grid.Y},{config.Grid.Z}) x {config.Block.X}, {config.DynamicSharedBytes} B dynamic shared: {us:F2} us" + (rate is null ? "" : ", " + rate(us)));
        }
        return total;
    }

    private static string Describe(IReadOnlyList<CaseOutput> expected, IReadOnlyList<CaseOutput> actual)
    {
        var text = new StringBuilder();
        for (int o = 0; o < expected.Count; o++)
        {
            switch (expected[o].Values)
            {
                case float[] e:
                    {
                        var a = (float[])actual[o].Values;
                        double maxError = 0, maxMagnitude = 0;
                        for (int i = 0; i < e.Length; i++)
                        {
                            maxError = Math.Max(maxError, Math.Abs(e[i] - a[i]));
                            maxMagnitude = Math.Max(maxMagnitude, Math.Abs(e[i]));
                        }
                        text.AppendLine($"{expected[o].Name}: {e.Length} values, max |error| {maxError:G3}, max |expected| {maxMagnitude:G3}");
                        break;
                    }
                case Half[] e:
                    {
                        var a = (Half[])actual[o].Values;
                        int moved = e.Where((v, i) => v != a[i]).Count();
                        text.AppendLine($"{expected[o].Name}: {e.Length} fp16 values, {moved} differ");
                        break;
                    }
                case sbyte[] e:
                    {
                        var a = (sbyte[])actual[o].Values;
                        int moved = 0, worst = 0;
                        for (int i = 0; i < e.Length; i++)
                        {
                            int diff = Math.Abs(e[i] - a[i]);
                            if (diff != 0) moved++;
                            worst = Math.Max(worst, diff);
                        }
                        text.AppendLine($"{expected[o].Name}: {e.Length} codes, {moved} differ (max {worst})");
                        break;
                    }
            }
        }
        return text.ToString();
    }
}

/// <summary>
/// Runs a case on a GPU, timing each launch: one warm-up launch, then <see cref="GraphTiming"/> with
/// <see cref="Repeats"/> copies of the launch per graph; the time per launch excludes the host's launch overhead.
/// </summary>
internal sealed class TimingRunner(CudaContext context, bool firstLaunchOnly) : IKernelRunner
{
    private const int Repeats = 20;
    private readonly GpuRunner _inner = new(context);
    private readonly CudaStream _stream = context.CreateStream(nonBlocking: true);

    public List<(LaunchConfig Config, double Microseconds)> Timings { get; } = new();

    public DeviceSpan<T> Upload<T>(ReadOnlySpan<T> values) where T : unmanaged => _inner.Upload(values);

    public DeviceSpan<T> Allocate<T>(int length) where T : unmanaged => _inner.Allocate<T>(length);

    public T[] Download<T>(DeviceSpan<T> span) where T : unmanaged => _inner.Download(span);

    public void Launch(LaunchConfig config, Action<LaunchConfig> emulate, Action<CudaStream, LaunchConfig> launch)
    {
        if (firstLaunchOnly && Timings.Count > 0) return;
        launch(_stream, config);
        _stream.Synchronize();
        Timings.Add((config, 1000 * GraphTiming.MillisecondsPerLaunch(context, _stream, Repeats, s => launch(s, config))));
    }

    public void Dispose()
    {
        _stream.Dispose();
        _inner.Dispose();
    }
}
