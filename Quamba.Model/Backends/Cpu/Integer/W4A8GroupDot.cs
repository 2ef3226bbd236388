using System.Numerics;
using System.Runtime.CompilerServices;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// One group of the W4A8 product, activations in column order (the Scalar and Portable paths):
/// <c>sum_i a[i] * code[i]</c> with int8 activations and unsigned 4-bit codes (0..15) read from packed bytes
/// (the caller subtracts <c>8 * sum_i a[i]</c> to centre the codes). Exact integer arithmetic;
/// <c>packed</c> starts at the group's first (even) column. The x86 paths are in <see cref="W4A8SplitGroupDot"/>.
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
}
