using Quamba.TestKernels.Kernels;

namespace Quamba.TestKernels.Cases;

public sealed class SmallIntegersCase : KernelCase
{
    private const int N = 300;
    private readonly sbyte[] _s8 = CaseInputs.Ints(10, N, sbyte.MinValue, sbyte.MaxValue + 1).Select(v => (sbyte)v).ToArray();
    private readonly byte[] _u8 = CaseInputs.Ints(11, N, 0, 256).Select(v => (byte)v).ToArray();
    private readonly short[] _s16 = CaseInputs.Ints(12, N, short.MinValue, short.MaxValue + 1).Select(v => (short)v).ToArray();
    private readonly ushort[] _u16 = CaseInputs.Ints(13, N, 0, 65536).Select(v => (ushort)v).ToArray();

    public override string Name => "SmallIntegers";
    public override string Kernel => "IntegerKernels.SmallIntegers";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var o8 = new sbyte[N]; var ou8 = new byte[N]; var o16 = new short[N]; var ou16 = new ushort[N]; var p = new int[N];
        for (int i = 0; i < N; i++)
        {
            sbyte a = _s8[i]; byte b = _u8[i]; short c = _s16[i]; ushort d = _u16[i];
            a = unchecked((sbyte)(a + 100)); b = unchecked((byte)(b * 3)); c = unchecked((short)(c - 30000)); d = unchecked((ushort)(d << 3));
            a = unchecked((sbyte)(a + 1)); b = unchecked((byte)(b - 1));
            o8[i] = unchecked((sbyte)(a ^ 0x55)); ou8[i] = unchecked((byte)~b); o16[i] = (short)(c >> 2); ou16[i] = unchecked((ushort)(d + c));
            p[i] = unchecked(a * b + c * d - (sbyte)b + (byte)a);
        }
        return [CaseOutput.Of("s8", o8), CaseOutput.Of("u8", ou8), CaseOutput.Of("s16", o16), CaseOutput.Of("u16", ou16), CaseOutput.Of("promoted", p)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var s8 = r.Upload<sbyte>(_s8); var u8 = r.Upload<byte>(_u8); var s16 = r.Upload<short>(_s16); var u16 = r.Upload<ushort>(_u16);
        var o8 = r.Allocate<sbyte>(N); var ou8 = r.Allocate<byte>(N); var o16 = r.Allocate<short>(N); var ou16 = r.Allocate<ushort>(N); var p = r.Allocate<int>(N);
        r.Launch(CaseInputs.Linear(N, 128),
            c => IntegerKernels.SmallIntegersKernel.Emulate(c, s8, u8, s16, u16, o8, ou8, o16, ou16, p),
            (s, c) => IntegerKernels.SmallIntegersKernel.Launch(s, c, s8, u8, s16, u16, o8, ou8, o16, ou16, p));
        return [CaseOutput.Of("s8", r.Download(o8)), CaseOutput.Of("u8", r.Download(ou8)), CaseOutput.Of("s16", r.Download(o16)), CaseOutput.Of("u16", r.Download(ou16)), CaseOutput.Of("promoted", r.Download(p))];
    }
}

public sealed class Int32SemanticsCase : KernelCase
{
    private readonly int[] _x;
    private readonly int[] _y;

    public Int32SemanticsCase()
    {
        int[] edgeX = [int.MaxValue, int.MinValue, -7, 7, -1, 0, 123456789, -987654321, 1, 5];
        int[] edgeY = [2, 3, 2, -2, 33, -5, 40, 31, 32, 0];
        _x = edgeX.Concat(CaseInputs.Ints(20, 200, int.MinValue, int.MaxValue)).ToArray();
        _y = edgeY.Concat(CaseInputs.Ints(21, 200, -70, 70)).ToArray();
    }

