using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// One group of the W4A8 product on x86, for one or four weight rows (packed stride <c>ldp</c>), with
/// activations in the <see cref="W4A8ActivationSplit"/> layout: each 64-column step is one 32-byte load of
/// packed codes, a mask and a shift (even and odd columns), and two multiply-accumulates against the even and
/// odd activations. <c>result[t] = sum_i a[i] * code_t[i]</c> with unsigned codes (the caller centres by
/// <c>-8 * sum a</c>); exact integer arithmetic. Four rows share each activation load and one reduction.
/// </summary>
internal static unsafe class W4A8SplitGroupDot
{
    // ---- AVX-VNNI: vpdpbusd takes the unsigned codes and signed activations directly.

    public static void AvxVnniFourRows(sbyte* a, byte* packed, nint ldp, int length, int* result)
    {
        var mask = Vector256.Create((byte)0x0F);
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default;
        int i = 0;
        for (; i <= length - 64; i += 64)
        {
            var even = Avx.LoadVector256(a + i);
            var odd = Avx.LoadVector256(a + i + 32);
            byte* p = packed + (i >> 1);
            c0 = Vnni64(p, even, odd, mask, c0);
            c1 = Vnni64(p + ldp, even, odd, mask, c1);
            c2 = Vnni64(p + 2 * ldp, even, odd, mask, c2);
            c3 = Vnni64(p + 3 * ldp, even, odd, mask, c3);
        }
        Store4(Reduce4(c0, c1, c2, c3), a, packed, ldp, i, length, result);
    }

