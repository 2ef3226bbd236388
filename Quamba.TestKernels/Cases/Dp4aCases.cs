using Quamba.Kernels;
using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

/// <summary>Reference int8 dot products written out byte by byte (independent of DeviceMath.Dp4a's CPU body).</summary>
internal static class Int8Reference
{
    public static int Dot4(uint a, uint b, bool signed)
    {
        int sum = 0;
        for (int k = 0; k < 4; k++)
        {
            int x = signed ? (sbyte)(a >> (8 * k)) : (byte)(a >> (8 * k));
            int y = signed ? (sbyte)(b >> (8 * k)) : (byte)(b >> (8 * k));
            sum += x * y;
        }
        return sum;
    }

    public static uint Pack(sbyte[] values, int offset) =>
        (uint)(byte)values[offset] | (uint)(byte)values[offset + 1] << 8 | (uint)(byte)values[offset + 2] << 16 | (uint)(byte)values[offset + 3] << 24;
}

public sealed class Dp4aElementwiseCase : KernelCase
{
    private readonly int[] _a = new[] { unchecked((int)0x807FFF02), -1, int.MinValue }.Concat(CaseInputs.Ints(80, 100, int.MinValue, int.MaxValue)).ToArray();
    private readonly int[] _b = new[] { 0x02030405, -1, int.MinValue }.Concat(CaseInputs.Ints(81, 100, int.MinValue, int.MaxValue)).ToArray();
    private readonly uint[] _ua = CaseInputs.Ints(82, 103, int.MinValue, int.MaxValue).Select(v => (uint)v).ToArray();

    public override string Name => "Dp4aElementwise";
    public override string Kernel => "Dp4aKernels.Dp4aElementwise";
    public override int MinimumSm => 61;

    public override IReadOnlyList<CaseOutput> Expected() =>
    [
        CaseOutput.Of("signed", _a.Select((a, i) => Int8Reference.Dot4((uint)a, (uint)_b[i], signed: true) + i).ToArray()),
        CaseOutput.Of("unsigned", _ua.Select((a, i) => (uint)Int8Reference.Dot4(a, (uint)_b[i], signed: false) + 1000u).ToArray()),
    ];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var a = r.Upload<int>(_a); var b = r.Upload<int>(_b); var ua = r.Upload<uint>(_ua);
        var signedDots = r.Allocate<int>(_a.Length); var unsignedDots = r.Allocate<uint>(_a.Length);
        r.Launch(CaseInputs.Linear(_a.Length, 64),
            c => Dp4aKernels.Dp4aElementwiseKernel.Emulate(c, a, b, ua, signedDots, unsignedDots),
            (s, c) => Dp4aKernels.Dp4aElementwiseKernel.Launch(s, c, a, b, ua, signedDots, unsignedDots));
        return [CaseOutput.Of("signed", r.Download(signedDots)), CaseOutput.Of("unsigned", r.Download(unsignedDots))];
    }
}

/// <summary>The int8 GEMV. Small by default for the emulator; the benchmark runs <c>new Int8GemvCase(4096, 4096)</c>.</summary>
public sealed class Int8GemvCase : KernelCase
{
    public const int RowsPerBlock = 8;
    private readonly sbyte[] _weights;
    private readonly sbyte[] _x;
    private readonly float[] _rowScales;
    private const float XScale = 0.02f;

    public Int8GemvCase(int rows = 64, int columns = 1024)
    {
        if (columns % 16 != 0) throw new ArgumentException("Columns must be a multiple of 16 (one UInt4 holds 16 int8).", nameof(columns));
        Rows = rows;
        Columns = columns;
        var random = new Random(83);
        _weights = new sbyte[rows * columns];
        random.NextBytes((byte[])(Array)_weights);
        _x = new sbyte[columns];
        random.NextBytes((byte[])(Array)_x);
        _rowScales = CaseInputs.Floats(84, rows, 0.001f, 0.01f);
    }

    public int Rows { get; }
    public int Columns { get; }
    public override string Name => Rows == 64 && Columns == 1024 ? "Int8Gemv" : $"Int8Gemv{Rows}x{Columns}";
    public override string Kernel => "Dp4aKernels.Int8Gemv";
    public override int MinimumSm => 61;

    public LaunchConfig Launch => new((Rows + RowsPerBlock - 1) / RowsPerBlock, RowsPerBlock * 32);

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var y = new float[Rows];
        for (int row = 0; row < Rows; row++)
        {
            int acc = 0;
            for (int k = 0; k < Columns; k++) acc += _weights[row * Columns + k] * _x[k];
            y[row] = acc * _rowScales[row] * XScale;
        }
        return [CaseOutput.Of("y", y)];
    }

    public UInt4[] PackedWeights() => Pack(_weights);

    public UInt4[] PackedX() => Pack(_x);

    private static UInt4[] Pack(sbyte[] values) => Enumerable.Range(0, values.Length / 16).Select(i => new UInt4
    {
        X = Int8Reference.Pack(values, i * 16), Y = Int8Reference.Pack(values, i * 16 + 4), Z = Int8Reference.Pack(values, i * 16 + 8), W = Int8Reference.Pack(values, i * 16 + 12),
    }).ToArray();

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var weights = r.Upload<UInt4>(PackedWeights());
        var x = r.Upload<UInt4>(PackedX());
        var scales = r.Upload<float>(_rowScales);
        var y = r.Allocate<float>(Rows);
        int packed = Columns / 16;
        r.Launch(Launch,
            c => Dp4aKernels.Int8GemvKernel.Emulate(c, weights, x, scales, XScale, y, packed),
            (s, c) => Dp4aKernels.Int8GemvKernel.Launch(s, c, weights, x, scales, XScale, y, packed));
        return [CaseOutput.Of("y", r.Download(y))];
    }
}
