using System.Numerics;

namespace Quamba.Model.Quantization;

/// <summary>
/// Symmetric int8 quantization: <c>q = clamp(round(v / s), -128, 127)</c>, <c>v' = q * s</c>, <c>s = range / 127</c>.
/// </summary>
/// <remarks>
/// Rounding convention, used by every path in the project (scalar, SIMD, GPU):
/// round half to even (banker's rounding) of the IEEE float quotient <c>v / s</c>. Half-to-even is what
/// SIMD rounding (<c>roundps</c>/<c>vrndscaleps</c> in nearest mode) and PTX <c>cvt.rni</c> do natively, so
/// no path needs a fix-up. The quotient is a true division, not a multiplication by <c>1/s</c>: the two can
/// differ in the last bit and then round differently at exact halves, so paths would disagree.
/// NaN inputs quantize to 0 (the same in scalar and vector code); observers reject non-finite values, so
/// a NaN reaching the quantizer means the float model itself produced it.
/// </remarks>
public static class Int8Quantization
{
    public const int MinCode = -128;
    public const int MaxCode = 127;

    /// <summary>The scale that maps <paramref name="range"/> (an abs-max or a clipped max) to code 127.</summary>
    /// <remarks>A zero range (an all-zero tensor) gives scale 1: every code is 0 whatever the scale, and a
    /// non-zero scale keeps the division in <see cref="Quantize(float, float)"/> finite.</remarks>
    public static float ScaleFromRange(float range)
    {
        if (!float.IsFinite(range) || range < 0)
            throw new ArgumentOutOfRangeException(nameof(range), range, "The quantization range must be finite and >= 0 (an abs-max or a clipped max).");
        return range == 0 ? 1f : range / MaxCode;
    }

    /// <summary>Round half to even, the project's one rounding rule for quantization.</summary>
    public static float RoundHalfToEven(float value) => MathF.Round(value, MidpointRounding.ToEven);

    public static sbyte Quantize(float value, float scale)
    {
        float r = RoundHalfToEven(value / scale);
        if (float.IsNaN(r)) return 0;
        if (r < MinCode) return MinCode;
        if (r > MaxCode) return MaxCode;
        return (sbyte)r;
    }

    public static float Dequantize(sbyte code, float scale) => code * scale;

    /// <summary>Quantizes <paramref name="source"/> into <paramref name="destination"/> with one scale.</summary>
    public static void Quantize(ReadOnlySpan<float> source, float scale, Span<sbyte> destination)
    {
        CheckScale(scale);
        if (destination.Length < source.Length)
            throw new ArgumentException($"destination has {destination.Length} elements but source has {source.Length}; pass a destination at least as long.", nameof(destination));

        int i = 0;
        int block = Vector<sbyte>.Count; // four float vectors narrow into one sbyte vector
        if (Vector.IsHardwareAccelerated && source.Length >= block)
        {
            var s = new Vector<float>(scale);
            int f = Vector<float>.Count;
            for (; i <= source.Length - block; i += block)
            {
                var q0 = QuantizeVector(new Vector<float>(source.Slice(i)), s);
                var q1 = QuantizeVector(new Vector<float>(source.Slice(i + f)), s);
                var q2 = QuantizeVector(new Vector<float>(source.Slice(i + 2 * f)), s);
                var q3 = QuantizeVector(new Vector<float>(source.Slice(i + 3 * f)), s);
                // Values are already in [-128, 127], so the truncating narrows are exact.
                Vector.Narrow(Vector.Narrow(q0, q1), Vector.Narrow(q2, q3)).CopyTo(destination.Slice(i));
            }
        }
        for (; i < source.Length; i++) destination[i] = Quantize(source[i], scale);
    }

    public static void Dequantize(ReadOnlySpan<sbyte> source, float scale, Span<float> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException($"destination has {destination.Length} elements but source has {source.Length}; pass a destination at least as long.", nameof(destination));
        for (int i = 0; i < source.Length; i++) destination[i] = source[i] * scale;
    }

    private static Vector<int> QuantizeVector(Vector<float> v, Vector<float> scale)
    {
        var r = Vector.Round(v / scale); // nearest, ties to even: same as RoundHalfToEven
        r = Vector.ConditionalSelect(Vector.Equals(r, r), r, Vector<float>.Zero); // NaN -> 0, before the clamp sees it
        r = Vector.Min(Vector.Max(r, new Vector<float>(MinCode)), new Vector<float>(MaxCode));
        return Vector.ConvertToInt32(r);
    }

    internal static void CheckScale(float scale, string name = "scale")
    {
        if (!(scale > 0) || !float.IsFinite(scale))
            throw new ArgumentOutOfRangeException(name, scale, "A quantization scale must be finite and > 0; build it with Int8Quantization.ScaleFromRange.");
    }
}
