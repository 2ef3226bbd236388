namespace Quamba.Kernels.Mamba;

/// <summary>
/// Scalar math shared by the Mamba kernels and their C# references (inlined into each kernel). Every rule here is
/// the project's convention (docs/quantization-primitives.md): int8 codes are <c>clamp(round_half_even(v / s),
/// -128, 127)</c> with a true IEEE division, NaN giving 0, so GPU, emulator and the CPU integer path agree.
/// </summary>
public static class KernelMath
{
    /// <summary>Softplus returns its input above this (torch's and mamba_ssm's threshold).</summary>
    public const float SoftplusThreshold = 20f;

    /// <summary><c>clamp(round_half_even(value / scale), -128, 127)</c>; NaN gives 0 (Int8Quantization.Quantize).</summary>
    public static sbyte Quantize(float value, float scale)
    {
        float r = MathF.Round(value / scale);
        if (float.IsNaN(r)) return 0;
        if (r < -128f) return -128;
        if (r > 127f) return 127;
        return (sbyte)(int)r;
    }

    /// <summary>x * sigmoid(x) = x / (1 + exp(-x)).</summary>
    public static float SiLU(float x) => x / (1f + MathF.Exp(-x));

    /// <summary>
    /// log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)); x itself above <see cref="SoftplusThreshold"/>. The log1p
    /// keeps full relative precision for the small dt values Mamba produces (a plain log(1 + e) would lose it).
    /// </summary>
    public static float Softplus(float x)
    {
        if (x > SoftplusThreshold) return x;
        float negativeAbs = x > 0f ? -x : x;
        float positive = x > 0f ? x : 0f;
        return positive + Log1p(MathF.Exp(negativeAbs));
    }

    /// <summary>
    /// log(1 + u) for u in [0, 1], from only IEEE-exact operations (one division, fused multiply-adds), so the GPU
    /// and the CPU give the same bits: 2 atanh(s), s = u / (2 + u) &lt;= 1/3, the odd series to s^15 (relative
    /// truncation below 2e-9).
    /// </summary>
    public static float Log1p(float u)
    {
        float s = u / (2f + u);
        float s2 = s * s;
        float p = MathF.FusedMultiplyAdd(s2, 1f / 15f, 1f / 13f);
        p = MathF.FusedMultiplyAdd(s2, p, 1f / 11f);
        p = MathF.FusedMultiplyAdd(s2, p, 1f / 9f);
        p = MathF.FusedMultiplyAdd(s2, p, 1f / 7f);
        p = MathF.FusedMultiplyAdd(s2, p, 1f / 5f);
        p = MathF.FusedMultiplyAdd(s2, p, 1f / 3f);
        p = MathF.FusedMultiplyAdd(s2, p, 1f);
        return 2f * s * p;
    }

    /// <summary>The signed int8 in byte <paramref name="index"/> (0..3, low first) of a packed word.</summary>
    public static int Byte(int word, int index) => (sbyte)(word >> (8 * index));
}

/// <summary>Four floats (16 bytes): read and written with one 128-bit vector instruction.</summary>
public struct Float4
{
    public float X;
    public float Y;
    public float Z;
    public float W;

    public Float4(float x, float y, float z, float w)
    {
        X = x;
        Y = y;
        Z = z;
        W = w;
    }
}

/// <summary>Two floats (8 bytes): read and written with one 64-bit vector instruction.</summary>
public struct Float2
{
    public float X;
    public float Y;

    public Float2(float x, float y)
    {
        X = x;
        Y = y;
    }
}

/// <summary>Four ints (16 bytes): 16 packed int8 codes, read with one 128-bit vector instruction.</summary>
public struct Int4
{
    public int X;
    public int Y;
    public int Z;
    public int W;
}