    public override string Name => "Int32Semantics";
    public override string Kernel => "IntegerKernels.Int32Semantics";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        int n = _x.Length;
        var results = new int[n * 8];
        var unsignedResults = new uint[n * 3];
        for (int i = 0; i < n; i++)
        {
            int a = _x[i], b = _y[i];
            uint ua = (uint)a, ub = (uint)b;
            int k = i * 8;
            results[k + 0] = unchecked(a * b + a - b);
            results[k + 1] = b != 0 ? a / b : -1;
            results[k + 2] = b != 0 ? a % b : -2;
            results[k + 3] = a << b;
            results[k + 4] = a >> (b & 63);
            results[k + 5] = a >>> b;
            results[k + 6] = (a < b ? 1 : 0) | (ua < ub ? 2 : 0) | (a >= b ? 4 : 0) | (ua >= ub ? 8 : 0);
            results[k + 7] = (a & b) ^ (a | ~b);
            unsignedResults[i * 3 + 0] = ub != 0 ? ua / ub : 0u;
            unsignedResults[i * 3 + 1] = ub != 0 ? ua % ub : 0u;
            unsignedResults[i * 3 + 2] = ua >> b;
        }
        return [CaseOutput.Of("results", results), CaseOutput.Of("unsigned", unsignedResults)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var x = r.Upload<int>(_x); var y = r.Upload<int>(_y);
        var results = r.Allocate<int>(_x.Length * 8); var unsignedResults = r.Allocate<uint>(_x.Length * 3);
        r.Launch(CaseInputs.Linear(_x.Length, 64),
            c => IntegerKernels.Int32SemanticsKernel.Emulate(c, x, y, results, unsignedResults),
            (s, c) => IntegerKernels.Int32SemanticsKernel.Launch(s, c, x, y, results, unsignedResults));
        return [CaseOutput.Of("results", r.Download(results)), CaseOutput.Of("unsigned", r.Download(unsignedResults))];
    }
}

public sealed class Int64SemanticsCase : KernelCase
{
    private readonly long[] _x;
    private readonly ulong[] _y;

    public Int64SemanticsCase()
    {
        var random = new Random(22);
        _x = new long[] { long.MaxValue, long.MinValue + 1, -1, 0, 42 }.Concat(Enumerable.Range(0, 150).Select(_ => random.NextInt64(long.MinValue + 1, long.MaxValue))).ToArray();
        _y = new ulong[] { ulong.MaxValue, 64, 65, 63, 0 }.Concat(Enumerable.Range(0, 150).Select(_ => (ulong)random.NextInt64())).ToArray();
    }

    public override string Name => "Int64Semantics";
    public override string Kernel => "IntegerKernels.Int64Semantics";

    public override IReadOnlyList<CaseOutput> Expected()
    {
        int n = _x.Length;
        var results = new long[n * 4];
        var unsignedResults = new ulong[n * 3];
        for (int i = 0; i < n; i++)
        {
            long a = _x[i];
            ulong b = _y[i];
            int shift = (int)(b & 0xFF);
            results[i * 4 + 0] = unchecked(a * 6364136223846793005L + 1442695040888963407L);
            results[i * 4 + 1] = a / 7 + a % 7;
            results[i * 4 + 2] = a << shift;
            results[i * 4 + 3] = unchecked((a >> shift) + (int)a + (uint)a);
            unsignedResults[i * 3 + 0] = b / 3 + b % 1000;
            unsignedResults[i * 3 + 1] = b >> shift;
            unsignedResults[i * 3 + 2] = (b > (ulong)a ? 1UL : 0UL) + (ulong)(a < 0 ? 2 : 0);
        }
        return [CaseOutput.Of("results", results), CaseOutput.Of("unsigned", unsignedResults)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var x = r.Upload<long>(_x); var y = r.Upload<ulong>(_y);
        var results = r.Allocate<long>(_x.Length * 4); var unsignedResults = r.Allocate<ulong>(_x.Length * 3);
        r.Launch(CaseInputs.Linear(_x.Length, 64),
            c => IntegerKernels.Int64SemanticsKernel.Emulate(c, x, y, results, unsignedResults),
            (s, c) => IntegerKernels.Int64SemanticsKernel.Launch(s, c, x, y, results, unsignedResults));
        return [CaseOutput.Of("results", r.Download(results)), CaseOutput.Of("unsigned", r.Download(unsignedResults))];
    }
}
