using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// One row of the W4A16 product, dequantising on the fly: <c>sum_g s_g * sum_{i in g} a[i] * (code[i] - 8)</c>
/// with float activations. Float sums, so paths differ in rounding order (not bit-identical); each group is
/// summed in vector lanes, then scaled and added into a running vector.
/// </summary>
internal static unsafe class W4A16GroupDot
{
    public static float Scalar(float* a, byte* packed, float* scales, int k, int groupSize)
    {
        float total = 0;
        for (int c0 = 0, g = 0; c0 < k; c0 += groupSize, g++)
        {
            int len = Math.Min(groupSize, k - c0);
            float s = 0;
            for (int i = 0; i < len; i++) s += a[c0 + i] * (NibbleUnpack.Code(packed + c0 / 2, i) - 8);
            total += scales[g] * s;
        }
        return total;
    }

    public static float Portable(float* a, byte* packed, float* scales, int k, int groupSize)
    {
        var total = Vector<float>.Zero;
        float tailTotal = 0;
        int bytes = Vector<byte>.Count, codes = 2 * bytes;
        var low = new Vector<ushort>(0x000F);
        var high = new Vector<ushort>(0x00F0);
        for (int c0 = 0, g = 0; c0 < k; c0 += groupSize, g++)
        {
            int len = Math.Min(groupSize, k - c0), i = 0;
            var acc = Vector<float>.Zero;
            for (; i <= len - codes; i += codes)
            {
                // (lo | hi << 8) per widened byte reads, as bytes, in column order (little-endian).
                Vector.Widen(Unsafe.ReadUnaligned<Vector<byte>>(packed + (c0 + i) / 2), out var p0, out var p1);
                acc += Dot(Vector.AsVectorByte((p0 & low) | Vector.ShiftLeft(p0 & high, 4)), a + c0 + i);
                acc += Dot(Vector.AsVectorByte((p1 & low) | Vector.ShiftLeft(p1 & high, 4)), a + c0 + i + bytes);
            }
            total += acc * scales[g];
            float s = 0;
            for (; i < len; i++) s += a[c0 + i] * (NibbleUnpack.Code(packed + c0 / 2, i) - 8);
            tailTotal += scales[g] * s;
        }
        return Vector.Sum(total) + tailTotal;
    }

    /// <summary>Lane-wise products of Vector{byte}.Count codes (minus 8) with as many activations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Dot(Vector<byte> codes, float* a)
    {
        int lanes = Vector<float>.Count;
        var eight = new Vector<float>(8);
        Vector.Widen(codes, out var u0, out var u1);
        Vector.Widen(u0, out var i0, out var i1);
        Vector.Widen(u1, out var i2, out var i3);
        var acc = Unsafe.ReadUnaligned<Vector<float>>(a) * (Vector.ConvertToSingle(Vector.AsVectorInt32(i0)) - eight);
        acc += Unsafe.ReadUnaligned<Vector<float>>(a + lanes) * (Vector.ConvertToSingle(Vector.AsVectorInt32(i1)) - eight);
        acc += Unsafe.ReadUnaligned<Vector<float>>(a + 2 * lanes) * (Vector.ConvertToSingle(Vector.AsVectorInt32(i2)) - eight);
        acc += Unsafe.ReadUnaligned<Vector<float>>(a + 3 * lanes) * (Vector.ConvertToSingle(Vector.AsVectorInt32(i3)) - eight);
        return acc;
    }