    public static int AvxVnniOneRow(sbyte* a, byte* packed, int length)
    {
        var mask = Vector256.Create((byte)0x0F);
        var c0 = Vector256<int>.Zero;
        int i = 0;
        for (; i <= length - 64; i += 64)
            c0 = Vnni64(packed + (i >> 1), Avx.LoadVector256(a + i), Avx.LoadVector256(a + i + 32), mask, c0);
        return Vector256.Sum(c0) + W4A8GroupDot.Scalar(a + i, packed + (i >> 1), length - i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Vnni64(byte* p, Vector256<sbyte> even, Vector256<sbyte> odd, Vector256<byte> mask, Vector256<int> acc)
    {
        Nibbles(Avx.LoadVector256(p), mask, out var lo, out var hi);
        acc = AvxVnni.MultiplyWideningAndAdd(acc, lo, even);
        return AvxVnni.MultiplyWideningAndAdd(acc, hi, odd);
    }

    // ---- AVX2: vpmaddubsw (u8 codes x s8 activations; a pair sum is at most 2 * 15 * 128 = 3840, so the even
    // and odd halves add in int16 without saturating: 7680), then vpmaddwd by 1 into int32.

    public static void Avx2FourRows(sbyte* a, byte* packed, nint ldp, int length, int* result)
    {
        var mask = Vector256.Create((byte)0x0F);
        var ones = Vector256.Create((short)1);
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default;
        int i = 0;
        for (; i <= length - 64; i += 64)
        {
            var even = Avx.LoadVector256(a + i);
            var odd = Avx.LoadVector256(a + i + 32);
            byte* p = packed + (i >> 1);
            c0 = Avx2.Add(c0, Madd64(p, even, odd, mask, ones));
            c1 = Avx2.Add(c1, Madd64(p + ldp, even, odd, mask, ones));
            c2 = Avx2.Add(c2, Madd64(p + 2 * ldp, even, odd, mask, ones));
            c3 = Avx2.Add(c3, Madd64(p + 3 * ldp, even, odd, mask, ones));
        }
        Store4(Reduce4(c0, c1, c2, c3), a, packed, ldp, i, length, result);
    }

    public static int Avx2OneRow(sbyte* a, byte* packed, int length)
    {
        var mask = Vector256.Create((byte)0x0F);
        var ones = Vector256.Create((short)1);
        var c0 = Vector256<int>.Zero;
        int i = 0;
        for (; i <= length - 64; i += 64)
            c0 = Avx2.Add(c0, Madd64(packed + (i >> 1), Avx.LoadVector256(a + i), Avx.LoadVector256(a + i + 32), mask, ones));
        return Vector256.Sum(c0) + W4A8GroupDot.Scalar(a + i, packed + (i >> 1), length - i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Madd64(byte* p, Vector256<sbyte> even, Vector256<sbyte> odd, Vector256<byte> mask, Vector256<short> ones)
    {
        Nibbles(Avx.LoadVector256(p), mask, out var lo, out var hi);
        var pairs = Avx2.Add(Avx2.MultiplyAddAdjacent(lo, even), Avx2.MultiplyAddAdjacent(hi, odd));
        return Avx2.MultiplyAddAdjacent(pairs, ones);
    }

    // ---- AVX-512 BW: the AVX2 scheme on 128-column blocks (activations split with wide = true), then one
    // 64-column AVX2 step for a remainder of at least 64.

    public static void Avx512FourRows(sbyte* a, byte* packed, nint ldp, int length, int* result)
    {
        var mask = Vector256.Create((byte)0x0F);
        var ones = Vector256.Create((short)1);
        var mask512 = Vector512.Create((byte)0x0F);
        var ones512 = Vector512.Create((short)1);
        Vector512<int> c0 = default, c1 = default, c2 = default, c3 = default;
        int i = 0;
        for (; i <= length - 128; i += 128)
        {
            var even = Avx512F.LoadVector512(a + i);
            var odd = Avx512F.LoadVector512(a + i + 64);
            byte* p = packed + (i >> 1);
            c0 = Avx512F.Add(c0, Madd128(p, even, odd, mask512, ones512));
            c1 = Avx512F.Add(c1, Madd128(p + ldp, even, odd, mask512, ones512));
            c2 = Avx512F.Add(c2, Madd128(p + 2 * ldp, even, odd, mask512, ones512));
            c3 = Avx512F.Add(c3, Madd128(p + 3 * ldp, even, odd, mask512, ones512));
        }
        Vector256<int> d0 = Fold(c0), d1 = Fold(c1), d2 = Fold(c2), d3 = Fold(c3);
        if (i <= length - 64)
        {
            var even = Avx.LoadVector256(a + i);
            var odd = Avx.LoadVector256(a + i + 32);
            byte* p = packed + (i >> 1);
            d0 = Avx2.Add(d0, Madd64(p, even, odd, mask, ones));
            d1 = Avx2.Add(d1, Madd64(p + ldp, even, odd, mask, ones));
            d2 = Avx2.Add(d2, Madd64(p + 2 * ldp, even, odd, mask, ones));
            d3 = Avx2.Add(d3, Madd64(p + 3 * ldp, even, odd, mask, ones));
            i += 64;
        }
        Store4(Reduce4(d0, d1, d2, d3), a, packed, ldp, i, length, result);
    }

    public static int Avx512OneRow(sbyte* a, byte* packed, int length)
    {
        var mask = Vector256.Create((byte)0x0F);
        var ones = Vector256.Create((short)1);
        var mask512 = Vector512.Create((byte)0x0F);
        var ones512 = Vector512.Create((short)1);
        var c0 = Vector512<int>.Zero;
        int i = 0;
        for (; i <= length - 128; i += 128)
            c0 = Avx512F.Add(c0, Madd128(packed + (i >> 1), Avx512F.LoadVector512(a + i), Avx512F.LoadVector512(a + i + 64), mask512, ones512));
        var d0 = Fold(c0);
        if (i <= length - 64)
        {
            d0 = Avx2.Add(d0, Madd64(packed + (i >> 1), Avx.LoadVector256(a + i), Avx.LoadVector256(a + i + 32), mask, ones));
            i += 64;
        }
        return Vector256.Sum(d0) + W4A8GroupDot.Scalar(a + i, packed + (i >> 1), length - i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Madd128(byte* p, Vector512<sbyte> even, Vector512<sbyte> odd, Vector512<byte> mask, Vector512<short> ones)
    {
        var v = Avx512F.LoadVector512(p);
        var lo = Avx512F.And(v, mask);
        var hi = Avx512F.And(Avx512BW.ShiftRightLogical(v.AsUInt16(), 4).AsByte(), mask);
        var pairs = Avx512BW.Add(Avx512BW.MultiplyAddAdjacent(lo, even), Avx512BW.MultiplyAddAdjacent(hi, odd));
        return Avx512BW.MultiplyAddAdjacent(pairs, ones);
    }

    // ---- shared

    /// <summary>32 packed bytes -> the 32 even-column codes (low nibbles) and the 32 odd-column codes (high nibbles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Nibbles(Vector256<byte> v, Vector256<byte> mask, out Vector256<byte> lo, out Vector256<byte> hi)
    {
        lo = Avx2.And(v, mask);
        hi = Avx2.And(Avx2.ShiftRightLogical(v.AsUInt16(), 4).AsByte(), mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Fold(Vector512<int> v) => Avx2.Add(v.GetLower(), v.GetUpper());

    /// <summary>The four horizontal sums of four vectors, as one vector: [sum a, sum b, sum c, sum d].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Reduce4(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d)
    {
        var ab = Avx2.HorizontalAdd(a, b);
        var cd = Avx2.HorizontalAdd(c, d);
        var abcd = Avx2.HorizontalAdd(ab, cd); // per 128-bit lane: [a b c d] partial sums
        return Sse2.Add(abcd.GetLower(), abcd.GetUpper());
    }

    /// <summary>Adds each row's scalar tail (the columns after the last full block, in column order) and stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(Vector128<int> sums, sbyte* a, byte* packed, nint ldp, int i, int length, int* result)
    {
        int tail = length - i;
        for (int t = 0; t < 4; t++) result[t] = sums.GetElement(t) + W4A8GroupDot.Scalar(a + i, packed + t * ldp + (i >> 1), tail);
    }
}
