using System.Numerics;
using System.Runtime.CompilerServices;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// <see cref="Vector{T}"/> int8 dot products: widen int8 to int16, multiply (an int8 product fits int16),
/// widen to int32 and accumulate. Exact; runs on any CPU .NET vectorises.
/// </summary>
internal static unsafe class Int8DotPortable
{
    public static int Dot(sbyte* a, sbyte* w, int k)
    {
        var acc = Vector<int>.Zero;
        int i = 0, step = Vector<sbyte>.Count;
        for (; i <= k - step; i += step)
        {
            Vector.Widen(Unsafe.ReadUnaligned<Vector<sbyte>>(a + i), out var a0, out var a1);
            acc += Products(a0, a1, Unsafe.ReadUnaligned<Vector<sbyte>>(w + i));
        }
        return Vector.Sum(acc) + Int8DotScalar.Dot(a + i, w + i, k - i);
    }

    public static void Dot4(sbyte* a, sbyte* w, nint ldw, int k, int* result)
    {
        Vector<int> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
        int i = 0, step = Vector<sbyte>.Count;
        for (; i <= k - step; i += step)
        {
            Vector.Widen(Unsafe.ReadUnaligned<Vector<sbyte>>(a + i), out var a0, out var a1);
            acc0 += Products(a0, a1, Unsafe.ReadUnaligned<Vector<sbyte>>(w + i));
            acc1 += Products(a0, a1, Unsafe.ReadUnaligned<Vector<sbyte>>(w + ldw + i));
            acc2 += Products(a0, a1, Unsafe.ReadUnaligned<Vector<sbyte>>(w + 2 * ldw + i));
            acc3 += Products(a0, a1, Unsafe.ReadUnaligned<Vector<sbyte>>(w + 3 * ldw + i));
        }
        int tail = k - i;
        result[0] = Vector.Sum(acc0) + Int8DotScalar.Dot(a + i, w + i, tail);
        result[1] = Vector.Sum(acc1) + Int8DotScalar.Dot(a + i, w + ldw + i, tail);
        result[2] = Vector.Sum(acc2) + Int8DotScalar.Dot(a + i, w + 2 * ldw + i, tail);
        result[3] = Vector.Sum(acc3) + Int8DotScalar.Dot(a + i, w + 3 * ldw + i, tail);
    }

    /// <summary>Pairwise int32 sums of a (already widened to int16) times w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<int> Products(Vector<short> a0, Vector<short> a1, Vector<sbyte> w)
    {
        Vector.Widen(w, out var w0, out var w1);
        Vector.Widen(a0 * w0, out var p0, out var p1);
        Vector.Widen(a1 * w1, out var p2, out var p3);
        return (p0 + p1) + (p2 + p3);
    }
}
