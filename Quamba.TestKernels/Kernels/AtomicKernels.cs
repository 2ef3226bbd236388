using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>Atomics on global and shared memory: every Atomic operation and type.</summary>
public static partial class AtomicKernels
{
    public const int Bins = 64;

    /// <summary>A histogram: per-block counts in shared memory (atom on shared), then merged into global counts.</summary>
    [Kernel]
    public static void Histogram(ReadOnlyDeviceSpan<byte> data, DeviceSpan<uint> histogram)
    {
        var local = SharedMemory.Allocate<uint>(Bins);
        int t = Gpu.ThreadIdxX;
        for (int b = t; b < Bins; b += Gpu.BlockDimX) local[b] = 0;
        Gpu.SyncThreads();
        for (int i = Gpu.BlockIdxX * Gpu.BlockDimX + t; i < data.Length; i += Gpu.GridDimX * Gpu.BlockDimX)
        {
            Atomic.Add(ref local[data[i] % Bins], 1u);
        }
        Gpu.SyncThreads();
        for (int b = t; b < Bins; b += Gpu.BlockDimX) Atomic.Add(ref histogram[b], local[b]);
    }

    /// <summary>Every atomic operation on global memory; results are order-independent.</summary>
    [Kernel]
    public static void AtomicOperations(ReadOnlyDeviceSpan<int> values, DeviceSpan<int> ints, DeviceSpan<uint> uints, DeviceSpan<float> floats, DeviceSpan<ulong> longs, DeviceSpan<int> flags)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= values.Length) return;
        int v = values[i];
        Atomic.Add(ref ints[0], v);
        Atomic.Max(ref ints[1], v);
        Atomic.Min(ref ints[2], v);
        Atomic.And(ref ints[3], ~(1 << (i % 31)));
        Atomic.Or(ref ints[4], 1 << (i % 31));
        Atomic.Add(ref uints[0], (uint)v);
        Atomic.Max(ref uints[1], (uint)v);
        Atomic.Min(ref uints[2], (uint)v);
        Atomic.Add(ref floats[0], 0.5f);
        Atomic.Add(ref longs[0], (ulong)(uint)v);
        // Exactly one thread wins the exchange from 0; compare-exchange claims slot i once.
        int previous = Atomic.Exchange(ref ints[5], 1);
        if (previous == 0) Atomic.Add(ref ints[6], 1);
        Atomic.Exchange(ref uints[3], 7u);
        Atomic.Exchange(ref floats[1], 2.5f);
        int seen = Atomic.CompareExchange(ref flags[i], 0, i + 1);
        uint seenU = Atomic.CompareExchange(ref uints[4], 0u, 0u);
        flags[values.Length + i] = seen + (int)(seenU * 0);
    }
}
