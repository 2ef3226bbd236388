using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// AVX-512 BW int8 dot products: 32 bytes sign-extended to 32 int16 (<c>vpmovsxbw zmm</c>), <c>vpmaddwd zmm</c> into int32.
/// (.NET 10 exposes 512-bit <c>vpdpbusd</c> only through AVX10, which this class does not require.)
/// </summary>
internal static unsafe class Int8DotAvx512
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Load(sbyte* p) => Avx512BW.ConvertToVector512Int16(Avx.LoadVector256(p));

    public static int Dot(sbyte* a, sbyte* w, int k)
    {
        var acc = Vector512<int>.Zero;
        int i = 0;
        for (; i <= k - 32; i += 32)
            acc = Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(Load(a + i), Load(w + i)));
        return Vector512.Sum(acc) + Int8DotScalar.Dot(a + i, w + i, k - i);
    }

    public static void Dot4(sbyte* a, sbyte* w, nint ldw, int k, int* result)
    {
        Vector512<int> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
        sbyte* w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        int i = 0;
        for (; i <= k - 32; i += 32)
        {
            var va = Load(a + i);
            acc0 = Avx512F.Add(acc0, Avx512BW.MultiplyAddAdjacent(va, Load(w + i)));
            acc1 = Avx512F.Add(acc1, Avx512BW.MultiplyAddAdjacent(va, Load(w1 + i)));
            acc2 = Avx512F.Add(acc2, Avx512BW.MultiplyAddAdjacent(va, Load(w2 + i)));
            acc3 = Avx512F.Add(acc3, Avx512BW.MultiplyAddAdjacent(va, Load(w3 + i)));
        }
        int tail = k - i;
        result[0] = Vector512.Sum(acc0) + Int8DotScalar.Dot(a + i, w + i, tail);
        result[1] = Vector512.Sum(acc1) + Int8DotScalar.Dot(a + i, w1 + i, tail);
        result[2] = Vector512.Sum(acc2) + Int8DotScalar.Dot(a + i, w2 + i, tail);
        result[3] = Vector512.Sum(acc3) + Int8DotScalar.Dot(a + i, w3 + i, tail);
    }
}
