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
}