    public static float Avx2(float* a, byte* packed, float* scales, int k, int groupSize)
    {
        var total = Vector256<float>.Zero;
        float tailTotal = 0;
        var eight = Vector256.Create(8f);
        for (int c0 = 0, g = 0; c0 < k; c0 += groupSize, g++)
        {
            int len = Math.Min(groupSize, k - c0), i = 0;
            var acc = Vector256<float>.Zero;
            for (; i <= len - 32; i += 32)
            {
                NibbleUnpack.Unpack32(packed + (c0 + i) / 2, out var q0, out var q1);
                float* ai = a + c0 + i;
                acc = Fma.MultiplyAdd(Avx.LoadVector256(ai), Weights8(q0, eight), acc);
                acc = Fma.MultiplyAdd(Avx.LoadVector256(ai + 8), Weights8(Sse2.ShiftRightLogical128BitLane(q0, 8), eight), acc);
                acc = Fma.MultiplyAdd(Avx.LoadVector256(ai + 16), Weights8(q1, eight), acc);
                acc = Fma.MultiplyAdd(Avx.LoadVector256(ai + 24), Weights8(Sse2.ShiftRightLogical128BitLane(q1, 8), eight), acc);
            }
            total = Fma.MultiplyAdd(acc, Vector256.Create(scales[g]), total);
            float s = 0;
            for (; i < len; i++) s += a[c0 + i] * (NibbleUnpack.Code(packed + c0 / 2, i) - 8);
            tailTotal += scales[g] * s;
        }
        return Vector256.Sum(total) + tailTotal;
    }

    /// <summary>The low 8 codes as floats, minus 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Weights8(Vector128<byte> codes, Vector256<float> eight) =>
        Avx.Subtract(Avx.ConvertToVector256Single(System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int32(codes)), eight);

