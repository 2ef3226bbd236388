namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// Symmetric 4-bit weight codes: <c>s = absmax * 2 / 15</c>, <c>code = clamp(round(w / s) + 8, 0, 15)</c>,
/// <c>w' = (code - 8) * s</c>, so codes represent -8..7 times s. Rounding is half to even, as for int8
/// (<see cref="Int8Quantization.RoundHalfToEven"/>). Every |w| &lt;= absmax lands within s/2 of its value:
/// <c>w / s</c> lies in [-7.5, 7.5] and the clamp only moves +7.5 (rounded to 8) down to 7.
/// </summary>
public static class Int4Quantization
{
    public const int MaxCode = 15;
    public const int ZeroCode = 8;

    /// <summary>The group scale for abs-max <paramref name="absMax"/>; a zero group gets scale 1 (all codes 8).</summary>
    public static float ScaleFromAbsMax(float absMax)
    {
        if (!float.IsFinite(absMax) || absMax < 0)
            throw new ArgumentOutOfRangeException(nameof(absMax), absMax, "The abs-max of a weight group must be finite and >= 0.");
        return absMax == 0 ? 1f : absMax * 2f / MaxCode;
    }

    public static byte Encode(float weight, float scale)
    {
        float r = Int8Quantization.RoundHalfToEven(weight / scale) + ZeroCode;
        if (r < 0) return 0;
        return r > MaxCode ? (byte)MaxCode : (byte)r;
    }

    public static float Decode(int code, float scale) => (code - ZeroCode) * scale;
}
