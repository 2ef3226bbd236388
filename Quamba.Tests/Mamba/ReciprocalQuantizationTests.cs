using Quamba.Kernels.Mamba;

namespace Quamba.Tests.Mamba;

/// <summary>
/// ReciprocalQuantization (a multiply by factor/scale, with the exact division near rounding boundaries) gives
/// KernelMath.Quantize's code for every value: random quotients over many magnitudes, values within a few ulps of
/// every boundary k + 1/2 (where the multiply alone could round the other way), exact ties, saturation, and the
/// special values and scales that must take the exact path; with factor 1 and with the Hadamard kernels' 1/sqrt(n).
/// </summary>
public class ReciprocalQuantizationTests
{
    [Fact]
    public void EqualsQuantizeOnRandomQuotientsAcrossScales()
    {
        var random = new Random(23);
        for (int i = 0; i < 400_000; i++)
        {
            float scale = (float)Math.Pow(10, random.NextDouble() * 12 - 8);       // 1e-8 .. 1e4
            float quotient = (float)((random.NextDouble() * 2 - 1) * Math.Pow(2, random.Next(-30, 12)));
            Check(quotient * scale, scale);
        }
    }

    [Fact]
    public void EqualsQuantizeNextToEveryRoundingBoundary()
    {
        var random = new Random(29);
        for (int i = 0; i < 2_000; i++)
        {
            float scale = (float)(random.NextDouble() * 3 + 1e-3) * (float)Math.Pow(2, random.Next(-20, 10));
            for (int k = -130; k <= 130; k++)
            {
                float boundary = (k + 0.5f) * scale;
                float below = boundary, above = boundary;
                Check(boundary, scale);
                for (int step = 0; step < 4; step++)
                {
                    below = MathF.BitDecrement(below);
                    above = MathF.BitIncrement(above);
                    Check(below, scale);
                    Check(above, scale);
                }
            }
        }
    }

    [Fact]
    public void EqualsQuantizeOnSpecialValuesAndScales()
    {
        float[] values = [0f, -0f, float.Epsilon, -float.Epsilon, 1e-40f, 1e-30f, 1f, -1f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 127.5f, -128.5f,
            126.5f, 255.99f, 256f, -256f, 1e20f, -1e20f, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        float[] scales = [1f, 0.5f, 0.01f, 3f, -0.25f, 1e-38f, 1e-40f, float.Epsilon, 1e38f, float.MaxValue, 0f, -0f,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        foreach (float scale in scales)
            foreach (float value in values)
            {
                Check(value, scale);
                Check(value * scale, scale);
            }
    }

    /// <summary>1/sqrt(n) of the Hadamard widths, as the kernels compute it, and other factors.</summary>
    private static readonly float[] Factors = [(float)(1.0 / Math.Sqrt(5120.0)), (float)(1.0 / Math.Sqrt(1536.0)), 0.75f, 3f];

    private static void Check(float value, float scale)
    {
        sbyte expected = KernelMath.Quantize(value, scale);
        sbyte actual = ReciprocalQuantization.Quantize(value, scale, ReciprocalQuantization.Reciprocal(scale));
        if (actual != expected) Assert.Fail($"value {value:R}, scale {scale:R}: {actual}, Quantize gives {expected}");
        foreach (float factor in Factors)
        {
            // y such that y * factor lands on (or next to) the value checked above.
            float y = value / factor;
            expected = KernelMath.Quantize(y * factor, scale);
            actual = ReciprocalQuantization.QuantizeProduct(y, factor, scale, ReciprocalQuantization.ProductReciprocal(factor, scale));
            if (actual != expected) Assert.Fail($"y {y:R} x {factor:R}, scale {scale:R}: {actual}, Quantize gives {expected}");
        }
    }
}
