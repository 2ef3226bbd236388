using Quamba.Model.Quantization;

namespace Quamba.Tests.Quantization;

public class Int8QuantizationTests
{
    [Theory]
    [InlineData(2.5f, 2)]   // ties go to even
    [InlineData(3.5f, 4)]
    [InlineData(-2.5f, -2)]
    [InlineData(-3.5f, -4)]
    [InlineData(2.4999f, 2)]
    [InlineData(126.6f, 127)]
    [InlineData(300f, 127)] // clamped
    [InlineData(-127.5f, -128)]
    [InlineData(-300f, -128)]
    [InlineData(float.NaN, 0)]
    public void QuantizeRoundsHalfToEvenAndClamps(float value, int expected) =>
        Assert.Equal(expected, Int8Quantization.Quantize(value, 1f));

    [Fact]
    public void VectorPathMatchesScalarPathExactly()
    {
        // Lengths that leave a vector tail; values include exact halves, out-of-range values and NaN.
        var rng = new Random(3);
        var v = new float[1000 + 13];
        for (int i = 0; i < v.Length; i++)
            v[i] = (i % 7) switch
            {
                0 => rng.Next(-300, 300) + 0.5f,
                1 => float.NaN,
                2 => rng.Next(-10000, 10000),
                _ => (float)(QuantTestData.NextGaussian(rng) * 60),
            };
        float scale = 0.73f;
        var q = new sbyte[v.Length];
        Int8Quantization.Quantize(v, scale, q);
        for (int i = 0; i < v.Length; i++) Assert.Equal(Int8Quantization.Quantize(v[i], scale), q[i]);
    }

    [Fact]
    public void RoundTripErrorIsAtMostHalfAScale()
    {
        var v = QuantTestData.Gaussian(4099, 11, 3);
        float scale = Int8Quantization.ScaleFromRange(MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(v)));
        var q = new sbyte[v.Length];
        var d = new float[v.Length];
        Int8Quantization.Quantize(v, scale, q);
        Int8Quantization.Dequantize(q, scale, d);
        // Bound s/2, plus 1e-5 s for the float rounding of v / s and q * s (|v / s| <= 127).
        for (int i = 0; i < v.Length; i++) Assert.True(MathF.Abs(v[i] - d[i]) <= scale * (0.5f + 1e-5f), $"index {i}: {v[i]} -> {d[i]}");
    }

    [Fact]
    public void ScaleFromRangeMapsRangeToCode127AndZeroToOne()
    {
        Assert.Equal(254f / 127f, Int8Quantization.ScaleFromRange(254f));
        Assert.Equal(127, Int8Quantization.Quantize(254f, Int8Quantization.ScaleFromRange(254f)));
        Assert.Equal(1f, Int8Quantization.ScaleFromRange(0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => Int8Quantization.ScaleFromRange(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Int8Quantization.Quantize(new float[4], 0f, new sbyte[4]));
    }
}
