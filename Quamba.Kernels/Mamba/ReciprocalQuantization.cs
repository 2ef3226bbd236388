namespace Quamba.Kernels.Mamba;

/// <summary>
/// <see cref="KernelMath.Quantize"/> without an IEEE division per value, for kernels that quantize many values with
/// one scale. With <c>r = 1 / scale</c> (one division per thread, correctly rounded), <c>t = value * r</c> differs
/// from the quotient <c>fl(value / scale)</c> that Quantize rounds by less than <c>2^-22 |t|</c> (r and the product
/// each round once, the quotient once), so less than 6.2e-5 while |t| &lt; 256. Hence round(t) is Quantize's code
/// whenever t is more than 1e-4 away from a rounding boundary k + 1/2, and every |t| &gt;= 256 saturates exactly as
/// the quotient does. Values near a boundary (about 2 in 10^4), NaN, infinite products and a reciprocal that is not
/// a normal float take Quantize itself: the result equals <see cref="KernelMath.Quantize"/> for every input.
/// </summary>
public static class ReciprocalQuantization
{
    /// <summary>Distance from the nearest integer below which round(t) is certain (0.5 minus the 1e-4 margin).</summary>
    private const float SafeOffset = 0.4999f;

    /// <summary>Smallest normal float: below it a reciprocal loses relative precision.</summary>
    private const float MinNormal = 1.17549435e-38f;

    /// <summary><c>1 / scale</c> when it is a normal float, else NaN (which sends every value to the exact path).</summary>
    public static float Reciprocal(float scale)
    {
        float r = 1f / scale;
        float magnitude = MathF.Abs(r);
        return magnitude >= MinNormal && magnitude <= float.MaxValue ? r : float.NaN;
    }

    /// <summary>Equals <c>KernelMath.Quantize(value, scale)</c>; <paramref name="reciprocal"/> is <see cref="Reciprocal"/>(scale).</summary>
    public static sbyte Quantize(float value, float scale, float reciprocal)
    {
        float t = value * reciprocal;
        float nearest = MathF.Round(t);
        // Branch-free on the common path: the clamp also saturates |t| >= 256 (and infinities) correctly.
        int code = Math.Clamp((int)nearest, -128, 127);
        // NaN (a NaN value or reciprocal, or 0 * infinity) fails both tests and takes the exact path.
        bool certain = MathF.Abs(t - nearest) < SafeOffset || MathF.Abs(t) >= 256f;
        return certain ? (sbyte)code : KernelMath.Quantize(value, scale);
    }
}
