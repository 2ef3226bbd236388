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
