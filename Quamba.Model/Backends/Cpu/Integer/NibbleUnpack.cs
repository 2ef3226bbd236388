using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// Unpacks 16 packed bytes (32 four-bit codes, low nibble = even column, see
/// <see cref="Quamba.Model.Quantization.Weights.Int4Packing"/>) into column order: codes 0..15 and 16..31.
/// </summary>
internal static unsafe class NibbleUnpack
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack32(byte* packed, out Vector128<byte> first, out Vector128<byte> second)
    {
        var p = Sse2.LoadVector128(packed);
        var mask = Vector128.Create((byte)0x0F);
        var lo = Sse2.And(p, mask);                                                   // even columns
        var hi = Sse2.And(Sse2.ShiftRightLogical(p.AsUInt16(), 4).AsByte(), mask);    // odd columns
        first = Sse2.UnpackLow(lo, hi);   // lo0 hi0 lo1 hi1 ... = columns 0..15
        second = Sse2.UnpackHigh(lo, hi); // columns 16..31
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Unpack32(byte* packed)
    {
        Unpack32(packed, out var a, out var b);
        return Vector256.Create(a, b);
    }

    /// <summary>Scalar: code of column <paramref name="column"/> counted from the (even-aligned) start of <paramref name="packed"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Code(byte* packed, int column)
    {
        int b = packed[column >> 1];
        return (column & 1) == 0 ? b & 0x0F : b >> 4;
    }
}
