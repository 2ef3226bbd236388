using System.Runtime.CompilerServices;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>Scalar int8 dot products: the reference arithmetic, and the tails of the SIMD paths.</summary>
internal static unsafe class Int8DotScalar
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(sbyte* a, sbyte* w, int k)
    {
        int s = 0;
        for (int i = 0; i < k; i++) s += a[i] * w[i];
        return s;
    }

    /// <summary>Four weight rows (stride <paramref name="ldw"/>) against one activation row.</summary>
    public static void Dot4(sbyte* a, sbyte* w, nint ldw, int k, int* result)
    {
        for (int r = 0; r < 4; r++) result[r] = Dot(a, w + r * ldw, k);
    }
}
