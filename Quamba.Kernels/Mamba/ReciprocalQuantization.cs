namespace Quamba.Kernels.Mamba;

/// <summary>
/// <see cref="KernelMath.Quantize"/> without an IEEE division per value, for kernels that quantize many values with
/// one scale. <see cref="QuantizeProduct"/> gives <c>Quantize(y * factor, scale)</c> from <c>t = y * q</c>, with
/// <c>q = factor * (1 / scale)</c> computed once (<see cref="ProductReciprocal"/>): t and the quotient
/// <c>fl(fl(y * factor) / scale)</c> that Quantize rounds differ by at most five roundings, less than
/// <c>5 * 2^-24 |t|</c>, so less than 7.7e-5 while |t| &lt; 256. Hence round(t) is Quantize's code whenever t is more
/// than 1e-4 away from a rounding boundary k + 1/2; past the int8 range both saturate to the same code, so t is clamped
/// first and rounded by adding 1.5 x 2^23 (<see cref="Shift"/>). Values near a boundary (about 2 in 10^4), NaN products,
/// and a <c>q</c> that is not a normal float (it is then NaN) take Quantize itself: the result equals
/// <see cref="KernelMath.Quantize"/> for every input.
/// </summary>
public static class ReciprocalQuantization
{
    /// <summary>Distance from the nearest integer below which round(t) is certain (0.5 minus the 1e-4 margin).</summary>
    private const float SafeOffset = 0.4999f;

    /// <summary>Smallest normal float: below it a product loses relative precision.</summary>
    private const float MinNormal = 1.17549435e-38f;

    /// <summary><c>factor * (1 / scale)</c> when both it and the reciprocal are normal floats, else NaN (every value then takes the exact path).</summary>
    public static float ProductReciprocal(float factor, float scale)
    {
        float r = 1f / scale;
        float q = factor * r;
        return IsNormal(r) && IsNormal(q) ? q : float.NaN;
    }

    /// <summary><see cref="ProductReciprocal"/> with factor 1: the reciprocal of the scale.</summary>
    public static float Reciprocal(float scale) => ProductReciprocal(1f, scale);

    /// <summary>Equals <c>KernelMath.Quantize(value, scale)</c>; <paramref name="reciprocal"/> is <see cref="Reciprocal"/>(scale).</summary>
    public static sbyte Quantize(float value, float scale, float reciprocal) => QuantizeProduct(value, 1f, scale, reciprocal);

    /// <summary>
    /// Equals <c>KernelMath.Quantize(y * factor, scale)</c>; <paramref name="productReciprocal"/> is
    /// <see cref="ProductReciprocal"/>(factor, scale).
    /// </summary>
    public static sbyte QuantizeProduct(float y, float factor, float scale, float productReciprocal)
    {
        float t = y * productReciprocal;
        float shifted = Shift(t);
        return IsShiftExact(t, shifted) ? CodeOf(shifted) : KernelMath.Quantize(y * factor, scale);
    }

    /// <summary>1.5 x 2^23: a float of magnitude in [2^23, 2^24) has unit spacing, so adding it rounds to an integer.</summary>
    private const float RoundingShift = 12582912f;

    /// <summary>
    /// t clamped to [-128, 127] plus 1.5 x 2^23: the sum rounds the clamped t to an integer, half to even, in its low
    /// mantissa bits (<see cref="CodeOf"/>). Kernels round this way rather than with round and convert, which issue at a
    /// quarter of the rate on sm_90. MinNumber / MaxNumber are one PTX instruction each; a NaN t comes out in range
    /// and is caught by <see cref="IsShiftExact"/>.
    /// </summary>
    public static float Shift(float t) => Clamp(t) + RoundingShift;

    /// <summary>
    /// Whether <see cref="CodeOf"/>(shifted) is Quantize's code: t is not NaN, and the clamped t is more than the margin
    /// from a rounding boundary (past the range both saturate, infinities included).
    /// </summary>
    public static bool IsShiftExact(float t, float shifted) => !float.IsNaN(t) & IsSafe(Clamp(t), shifted - RoundingShift);

    /// <summary>The code of a <see cref="Shift"/>ed value: the low byte of its bits (1.5 x 2^23's are zero).</summary>
    public static sbyte CodeOf(float shifted) => (sbyte)BitConverter.SingleToInt32Bits(shifted);

    private static float Clamp(float t) => float.MinNumber(float.MaxNumber(t, -128f), 127f);

    /// <summary>
    /// Whether t is more than the margin away from a rounding boundary k + 1/2 (<paramref name="nearest"/> = round(t)),
    /// so that round(t) is Quantize's code. NaN fails this test.
    /// </summary>
    private static bool IsSafe(float t, float nearest) => MathF.Abs(t - nearest) < SafeOffset;

    private static bool IsNormal(float x)
    {
        float magnitude = MathF.Abs(x);
        return magnitude >= MinNormal && magnitude <= float.MaxValue;
    }
}
