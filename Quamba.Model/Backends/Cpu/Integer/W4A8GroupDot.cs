using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// One group of the W4A8 product: <c>sum_i a[i] * code[i]</c> with int8 activations and unsigned 4-bit codes
/// (0..15) read from packed bytes (the caller subtracts <c>8 * sum_i a[i]</c> to centre the codes). Exact
/// integer arithmetic in every path; <paramref name="packed"/> starts at the group's first (even) column.
/// </summary>
internal static unsafe class W4A8GroupDot
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Scalar(sbyte* a, byte* packed, int length)
    {
        int s = 0;
        for (int i = 0; i < length; i++) s += a[i] * NibbleUnpack.Code(packed, i);
        return s;
    }

    /// <summary>Vector{T}: widen packed bytes to ushort and rebuild them as (lo | hi &lt;&lt; 8), which read as bytes is column order.</summary>
    public static int Portable(sbyte* a, byte* packed, int length)
    {
        var acc = Vector<int>.Zero;
        int bytes = Vector<byte>.Count, codes = 2 * bytes, i = 0;
        var low = new Vector<ushort>(0x000F);
        var high = new Vector<ushort>(0x00F0);
        for (; i <= length - codes; i += codes)
        {
            Vector.Widen(Unsafe.ReadUnaligned<Vector<byte>>(packed + i / 2), out var p0, out var p1);
            var c0 = Vector.AsVectorByte((p0 & low) | Vector.ShiftLeft(p0 & high, 4));
            var c1 = Vector.AsVectorByte((p1 & low) | Vector.ShiftLeft(p1 & high, 4));
            acc += Products(Unsafe.ReadUnaligned<Vector<sbyte>>(a + i), c0);
            acc += Products(Unsafe.ReadUnaligned<Vector<sbyte>>(a + i + bytes), c1);
        }
        return Vector.Sum(acc) + Scalar(a + i, packed + i / 2, length - i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<int> Products(Vector<sbyte> a, Vector<byte> codes)
    {
        Vector.Widen(a, out var a0, out var a1);
        Vector.Widen(codes, out var c0, out var c1);
        Vector.Widen(a0 * Vector.AsVectorInt16(c0), out var p0, out var p1); // |a * code| <= 128 * 15 fits int16
        Vector.Widen(a1 * Vector.AsVectorInt16(c1), out var p2, out var p3);
        return (p0 + p1) + (p2 + p3);
    }

    /// <summary>AVX2: <c>vpmaddubsw</c> (u8 codes x s8 activations; pair sums &lt;= 2 * 15 * 128, no saturation), then <c>vpmaddwd</c> by 1.</summary>
    public static int Avx2(sbyte* a, byte* packed, int length)
    {
        var acc = Vector256<int>.Zero;
        var ones = Vector256.Create((short)1);
        int i = 0;
        for (; i <= length - 32; i += 32)
        {
            var pairs = System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(NibbleUnpack.Unpack32(packed + i / 2), Avx.LoadVector256(a + i));
            acc = System.Runtime.Intrinsics.X86.Avx2.Add(acc, System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(pairs, ones));
        }
        return Vector256.Sum(acc) + Scalar(a + i, packed + i / 2, length - i);
    }

    /// <summary>AVX-512 BW: the AVX2 scheme on 64 codes per step.</summary>
    public static int Avx512(sbyte* a, byte* packed, int length)
    {
        var acc = Vector512<int>.Zero;
        var ones = Vector512.Create((short)1);
        int i = 0;
        for (; i <= length - 64; i += 64)
        {
            var codes = Vector512.Create(NibbleUnpack.Unpack32(packed + i / 2), NibbleUnpack.Unpack32(packed + i / 2 + 16));
            var pairs = Avx512BW.MultiplyAddAdjacent(codes, Avx512F.LoadVector512(a + i));
            acc = Avx512F.Add(acc, Avx512BW.MultiplyAddAdjacent(pairs, ones));
        }
        return Vector512.Sum(acc) + Avx2(a + i, packed + i / 2, length - i);
    }

    /// <summary>AVX-VNNI: <c>vpdpbusd</c> takes the unsigned codes and signed activations directly (no offset needed).</summary>
    public static int AvxVnni(sbyte* a, byte* packed, int length)
    {
        var acc = Vector256<int>.Zero;
        int i = 0;
        for (; i <= length - 32; i += 32)
            acc = System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(acc, NibbleUnpack.Unpack32(packed + i / 2), Avx.LoadVector256(a + i));
        return Vector256.Sum(acc) + Scalar(a + i, packed + i / 2, length - i);
    }

    // Four weight rows (packed stride ldp) at once: each activation load and unpack setup serves four rows, and
    // the four horizontal sums share one reduction. result[t] = sum a * code of row t.

    public static void AvxVnniFourRows(sbyte* a, byte* packed, nint ldp, int length, int* result)
    {
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default;
        int i = 0;
        for (; i <= length - 32; i += 32)
        {
            var x = Avx.LoadVector256(a + i);
            byte* p = packed + i / 2;
            c0 = System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(c0, NibbleUnpack.Unpack32(p), x);
            c1 = System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(c1, NibbleUnpack.Unpack32(p + ldp), x);
            c2 = System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(c2, NibbleUnpack.Unpack32(p + 2 * ldp), x);
            c3 = System.Runtime.Intrinsics.X86.AvxVnni.MultiplyWideningAndAdd(c3, NibbleUnpack.Unpack32(p + 3 * ldp), x);
        }
        StoreWithTails(Reduce4(c0, c1, c2, c3), a, packed, ldp, i, length, result);
    }

    public static void Avx2FourRows(sbyte* a, byte* packed, nint ldp, int length, int* result)
    {
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default;
        var ones = Vector256.Create((short)1);
        int i = 0;
        for (; i <= length - 32; i += 32)
        {
            var x = Avx.LoadVector256(a + i);
            byte* p = packed + i / 2;
            c0 = System.Runtime.Intrinsics.X86.Avx2.Add(c0, Pairs(NibbleUnpack.Unpack32(p), x, ones));
            c1 = System.Runtime.Intrinsics.X86.Avx2.Add(c1, Pairs(NibbleUnpack.Unpack32(p + ldp), x, ones));
            c2 = System.Runtime.Intrinsics.X86.Avx2.Add(c2, Pairs(NibbleUnpack.Unpack32(p + 2 * ldp), x, ones));
            c3 = System.Runtime.Intrinsics.X86.Avx2.Add(c3, Pairs(NibbleUnpack.Unpack32(p + 3 * ldp), x, ones));
        }
        StoreWithTails(Reduce4(c0, c1, c2, c3), a, packed, ldp, i, length, result);
    }

    public static void Avx512FourRows(sbyte* a, byte* packed, nint ldp, int length, int* result)
    {
        Vector512<int> c0 = default, c1 = default, c2 = default, c3 = default;
        var ones = Vector512.Create((short)1);
        int i = 0;
        for (; i <= length - 64; i += 64)
        {
            var x = Avx512F.LoadVector512(a + i);
            byte* p = packed + i / 2;
            c0 = Avx512F.Add(c0, Pairs(Codes64(p), x, ones));
            c1 = Avx512F.Add(c1, Pairs(Codes64(p + ldp), x, ones));
            c2 = Avx512F.Add(c2, Pairs(Codes64(p + 2 * ldp), x, ones));
            c3 = Avx512F.Add(c3, Pairs(Codes64(p + 3 * ldp), x, ones));
        }
        var sums = Reduce4(Fold(c0), Fold(c1), Fold(c2), Fold(c3));
        if (i <= length - 32)
        {
            // One 32-code step on 256-bit registers before the scalar tail.
            var x = Avx.LoadVector256(a + i);
            byte* p = packed + i / 2;
            var ones256 = Vector256.Create((short)1);
            sums = Sse2.Add(sums, Reduce4(Pairs(NibbleUnpack.Unpack32(p), x, ones256), Pairs(NibbleUnpack.Unpack32(p + ldp), x, ones256),
                Pairs(NibbleUnpack.Unpack32(p + 2 * ldp), x, ones256), Pairs(NibbleUnpack.Unpack32(p + 3 * ldp), x, ones256)));
            i += 32;
        }
        StoreWithTails(sums, a, packed, ldp, i, length, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Pairs(Vector256<byte> codes, Vector256<sbyte> a, Vector256<short> ones) =>
        System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(System.Runtime.Intrinsics.X86.Avx2.MultiplyAddAdjacent(codes, a), ones);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Pairs(Vector512<byte> codes, Vector512<sbyte> a, Vector512<short> ones) =>
        Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(codes, a), ones);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Codes64(byte* p) => Vector512.Create(NibbleUnpack.Unpack32(p), NibbleUnpack.Unpack32(p + 16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Fold(Vector512<int> v) => System.Runtime.Intrinsics.X86.Avx2.Add(v.GetLower(), v.GetUpper());

    /// <summary>The four horizontal sums of four vectors, as one vector: [sum a, sum b, sum c, sum d].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Reduce4(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d)
    {
        var ab = System.Runtime.Intrinsics.X86.Avx2.HorizontalAdd(a, b);
        var cd = System.Runtime.Intrinsics.X86.Avx2.HorizontalAdd(c, d);
        var abcd = System.Runtime.Intrinsics.X86.Avx2.HorizontalAdd(ab, cd); // [a b c d | a b c d] partial sums per 128-bit lane
        return Sse2.Add(abcd.GetLower(), abcd.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreWithTails(Vector128<int> sums, sbyte* a, byte* packed, nint ldp, int i, int length, int* result)
    {
        int tail = length - i;
        for (int t = 0; t < 4; t++) result[t] = sums.GetElement(t) + Scalar(a + i, packed + t * ldp + i / 2, tail);
    }
}
