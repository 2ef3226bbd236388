using System.Diagnostics;
using Quamba.Kernels;
using Quamba.Kernels.Emulation;

namespace Quamba.Tests.Emulation;

public class KernelEmulatorTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryThreadRunsOnceWithItsCoordinates()
    {
        var config = new LaunchConfig(new Dim3(3, 2, 2), new Dim3(8, 4, 2));
        int total = (int)(config.Grid.Volume * config.Block.Volume);
        using var ids = new HostBuffer<int>(total);
        using var dims = new HostBuffer<int>(6);
        ids.Span.Fill(int.MinValue);
        DeviceSpan<int> idSpan = ids.AsDeviceSpan(), dimSpan = dims.AsDeviceSpan();

        KernelEmulator.Run(config, () => EmulatorTestKernels.Geometry(idSpan, dimSpan));

        Assert.Equal(Enumerable.Range(0, total), ids.ToArray());
        Assert.Equal(new[] { 8, 4, 2, 3, 2, 2 }, dims.ToArray());
    }

    [Fact]
    public void BlockReductionWithBarriersMatchesReference()
    {
        const int blocks = 64, threads = 256;
        int[] data = Enumerable.Range(0, blocks * threads).Select(i => (i * 7919) % 1000 - 500).ToArray();
        using var input = HostBuffer<int>.From(data);
        using var sums = new HostBuffer<int>(blocks);
        ReadOnlyDeviceSpan<int> inSpan = input.AsReadOnlyDeviceSpan();
        DeviceSpan<int> outSpan = sums.AsDeviceSpan();

        KernelEmulator.Run(blocks, threads, () => EmulatorTestKernels.BlockSum(inSpan, outSpan));

        int[] expected = Enumerable.Range(0, blocks).Select(b => data.Skip(b * threads).Take(threads).Sum()).ToArray();
        Assert.Equal(expected, sums.ToArray());
    }

    [Fact]
    public void BarrierMakesNeighbourWritesVisible()
    {
        // Without a real barrier thread t would read its neighbour's slot before the neighbour wrote it
        // (garbage, since shared memory is not zeroed).
        const int threads = 128;
        using var result = new HostBuffer<int>(threads * 4);
        DeviceSpan<int> r = result.AsDeviceSpan();
        KernelEmulator.Run(4, threads, () =>
        {
            DeviceSpan<int> s = SharedMemory.Allocate<int>(threads);
            int t = Gpu.ThreadIdxX;
            s[t] = t * 10 + Gpu.BlockIdxX;
            Gpu.SyncThreads();
            r[Gpu.BlockIdxX * threads + t] = s[(t + 1) % threads];
        });
        int[] expected = Enumerable.Range(0, 4 * threads).Select(i => (i % threads + 1) % threads * 10 + i / threads).ToArray();
        Assert.Equal(expected, result.ToArray());
    }

    [Fact]
    public void ManyBarriersKeepThreadsInStep()
    {
        // Each round every thread increments one shared counter; after the barrier all must see the same round total.
        const int threads = 64, rounds = 20;
        using var bad = new HostBuffer<int>(1);
        DeviceSpan<int> badSpan = bad.AsDeviceSpan();
        KernelEmulator.Run(8, threads, () =>
        {
            DeviceSpan<int> counter = SharedMemory.Allocate<int>(1);
            if (Gpu.ThreadIdxX == 0) counter[0] = 0;
            Gpu.SyncThreads();
            for (int round = 1; round <= rounds; round++)
            {
                Atomic.Add(ref counter[0], 1);
                Gpu.SyncThreads();
                if (counter[0] != round * threads) Atomic.Add(ref badSpan[0], 1);
                Gpu.SyncThreads();
            }
        });
        Assert.Equal(0, bad.Span[0]);
    }

    [Fact]
    public void WarpShuffleReductionMatchesReference()
    {
        const int blocks = 256, threads = 256;
        var random = new Random(1);
        float[] data = Enumerable.Range(0, blocks * threads).Select(_ => (float)random.Next(-8, 9)).ToArray();
        using var input = HostBuffer<float>.From(data);
        using var sums = new HostBuffer<float>(blocks);
        ReadOnlyDeviceSpan<float> inSpan = input.AsReadOnlyDeviceSpan();
        DeviceSpan<float> outSpan = sums.AsDeviceSpan();

        var watch = Stopwatch.StartNew();
        KernelEmulator.Run(blocks, threads, () => EmulatorTestKernels.WarpBlockSum(inSpan, outSpan));
        output.WriteLine($"{blocks * threads} threads, 10 shuffles + 1 barrier each: {watch.ElapsedMilliseconds} ms");

        // Small integers: every order of summation is exact.
        float[] expected = Enumerable.Range(0, blocks).Select(b => data.Skip(b * threads).Take(threads).Sum()).ToArray();
        Assert.Equal(expected, sums.ToArray());
    }

    [Fact]
    public void MillionThreadsWithABarrierRunInSeconds()
    {
        // One barrier: every thread parks once, so this measures the emulator's thread-switch cost.
        const int blocks = 4096, threads = 256;
        using var result = new HostBuffer<int>(blocks * threads);
        DeviceSpan<int> r = result.AsDeviceSpan();
        var watch = Stopwatch.StartNew();
        KernelEmulator.Run(blocks, threads, () =>
        {
            DeviceSpan<int> s = SharedMemory.Allocate<int>(threads);
            int t = Gpu.ThreadIdxX;
            s[t] = t + Gpu.BlockIdxX;
            Gpu.SyncThreads();
            r[Gpu.BlockIdxX * threads + t] = s[threads - 1 - t];
        });
        output.WriteLine($"{blocks * threads} threads, 1 barrier each: {watch.ElapsedMilliseconds} ms");
        for (int i = 0; i < blocks * threads; i += 997)
            Assert.Equal(threads - 1 - i % threads + i / threads, result.Span[i]);
    }

    [Fact]
    public void MillionThreadsWithoutCollectivesRunAsALoop()
    {
        const int n = 1 << 20;
        using var a = new HostBuffer<float>(n);
        for (int i = 0; i < n; i++) a.Span[i] = i;
        DeviceSpan<float> s = a.AsDeviceSpan();
        var watch = Stopwatch.StartNew();
        KernelEmulator.Run(n / 256, 256, () =>
        {
            int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
            s[i] = s[i] * 2f + 1f;
        });
        output.WriteLine($"{n} threads, no collectives: {watch.ElapsedMilliseconds} ms");
        for (int i = 0; i < n; i += 4099) Assert.Equal(i * 2f + 1f, a.Span[i]);
        Assert.Equal((n - 1) * 2f + 1f, a.Span[n - 1]);
    }

    [Fact]
    public void IntrinsicsOutsideAKernelExplainThemselves()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Gpu.ThreadIdxX);
        Assert.Contains("KernelEmulator.Run", e.Message);
        Assert.Throws<InvalidOperationException>(() => Gpu.SyncThreads());
        Assert.Throws<InvalidOperationException>(() => Warp.Ballot(true));
        Assert.Throws<InvalidOperationException>(() => SharedMemory.Allocate<int>(4));
    }

    [Fact]
    public void IsDeviceIsFalseOnTheEmulator()
    {
        using var flag = new HostBuffer<int>(1);
        DeviceSpan<int> f = flag.AsDeviceSpan();
        KernelEmulator.Run(1, 1, () => f[0] = Gpu.IsDevice ? 1 : 2);
        Assert.Equal(2, flag.Span[0]);
    }

    [Fact]
    public void LaunchesReuseCarrierThreads()
    {
        using var sink = new HostBuffer<int>(64);
        DeviceSpan<int> s = sink.AsDeviceSpan();
        void Launch() => KernelEmulator.Run(2, 64, () =>
        {
            int v = Warp.ShuffleXor(Gpu.ThreadIdxX, 1);
            Gpu.SyncThreads();
            if (Gpu.BlockIdxX == 0) s[Gpu.ThreadIdxX] = v;
        });
        Launch();
        int before = Carrier.Created;
        for (int i = 0; i < 20; i++) Launch();
        // Other tests may run launches concurrently, so allow some growth, but not 20 launches' worth.
        Assert.True(Carrier.Created - before < 20 * 64, $"{Carrier.Created - before} carriers were created for 20 small launches");
        Assert.Equal(Enumerable.Range(0, 64).Select(t => t ^ 1), sink.ToArray());
    }
}
