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

    /// <summary>Two activation rows x four weight rows (see <see cref="Int8DotAvxVnni.Dot2x4Biased"/>).</summary>
    public static void Dot2x4(sbyte* a, nint lda, sbyte* w, nint ldw, int k, int* result, nint ldr)
    {
        Vector512<int> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<int> c10 = default, c11 = default, c12 = default, c13 = default;
        sbyte* a1 = a + lda;
        sbyte* w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        int i = 0;
        for (; i <= k - 32; i += 32)
        {
            var x0 = Load(a + i);
            var x1 = Load(a1 + i);
            var v = Load(w + i);
            c00 = Avx512F.Add(c00, Avx512BW.MultiplyAddAdjacent(x0, v));
            c10 = Avx512F.Add(c10, Avx512BW.MultiplyAddAdjacent(x1, v));
            v = Load(w1 + i);
            c01 = Avx512F.Add(c01, Avx512BW.MultiplyAddAdjacent(x0, v));
            c11 = Avx512F.Add(c11, Avx512BW.MultiplyAddAdjacent(x1, v));
            v = Load(w2 + i);
            c02 = Avx512F.Add(c02, Avx512BW.MultiplyAddAdjacent(x0, v));
            c12 = Avx512F.Add(c12, Avx512BW.MultiplyAddAdjacent(x1, v));
            v = Load(w3 + i);
            c03 = Avx512F.Add(c03, Avx512BW.MultiplyAddAdjacent(x0, v));
            c13 = Avx512F.Add(c13, Avx512BW.MultiplyAddAdjacent(x1, v));
        }
        int tail = k - i;
        result[0] = Vector512.Sum(c00) + Int8DotScalar.Dot(a + i, w + i, tail);
        result[1] = Vector512.Sum(c01) + Int8DotScalar.Dot(a + i, w1 + i, tail);
        result[2] = Vector512.Sum(c02) + Int8DotScalar.Dot(a + i, w2 + i, tail);
        result[3] = Vector512.Sum(c03) + Int8DotScalar.Dot(a + i, w3 + i, tail);
        result[ldr] = Vector512.Sum(c10) + Int8DotScalar.Dot(a1 + i, w + i, tail);
        result[ldr + 1] = Vector512.Sum(c11) + Int8DotScalar.Dot(a1 + i, w1 + i, tail);
        result[ldr + 2] = Vector512.Sum(c12) + Int8DotScalar.Dot(a1 + i, w2 + i, tail);
        result[ldr + 3] = Vector512.Sum(c13) + Int8DotScalar.Dot(a1 + i, w3 + i, tail);
    }
}