    public static float Avx512(float* a, byte* packed, float* scales, int k, int groupSize)
    {
        var total = Vector512<float>.Zero;
        float tailTotal = 0;
        var eight = Vector512.Create(8f);
        for (int c0 = 0, g = 0; c0 < k; c0 += groupSize, g++)
        {
            int len = Math.Min(groupSize, k - c0), i = 0;
            var acc = Vector512<float>.Zero;
            for (; i <= len - 32; i += 32)
            {
                NibbleUnpack.Unpack32(packed + (c0 + i) / 2, out var q0, out var q1);
                float* ai = a + c0 + i;
                var w0 = Avx512F.Subtract(Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(q0)), eight);
                var w1 = Avx512F.Subtract(Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(q1)), eight);
                acc = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(ai), w0, acc);
                acc = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(ai + 16), w1, acc);
            }
            total = Avx512F.FusedMultiplyAdd(acc, Vector512.Create(scales[g]), total);
            float s = 0;
            for (; i < len; i++) s += a[c0 + i] * (NibbleUnpack.Code(packed + c0 / 2, i) - 8);
            tailTotal += scales[g] * s;
        }
        return Vector512.Sum(total) + tailTotal;
    }

    // Four weight rows (packed stride ldp, scale stride groups) at once: each activation load serves four rows,
    // and the four accumulation chains overlap the FMA latency. result[t] = the dot product of row t.

    public static void Avx512FourRows(float* a, byte* packed, nint ldp, float* scales, int groups, int k, int groupSize, float* result)
    {
        Vector512<float> t0 = default, t1 = default, t2 = default, t3 = default;
        float* tail = stackalloc float[4];
        for (int r = 0; r < 4; r++) tail[r] = 0;
        for (int c0 = 0, g = 0; c0 < k; c0 += groupSize, g++)
        {
            int len = Math.Min(groupSize, k - c0), i = 0;
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= len - 32; i += 32)
            {
                float* ai = a + c0 + i;
                var x0 = Avx512F.LoadVector512(ai);
                var x1 = Avx512F.LoadVector512(ai + 16);
                byte* p = packed + (c0 + i) / 2;
                a0 = Step512(p, x0, x1, a0);
                a1 = Step512(p + ldp, x0, x1, a1);
                a2 = Step512(p + 2 * ldp, x0, x1, a2);
                a3 = Step512(p + 3 * ldp, x0, x1, a3);
            }
            t0 = Avx512F.FusedMultiplyAdd(a0, Vector512.Create(scales[g]), t0);
            t1 = Avx512F.FusedMultiplyAdd(a1, Vector512.Create(scales[groups + g]), t1);
            t2 = Avx512F.FusedMultiplyAdd(a2, Vector512.Create(scales[2 * groups + g]), t2);
            t3 = Avx512F.FusedMultiplyAdd(a3, Vector512.Create(scales[3 * groups + g]), t3);
            if (i < len) TailFourRows(a, packed, ldp, scales, groups, c0, i, len, g, tail);
        }
        result[0] = Vector512.Sum(t0) + tail[0];
        result[1] = Vector512.Sum(t1) + tail[1];
        result[2] = Vector512.Sum(t2) + tail[2];
        result[3] = Vector512.Sum(t3) + tail[3];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Step512(byte* p, Vector512<float> x0, Vector512<float> x1, Vector512<float> acc)
    {
        NibbleUnpack.Unpack32(p, out var q0, out var q1);
        var eight = Vector512.Create(8f);
        acc = Avx512F.FusedMultiplyAdd(x0, Avx512F.Subtract(Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(q0)), eight), acc);
        return Avx512F.FusedMultiplyAdd(x1, Avx512F.Subtract(Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(q1)), eight), acc);
    }

    public static void Avx2FourRows(float* a, byte* packed, nint ldp, float* scales, int groups, int k, int groupSize, float* result)
    {
        Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default;
        float* tail = stackalloc float[4];
        for (int r = 0; r < 4; r++) tail[r] = 0;
        for (int c0 = 0, g = 0; c0 < k; c0 += groupSize, g++)
        {
            int len = Math.Min(groupSize, k - c0), i = 0;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= len - 16; i += 16)
            {
                float* ai = a + c0 + i;
                var x0 = Avx.LoadVector256(ai);
                var x1 = Avx.LoadVector256(ai + 8);
                byte* p = packed + (c0 + i) / 2;
                a0 = Step256(p, x0, x1, a0);
                a1 = Step256(p + ldp, x0, x1, a1);
                a2 = Step256(p + 2 * ldp, x0, x1, a2);
                a3 = Step256(p + 3 * ldp, x0, x1, a3);
            }
            t0 = Fma.MultiplyAdd(a0, Vector256.Create(scales[g]), t0);
            t1 = Fma.MultiplyAdd(a1, Vector256.Create(scales[groups + g]), t1);
            t2 = Fma.MultiplyAdd(a2, Vector256.Create(scales[2 * groups + g]), t2);
            t3 = Fma.MultiplyAdd(a3, Vector256.Create(scales[3 * groups + g]), t3);
            if (i < len) TailFourRows(a, packed, ldp, scales, groups, c0, i, len, g, tail);
        }
        result[0] = Vector256.Sum(t0) + tail[0];
        result[1] = Vector256.Sum(t1) + tail[1];
        result[2] = Vector256.Sum(t2) + tail[2];
        result[3] = Vector256.Sum(t3) + tail[3];
    }

    /// <summary>16 codes (8 packed bytes) against 16 activations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Step256(byte* p, Vector256<float> x0, Vector256<float> x1, Vector256<float> acc)
    {
        // 8 packed bytes -> 16 codes in column order (low nibble first), in one 128-bit register.
        var b = Vector128.CreateScalar(*(ulong*)p).AsByte();
        var mask = Vector128.Create((byte)0x0F);
        var codes = Sse2.UnpackLow(Sse2.And(b, mask), Sse2.And(Sse2.ShiftRightLogical(b.AsUInt16(), 4).AsByte(), mask));
        var eight = Vector256.Create(8f);
        acc = Fma.MultiplyAdd(x0, Weights8(codes, eight), acc);
        return Fma.MultiplyAdd(x1, Weights8(Sse2.ShiftRightLogical128BitLane(codes, 8), eight), acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TailFourRows(float* a, byte* packed, nint ldp, float* scales, int groups, int c0, int i, int len, int g, float* tail)
    {
        for (int r = 0; r < 4; r++)
        {
            float s = 0;
            for (int t = i; t < len; t++) s += a[c0 + t] * (NibbleUnpack.Code(packed + r * ldp + c0 / 2, t) - 8);
            tail[r] += scales[r * groups + g] * s;
        }
    }
}
