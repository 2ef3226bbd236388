using Quamba.Kernels;
using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

public sealed class HistogramCase : KernelCase
{
    private readonly byte[] _data = CaseInputs.Ints(70, 5000, 0, 256).Select(v => (byte)v).ToArray();

    public override string Name => "Histogram";
    public override string Kernel => "AtomicKernels.Histogram";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var histogram = new uint[AtomicKernels.Bins];
        foreach (var b in _data) histogram[b % AtomicKernels.Bins]++;
        return [CaseOutput.Of("histogram", histogram)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var data = r.Upload<byte>(_data);
        var histogram = r.Allocate<uint>(AtomicKernels.Bins);
        r.Launch(new LaunchConfig(4, 128), c => AtomicKernels.HistogramKernel.Emulate(c, data, histogram), (s, c) => AtomicKernels.HistogramKernel.Launch(s, c, data, histogram));
        return [CaseOutput.Of("histogram", r.Download(histogram))];
    }
}

public sealed class AtomicOperationsCase : KernelCase
{
    private readonly int[] _values = CaseInputs.Ints(71, 200, -100000, 100000);

    public override string Name => "AtomicOperations";
    public override string Kernel => "AtomicKernels.AtomicOperations";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        int n = _values.Length;
        int and = -1, or = 0;
        for (int i = 0; i < n; i++)
        {
            and &= ~(1 << (i % 31));
            or |= 1 << (i % 31);
        }
        var ints = new[] { _values.Sum(), _values.Max(), _values.Min(), and, or, 1, 1 };
        var uints = new[] { unchecked((uint)_values.Sum()), _values.Select(v => (uint)v).Max(), _values.Select(v => (uint)v).Min(), 7u, 0u };
        var floats = new[] { 0.5f * n, 2.5f };
        var longs = new[] { _values.Aggregate(0UL, (s, v) => s + (uint)v) };
        var flags = Enumerable.Range(1, n).Concat(Enumerable.Repeat(0, n)).ToArray();
        return [CaseOutput.Of("ints", ints), CaseOutput.Of("uints", uints), CaseOutput.Of("floats", floats), CaseOutput.Of("longs", longs), CaseOutput.Of("flags", flags)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        int n = _values.Length;
        var values = r.Upload<int>(_values);
        var ints = r.Upload<int>([0, int.MinValue, int.MaxValue, -1, 0, 0, 0]);
        var uints = r.Upload<uint>([0u, 0u, uint.MaxValue, 0u, 0u]);
        var floats = r.Allocate<float>(2);
        var longs = r.Allocate<ulong>(1);
        var flags = r.Allocate<int>(2 * n);
        r.Launch(CaseInputs.Linear(n, 64),
            c => AtomicKernels.AtomicOperationsKernel.Emulate(c, values, ints, uints, floats, longs, flags),
            (s, c) => AtomicKernels.AtomicOperationsKernel.Launch(s, c, values, ints, uints, floats, longs, flags));
        return [CaseOutput.Of("ints", r.Download(ints)), CaseOutput.Of("uints", r.Download(uints)), CaseOutput.Of("floats", r.Download(floats)), CaseOutput.Of("longs", r.Download(longs)), CaseOutput.Of("flags", r.Download(flags))];
    }
}
