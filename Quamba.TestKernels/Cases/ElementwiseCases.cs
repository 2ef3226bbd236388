using Quamba.Kernels;
using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

public sealed class VectorAddCase : KernelCase
{
    private readonly float[] _a = CaseInputs.Floats(1, 1000, -10, 10);
    private readonly float[] _b = CaseInputs.Floats(2, 1000, -10, 10);

    public override string Name => "VectorAdd";
    public override string Kernel => "Elementwise.VectorAdd";

    public override IReadOnlyList<CaseOutput> Expected() => [CaseOutput.Of("sum", _a.Zip(_b, (x, y) => x + y).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var a = r.Upload<float>(_a);
        var b = r.Upload<float>(_b);
        var sum = r.Allocate<float>(_a.Length);
        r.Launch(CaseInputs.Linear(_a.Length), c => Elementwise.VectorAddKernel.Emulate(c, a, b, sum), (s, c) => Elementwise.VectorAddKernel.Launch(s, c, a, b, sum));
        return [CaseOutput.Of("sum", r.Download(sum))];
    }
}

/// <summary>The vectorised axpy; <see cref="Elements"/> is a parameter so a benchmark can run it at full size.</summary>
public sealed class Saxpy4Case : KernelCase
{
    private const float A = 1.5f;
    private readonly Float4[] _x;
    private readonly Float4[] _y;

    public Saxpy4Case(int elements = 1000)
    {
        Elements = elements;
        var xs = CaseInputs.Floats(3, elements * 4, -4, 4);
        var ys = CaseInputs.Floats(4, elements * 4, -4, 4);
        _x = Enumerable.Range(0, elements).Select(i => new Float4(xs[4 * i], xs[4 * i + 1], xs[4 * i + 2], xs[4 * i + 3])).ToArray();
        _y = Enumerable.Range(0, elements).Select(i => new Float4(ys[4 * i], ys[4 * i + 1], ys[4 * i + 2], ys[4 * i + 3])).ToArray();
    }

    public int Elements { get; }
    public override string Name => "Saxpy4";
    public override string Kernel => "Elementwise.Saxpy4";

    public override IReadOnlyList<CaseOutput> Expected() => [CaseOutput.Of("y", _x.Zip(_y, (x, y) => new Float4(
        MathF.FusedMultiplyAdd(A, x.X, y.X), MathF.FusedMultiplyAdd(A, x.Y, y.Y), MathF.FusedMultiplyAdd(A, x.Z, y.Z), MathF.FusedMultiplyAdd(A, x.W, y.W)))
        .SelectMany(v => new[] { v.X, v.Y, v.Z, v.W }).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var x = r.Upload<Float4>(_x);
        var y = r.Upload<Float4>(_y);
        // A grid smaller than the data: the grid-stride loop must cover the rest.
        var config = new LaunchConfig(Math.Max(1, Elements / 512), 128);
        r.Launch(config, c => Elementwise.Saxpy4Kernel.Emulate(c, A, x, y), (s, c) => Elementwise.Saxpy4Kernel.Launch(s, c, A, x, y));
        return [CaseOutput.Of("y", r.Download(y).SelectMany(v => new[] { v.X, v.Y, v.Z, v.W }).ToArray())];
    }
}

public sealed class Copy16Case : KernelCase
{
    private readonly UInt4[] _source;

    public Copy16Case(int elements = 777)
    {
        var random = new Random(5);
        _source = Enumerable.Range(0, elements).Select(_ => new UInt4 { X = (uint)random.Next(), Y = (uint)random.Next(), Z = (uint)random.Next(), W = (uint)random.Next() }).ToArray();
    }

    public override string Name => "Copy16";
    public override string Kernel => "Elementwise.Copy16";

    public override IReadOnlyList<CaseOutput> Expected() => [CaseOutput.Of("destination", Flatten(_source))];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var source = r.Upload<UInt4>(_source);
        var destination = r.Allocate<UInt4>(_source.Length);
        r.Launch(new LaunchConfig(2, 128), c => Elementwise.Copy16Kernel.Emulate(c, source, destination), (s, c) => Elementwise.Copy16Kernel.Launch(s, c, source, destination));
        return [CaseOutput.Of("destination", Flatten(r.Download(destination)))];
    }

    private static uint[] Flatten(UInt4[] values) => values.SelectMany(v => new[] { v.X, v.Y, v.Z, v.W }).ToArray();
}

public sealed class ScaleInPlaceCase : KernelCase
{
    private readonly float[] _values = CaseInputs.Floats(6, 300, -100, 100);

    public override string Name => "ScaleInPlace";
    public override string Kernel => "Elementwise.ScaleInPlace";

    public override IReadOnlyList<CaseOutput> Expected() => [CaseOutput.Of("values", _values.Select(v => -(v * 0.75f) + 0.5f).ToArray())];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var values = r.Upload<float>(_values);
        r.Launch(CaseInputs.Linear(_values.Length + 40, 64), c => Elementwise.ScaleInPlaceKernel.Emulate(c, values, 0.75f, true), (s, c) => Elementwise.ScaleInPlaceKernel.Launch(s, c, values, 0.75f, true));
        return [CaseOutput.Of("values", r.Download(values))];
    }
}

public sealed class ScalarParametersCase : KernelCase
{
    private const sbyte A = -100;
    private const byte B = 250;
    private const short C = -30000;
    private const ushort D = 65000;
    private const int E = -2_000_000_000;
    private const uint F = 4_000_000_000;
    private const long G = -9_000_000_000_000L;
    private const ulong H = 18_000_000_000_000_000_000UL;
    private const float I = -1.25e-3f;
    private const double J = 6.02214076e23;
    private static readonly Half K = (Half)(-1.5f);
    private static readonly BFloat16 L = (BFloat16)3.140625f;

    public override string Name => "ScalarParameters";
    public override string Kernel => "ParameterKernels.ScalarParameters";

    public override IReadOnlyList<CaseOutput> Expected() =>
        [CaseOutput.Of("output", new double[] { A, B, C, D, E, F, G, H, I, J, (double)K, (float)L, 1, 'Q' })];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var output = r.Allocate<double>(14);
        r.Launch(new Quamba.Kernels.LaunchConfig(1, 32),
            c => ParameterKernels.ScalarParametersKernel.Emulate(c, output, A, B, C, D, E, F, G, H, I, J, K, L, true, 'Q'),
            (s, c) => ParameterKernels.ScalarParametersKernel.Launch(s, c, output, A, B, C, D, E, F, G, H, I, J, K, L, true, 'Q'));
        return [CaseOutput.Of("output", r.Download(output))];
    }
}
