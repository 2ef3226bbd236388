using Quamba.Kernels.Mamba;
using Quamba.Model.Quantization;

namespace Quamba.Tests.Mamba;

/// <summary>The kernels' scalar rules agree with Quamba.Model's integer path (docs/quantization-primitives.md).</summary>
public class QuantizationConventionTests
{
    [Fact]
    public void KernelQuantizeEqualsInt8QuantizationEverywhere()
    {
        var random = new Random(17);
        float[] scales = [1f, 0.5f, 0.1f, 0.0123f, 3.7f, 1e-3f];
        var values = new List<float> { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 127.5f, -128.5f, 126.5f, -127.5f, 1e30f, -1e30f };
        for (int i = -300; i <= 300; i++) values.Add(i * 0.5f); // exact halves: ties to even
        for (int i = 0; i < 20000; i++) values.Add((float)(random.NextDouble() * 400 - 200));
        foreach (float scale in scales)
            foreach (float v in values)
            {
                float value = v * scale; // halves of the quotient stay exact halves for power-of-two scales
                Assert.True(Int8Quantization.Quantize(value, scale) == KernelMath.Quantize(value, scale), $"value {value:R}, scale {scale:R}");
            }
    }

    [Fact]
    public void SoftplusAndLog1pAreAccurate()
    {
        // log1p in double, accurate for tiny arguments too (1 + y would round y away).
        static double Log1p(double y) => y < 1e-5 ? y - y * y / 2 + y * y * y / 3 : Math.Log(1 + y);
        for (double step = -30; step <= 30; step += 0.01)
        {
            float x = (float)step;
            double expected = x > 20 ? x : Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs((double)x)));
            float actual = KernelMath.Softplus(x);
            Assert.True(Math.Abs(actual - expected) <= 4e-7 * Math.Abs(expected) + 1e-30, $"softplus({x}) = {actual:R}, expected {expected:R}");
        }
        for (double u = 0; u <= 1; u += 1.0 / 4096)
        {
            float actual = KernelMath.Log1p((float)u);
            double expected = Log1p((float)u);
            Assert.True(Math.Abs(actual - expected) <= 3e-7 * expected + 1e-45, $"log1p({u}) = {actual:R}, expected {expected:R}");
        }
    }
}
