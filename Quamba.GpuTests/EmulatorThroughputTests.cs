using System.Diagnostics;
using Quamba.Kernels;
using Quamba.Kernels.Emulation;

namespace Quamba.GpuTests;

/// <summary>
/// How fast the CPU emulator runs on the GPU machine's cores (an unshared machine, unlike CI). Opt-in with
/// QUAMBA_EMULATOR_BENCH=1: a measurement, not a pass/fail check.
/// </summary>
public class EmulatorThroughputTests(ITestOutputHelper output)
{
    private static void RequireOptIn() =>
        Assert.SkipUnless(Environment.GetEnvironmentVariable("QUAMBA_EMULATOR_BENCH") == "1", "Set QUAMBA_EMULATOR_BENCH=1 to measure the emulator.");

    [Fact]
    public void MillionThreadKernels()
    {
        RequireOptIn();
        const int blocks = 4096, threads = 256, n = blocks * threads;
        using var data = new HostBuffer<float>(n);
        DeviceSpan<float> d = data.AsDeviceSpan();

        void Measure(string what, Action kernel)
        {
            var watch = Stopwatch.StartNew();
            KernelEmulator.Run(blocks, threads, kernel);
            output.WriteLine($"{Environment.ProcessorCount} cores, {n} threads, {what}: {watch.ElapsedMilliseconds} ms");
        }

        Measure("no collectives", () =>
        {
            int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
            d[i] = d[i] * 0.5f + 1f;
        });
        Measure("1 barrier", () =>
        {
            DeviceSpan<float> s = SharedMemory.Allocate<float>(threads);
            int t = Gpu.ThreadIdxX;
            s[t] = d[Gpu.BlockIdxX * threads + t];
            Gpu.SyncThreads();
            d[Gpu.BlockIdxX * threads + t] = s[threads - 1 - t];
        });
        Measure("5 shuffles", () =>
        {
            int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
            float v = d[i];
            for (int offset = 16; offset > 0; offset /= 2) v += Warp.ShuffleXor(v, offset);
            d[i] = v;
        });
    }
}
