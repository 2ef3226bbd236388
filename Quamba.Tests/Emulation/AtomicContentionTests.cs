using System.Runtime.CompilerServices;
using Quamba.Kernels;
using Quamba.Kernels.Emulation;

namespace Quamba.Tests.Emulation;

/// <summary>Blocks run in parallel on every core, so global atomics really contend here.</summary>
public class AtomicContentionTests
{
    private const int Blocks = 512, Threads = 256, Total = Blocks * Threads;

    private static void RunAll(Action kernel) => KernelEmulator.Run(Blocks, Threads, kernel);

    private static int GlobalId => Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;

    [Fact]
    public void IntegerAddsAreNotLost()
    {
        using var counters = new HostBuffer<int>(2);
        using var wide = new HostBuffer<ulong>(1);
        using var olds = new HostBuffer<int>(Total);
        DeviceSpan<int> c = counters.AsDeviceSpan(), o = olds.AsDeviceSpan();
        DeviceSpan<ulong> w = wide.AsDeviceSpan();
        RunAll(() =>
        {
            o[GlobalId] = Atomic.Add(ref c[0], 1);
            Atomic.Add(ref Unsafe.As<int, uint>(ref c[1]), 3u);
            Atomic.Add(ref w[0], 1ul << 33);
        });
        Assert.Equal(Total, counters.Span[0]);
        Assert.Equal(3 * Total, counters.Span[1]);
        Assert.Equal((ulong)Total << 33, wide.Span[0]);
        // Add returns the old value: every ticket 0..Total-1 is handed out exactly once.
        Assert.Equal(Enumerable.Range(0, Total), olds.ToArray().Order());
    }

    [Fact]
    public void FloatAddsAreNotLost()
    {
        using var sum = new HostBuffer<float>(1);
        DeviceSpan<float> s = sum.AsDeviceSpan();
        RunAll(() => Atomic.Add(ref s[0], 0.5f)); // exact in float up to 2^24
        Assert.Equal(Total * 0.5f, sum.Span[0]);
    }

    [Fact]
    public void MaxMinAndBitwiseOperationsAreAtomic()
    {
        using var v = new HostBuffer<int>(4);
        using var u = new HostBuffer<uint>(2);
        DeviceSpan<int> s = v.AsDeviceSpan();
        DeviceSpan<uint> us = u.AsDeviceSpan();
        s[1] = int.MaxValue; // through the span: HostBuffer memory is plain host memory
        us[1] = uint.MaxValue;
        RunAll(() =>
        {
            int id = GlobalId;
            int key = (id * 7919) % Total - Total / 2;
            Atomic.Max(ref s[0], key);
            Atomic.Min(ref s[1], key);
            Atomic.Or(ref s[2], 1 << (id % 31));
            Atomic.Max(ref us[0], (uint)id);
            Atomic.Min(ref us[1], (uint)id + 5);
            if (id % 2 == 0) Atomic.And(ref s[3], 0); else Atomic.Or(ref s[3], 0);
        });
        int[] keys = Enumerable.Range(0, Total).Select(id => (id * 7919) % Total - Total / 2).ToArray();
        Assert.Equal(keys.Max(), v.Span[0]);
        Assert.Equal(keys.Min(), v.Span[1]);
        Assert.Equal(int.MaxValue, v.Span[2]);
        Assert.Equal((uint)Total - 1, u.Span[0]);
        Assert.Equal(5u, u.Span[1]);
    }

    [Fact]
    public void CompareExchangeBuildsALockFreeCounterAndExchangeHandsOff()
    {
        using var v = new HostBuffer<int>(2);
        using var seen = new HostBuffer<int>(Total + 1);
        DeviceSpan<int> s = v.AsDeviceSpan(), marks = seen.AsDeviceSpan();
        RunAll(() =>
        {
            int old = s[0];
            while (true)
            {
                int witnessed = Atomic.CompareExchange(ref s[0], old, old + 1);
                if (witnessed == old) break;
                old = witnessed;
            }
            // Each id is exchanged in once and comes out once (as some thread's old value).
            int previous = Atomic.Exchange(ref s[1], GlobalId + 1);
            Atomic.Add(ref marks[previous], 1);
        });
        Assert.Equal(Total, v.Span[0]);
        int last = v.Span[1];
        int[] marks2 = seen.ToArray();
        marks2[last]++; // the value still in the slot was never exchanged out
        Assert.All(marks2, m => Assert.Equal(1, m));
    }

    [Fact]
    public void FloatExchangeAndCompareExchangeSemantics()
    {
        float target = 1.5f;
        Assert.Equal(1.5f, Atomic.Exchange(ref target, -2f));
        Assert.Equal(-2f, target);
        int i = 5;
        Assert.Equal(5, Atomic.CompareExchange(ref i, 4, 9)); // comparand mismatch: unchanged
        Assert.Equal(5, i);
        Assert.Equal(5, Atomic.CompareExchange(ref i, 5, 9));
        Assert.Equal(9, i);
        float n = float.NaN;
        Assert.True(float.IsNaN(Atomic.Add(ref n, 1f))); // a NaN target must not spin forever
        Assert.Equal(int.MinValue, Atomic.Add(ref i, int.MaxValue) + int.MinValue - 9 + int.MinValue + 1 + int.MaxValue);
    }
}
