using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// AVX2 int8 dot products: sign-extend 16 bytes to int16 (<c>vpmovsxbw</c>) and <c>vpmaddwd</c> pairs into int32.
/// Exact: <c>vpmaddubsw</c> would saturate int16 (255 * 127 * 2 &gt; 32767), <c>vpmaddwd</c> on int8 values cannot.
/// </summary>
internal static unsafe class Int8DotAvx2
{
    public static int Dot(sbyte* a, sbyte* w, int k)
    {
        var acc = Vector256<int>.Zero;
        int i = 0;
        for (; i <= k - 16; i += 16)
            acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(a + i), Avx2.ConvertToVector256Int16(w + i)));
        return Vector256.Sum(acc) + Int8DotScalar.Dot(a + i, w + i, k - i);
    }

    public static void Dot4(sbyte* a, sbyte* w, nint ldw, int k, int* result)
    {
        Vector256<int> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
        sbyte* w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        int i = 0;
        for (; i <= k - 16; i += 16)
        {
            var va = Avx2.ConvertToVector256Int16(a + i);
            acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(va, Avx2.ConvertToVector256Int16(w + i)));
            acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(va, Avx2.ConvertToVector256Int16(w1 + i)));
            acc2 = Avx2.Add(acc2, Avx2.MultiplyAddAdjacent(va, Avx2.ConvertToVector256Int16(w2 + i)));
            acc3 = Avx2.Add(acc3, Avx2.MultiplyAddAdjacent(va, Avx2.ConvertToVector256Int16(w3 + i)));
        }
        int tail = k - i;
        result[0] = Vector256.Sum(acc0) + Int8DotScalar.Dot(a + i, w + i, tail);
        result[1] = Vector256.Sum(acc1) + Int8DotScalar.Dot(a + i, w1 + i, tail);
        result[2] = Vector256.Sum(acc2) + Int8DotScalar.Dot(a + i, w2 + i, tail);
        result[3] = Vector256.Sum(acc3) + Int8DotScalar.Dot(a + i, w3 + i, tail);
    }

    /// <summary>Two activation rows x four weight rows (see <see cref="Int8DotAvxVnni.Dot2x4Biased"/>).</summary>
    public static void Dot2x4(sbyte* a, nint lda, sbyte* w, nint ldw, int k, int* result, nint ldr)
    {
        Vector256<int> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<int> c10 = default, c11 = default, c12 = default, c13 = default;
        sbyte* a1 = a + lda;
        sbyte* w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        int i = 0;
        for (; i <= k - 16; i += 16)
        {
            var x0 = Avx2.ConvertToVector256Int16(a + i);
            var x1 = Avx2.ConvertToVector256Int16(a1 + i);
            var v = Avx2.ConvertToVector256Int16(w + i);
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(x0, v));
            c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(x1, v));
            v = Avx2.ConvertToVector256Int16(w1 + i);
            c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(x0, v));
            c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(x1, v));
            v = Avx2.ConvertToVector256Int16(w2 + i);
            c02 = Avx2.Add(c02, Avx2.MultiplyAddAdjacent(x0, v));
            c12 = Avx2.Add(c12, Avx2.MultiplyAddAdjacent(x1, v));
            v = Avx2.ConvertToVector256Int16(w3 + i);
            c03 = Avx2.Add(c03, Avx2.MultiplyAddAdjacent(x0, v));
            c13 = Avx2.Add(c13, Avx2.MultiplyAddAdjacent(x1, v));
        }
        int tail = k - i;
        result[0] = Vector256.Sum(c00) + Int8DotScalar.Dot(a + i, w + i, tail);
        result[1] = Vector256.Sum(c01) + Int8DotScalar.Dot(a + i, w1 + i, tail);
        result[2] = Vector256.Sum(c02) + Int8DotScalar.Dot(a + i, w2 + i, tail);
        result[3] = Vector256.Sum(c03) + Int8DotScalar.Dot(a + i, w3 + i, tail);
        result[ldr] = Vector256.Sum(c10) + Int8DotScalar.Dot(a1 + i, w + i, tail);
        result[ldr + 1] = Vector256.Sum(c11) + Int8DotScalar.Dot(a1 + i, w1 + i, tail);
        result[ldr + 2] = Vector256.Sum(c12) + Int8DotScalar.Dot(a1 + i, w2 + i, tail);
        result[ldr + 3] = Vector256.Sum(c13) + Int8DotScalar.Dot(a1 + i, w3 + i, tail);
    }
}
