using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// AVX-VNNI int8 dot products with <c>vpdpbusd</c>, which multiplies unsigned by signed bytes. Activations come
/// in offset by +128 (<c>a ^ 0x80</c> read as unsigned = a + 128), so these return
/// <c>sum (a + 128) w = sum a w + 128 * sum w</c>; the caller subtracts 128 times the weight row's sum.
/// Each 4-product group is at most 4 * 255 * 128 and the accumulation wraps modulo 2^32, so after the
/// correction the result is exact whenever the true dot product fits int32.
/// </summary>
internal static unsafe class Int8DotAvxVnni
{
    public static int DotBiased(byte* aBiased, sbyte* w, int k)
    {
        var acc = Vector256<int>.Zero;
        int i = 0;
        for (; i <= k - 32; i += 32)
            acc = AvxVnni.MultiplyWideningAndAdd(acc, Avx.LoadVector256(aBiased + i), Avx.LoadVector256(w + i));
        return Vector256.Sum(acc) + TailBiased(aBiased + i, w + i, k - i);
    }

    public static void Dot4Biased(byte* aBiased, sbyte* w, nint ldw, int k, int* result)
    {
        Vector256<int> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
        sbyte* w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        int i = 0;
        for (; i <= k - 32; i += 32)
        {
            var va = Avx.LoadVector256(aBiased + i);
            acc0 = AvxVnni.MultiplyWideningAndAdd(acc0, va, Avx.LoadVector256(w + i));
            acc1 = AvxVnni.MultiplyWideningAndAdd(acc1, va, Avx.LoadVector256(w1 + i));
            acc2 = AvxVnni.MultiplyWideningAndAdd(acc2, va, Avx.LoadVector256(w2 + i));
            acc3 = AvxVnni.MultiplyWideningAndAdd(acc3, va, Avx.LoadVector256(w3 + i));
        }
        int tail = k - i;
        result[0] = Vector256.Sum(acc0) + TailBiased(aBiased + i, w + i, tail);
        result[1] = Vector256.Sum(acc1) + TailBiased(aBiased + i, w1 + i, tail);
        result[2] = Vector256.Sum(acc2) + TailBiased(aBiased + i, w2 + i, tail);
        result[3] = Vector256.Sum(acc3) + TailBiased(aBiased + i, w3 + i, tail);
    }

    /// <summary>
    /// Two activation rows (stride <paramref name="lda"/>) x four weight rows: eight accumulators, six loads per
    /// eight <c>vpdpbusd</c> (the 1 x 4 kernel needs five loads per four), for GEMM.
    /// </summary>
    public static void Dot2x4Biased(byte* aBiased, nint lda, sbyte* w, nint ldw, int k, int* result, nint ldr)
    {
        Vector256<int> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<int> c10 = default, c11 = default, c12 = default, c13 = default;
        byte* a1 = aBiased + lda;
        sbyte* w1 = w + ldw, w2 = w + 2 * ldw, w3 = w + 3 * ldw;
        int i = 0;
        for (; i <= k - 32; i += 32)
        {
            var x0 = Avx.LoadVector256(aBiased + i);
            var x1 = Avx.LoadVector256(a1 + i);
            var v = Avx.LoadVector256(w + i);
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, x0, v);
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, x1, v);
            v = Avx.LoadVector256(w1 + i);
            c01 = AvxVnni.MultiplyWideningAndAdd(c01, x0, v);
            c11 = AvxVnni.MultiplyWideningAndAdd(c11, x1, v);
            v = Avx.LoadVector256(w2 + i);
            c02 = AvxVnni.MultiplyWideningAndAdd(c02, x0, v);
            c12 = AvxVnni.MultiplyWideningAndAdd(c12, x1, v);
            v = Avx.LoadVector256(w3 + i);
            c03 = AvxVnni.MultiplyWideningAndAdd(c03, x0, v);
            c13 = AvxVnni.MultiplyWideningAndAdd(c13, x1, v);
        }
        int tail = k - i;
        result[0] = Vector256.Sum(c00) + TailBiased(aBiased + i, w + i, tail);
        result[1] = Vector256.Sum(c01) + TailBiased(aBiased + i, w1 + i, tail);
        result[2] = Vector256.Sum(c02) + TailBiased(aBiased + i, w2 + i, tail);
        result[3] = Vector256.Sum(c03) + TailBiased(aBiased + i, w3 + i, tail);
        result[ldr] = Vector256.Sum(c10) + TailBiased(a1 + i, w + i, tail);
        result[ldr + 1] = Vector256.Sum(c11) + TailBiased(a1 + i, w1 + i, tail);
        result[ldr + 2] = Vector256.Sum(c12) + TailBiased(a1 + i, w2 + i, tail);
        result[ldr + 3] = Vector256.Sum(c13) + TailBiased(a1 + i, w3 + i, tail);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TailBiased(byte* aBiased, sbyte* w, int k)
    {
        int s = 0;
        for (int i = 0; i < k; i++) s += aBiased[i] * w[i];
        return s;
    }

    /// <summary><c>a ^ 0x80</c>: the int8 value plus 128 as an unsigned byte.</summary>
    public static void Bias(sbyte* a, byte* aBiased, int count)
    {
        int i = 0;
        var flip = Vector256.Create((byte)0x80);
        for (; i <= count - 32; i += 32)
            Avx.Store(aBiased + i, Avx2.Xor(Avx.LoadVector256((byte*)a + i), flip));
        for (; i < count; i++) aBiased[i] = (byte)(((byte*)a)[i] ^ 0x80);
    }
}
