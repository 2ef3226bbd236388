using System.Runtime.CompilerServices;
using Quamba.Kernels;
using Quamba.Kernels.Emulation;

namespace Quamba.Tests.Emulation;

public class SharedMemoryTests
{
    [Fact]
    public void EachBlockHasItsOwnArraysAndEveryThreadSeesTheSameOnes()
    {
        const int blocks = 6, threads = 64;
        using var result = new HostBuffer<int>(blocks * threads);
        DeviceSpan<int> r = result.AsDeviceSpan();
        KernelEmulator.Run(blocks, threads, () =>
        {
            DeviceSpan<int> a = SharedMemory.Allocate<int>(threads);
            DeviceSpan<long> b = SharedMemory.Allocate<long>(1);
            int t = Gpu.ThreadIdxX;
            a[t] = Gpu.BlockIdxX;
            if (t == 0) b[0] = 0;
            Gpu.SyncThreads();
            Atomic.Add(ref Unsafe.As<long, ulong>(ref b[0]), (ulong)a[threads - 1 - t]);
            Gpu.SyncThreads();
            r[Gpu.BlockIdxX * threads + t] = (int)b[0];
        });
        Assert.Equal(Enumerable.Range(0, blocks * threads).Select(i => i / threads * threads), result.ToArray());
    }

    [Fact]
    public void SharedMemoryIsNotZeroed()
    {
        using var ints = new HostBuffer<int>(2);
        using var floats = new HostBuffer<float>(2);
        using var halves = new HostBuffer<ushort>(2);
        DeviceSpan<int> i = ints.AsDeviceSpan();
        DeviceSpan<float> f = floats.AsDeviceSpan();
        DeviceSpan<ushort> h = halves.AsDeviceSpan();
        KernelEmulator.Run(new LaunchConfig(2, 1, 64), () =>
        {
            DeviceSpan<int> si = SharedMemory.Allocate<int>(4);
            DeviceSpan<float> sf = SharedMemory.Allocate<float>(4);
            DeviceSpan<Half> sh = SharedMemory.Allocate<Half>(4);
            DeviceSpan<int> dyn = SharedMemory.Dynamic<int>();
            int b = Gpu.BlockIdxX;
            i[b] = si[3] ^ dyn[15];
            f[b] = sf[2];
            h[b] = BitConverter.HalfToUInt16Bits(sh[1]);
            si[3] = 0; sf[2] = 0; dyn[15] = 0; // the next block must see garbage again
        });
        Assert.Equal(new[] { 0, 0 }, ints.ToArray()); // both read 0xCDCDCDCD, so the xor is 0 ...
        Assert.True(float.IsNaN(floats.Span[0]) && float.IsNaN(floats.Span[1]));
        Assert.True(Half.IsNaN(BitConverter.UInt16BitsToHalf(halves.Span[1])));

        using var raw = new HostBuffer<int>(1);
        DeviceSpan<int> rr = raw.AsDeviceSpan();
        KernelEmulator.Run(1, 1, () => rr[0] = SharedMemory.Allocate<int>(1)[0]);
        Assert.Equal(unchecked((int)0xCDCDCDCD), raw.Span[0]); // ... because each is exactly this pattern
    }

    [Fact]
    public void DynamicSharedMemoryHasTheLaunchSizeInAnyElementType()
    {
        const int bytes = 64 * 1024; // above the 48 KB static limit
        using var lengths = new HostBuffer<int>(3);
        using var sums = new HostBuffer<int>(2);
        DeviceSpan<int> l = lengths.AsDeviceSpan(), s = sums.AsDeviceSpan();
        KernelEmulator.Run(new LaunchConfig(2, 256, bytes), () =>
        {
            DeviceSpan<int> words = SharedMemory.Dynamic<int>();
            DeviceSpan<byte> raw = SharedMemory.Dynamic<byte>();
            DeviceSpan<double> doubles = SharedMemory.Dynamic<double>();
            int t = Gpu.ThreadIdxX;
            if (Gpu.BlockIdxX == 0 && t == 0) { l[0] = words.Length; l[1] = raw.Length; l[2] = doubles.Length; }
            for (int k = t; k < words.Length; k += Gpu.BlockDimX) words[k] = 1;
            Gpu.SyncThreads();
            if (t == 0)
            {
                int total = 0;
                for (int k = 0; k < raw.Length; k += 4) total += raw[k]; // low byte of each word
                s[Gpu.BlockIdxX] = total;
            }
        });
        Assert.Equal(new[] { bytes / 4, bytes, bytes / 8 }, lengths.ToArray());
        Assert.Equal(new[] { bytes / 4, bytes / 4 }, sums.ToArray());
    }

    [Fact]
    public void WithoutDynamicSharedMemoryTheViewIsEmpty()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(1, 1, () => SharedMemory.Dynamic<float>()[0] = 1f));
        Assert.IsType<IndexOutOfRangeException>(e.InnerException);
    }

    [Fact]
    public void AllocationsInDifferentOrderAreReported()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(1, 2, () =>
        {
            if (Gpu.ThreadIdxX == 0) SharedMemory.Allocate<int>(8);
            else SharedMemory.Allocate<float>(8);
        }));
        Assert.Contains("Single[8] in this thread but Int32[8] in another thread", e.Message);
        Assert.Contains("thread (1,0,0)", e.Message);
    }

    [Fact]
    public void StaticSharedMemoryAbove48KilobytesIsReported()
    {
        var e = Assert.Throws<KernelEmulationException>(() => KernelEmulator.Run(1, 1, () =>
        {
            SharedMemory.Allocate<float>(8 * 1024);
            SharedMemory.Allocate<float>(4 * 1024 + 1);
        }));
        Assert.Contains("above the 49152 bytes (48 KB)", e.Message);
        Assert.Contains("SharedMemory.Dynamic", e.Message);
    }

    [Fact]
    public void AtomicsOnSharedMemoryAreAtomicAcrossTheBlock()
    {
        using var result = new HostBuffer<int>(3);
        DeviceSpan<int> r = result.AsDeviceSpan();
        KernelEmulator.Run(1, 512, () =>
        {
            DeviceSpan<int> s = SharedMemory.Allocate<int>(3);
            int t = Gpu.ThreadIdxX;
            if (t == 0) { s[0] = 0; s[1] = int.MinValue; s[2] = int.MaxValue; }
            Gpu.SyncThreads();
            Atomic.Add(ref s[0], t);
            Atomic.Max(ref s[1], t * 3 - 700);
            Atomic.Min(ref s[2], t * 3 - 700);
            Gpu.SyncThreads();
            if (t == 0) { r[0] = s[0]; r[1] = s[1]; r[2] = s[2]; }
        });
        Assert.Equal(new[] { 511 * 512 / 2, 511 * 3 - 700, -700 }, result.ToArray());
    }
}
