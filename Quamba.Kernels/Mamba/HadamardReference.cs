namespace Quamba.Kernels.Mamba;

/// <summary>
/// Plain C# reference of the Hadamard kernels: <c>y = x (H_m (x) W_{2^k}) / sqrt(n)</c> row by row, written as the
/// definition (element i = a * 2^k + b, the Walsh-Hadamard butterflies per segment; for m = 40 = 2 x 20 a butterfly
/// across the two halves; then the dense m x m (or 20 x 20 per half) product in groups of four inputs,
/// <see cref="HadamardGrouping"/>), then int8 codes with one scale. The operation order is Quamba.Model's
/// <c>HadamardTransform</c>'s, so the results are bit-identical.
/// </summary>
public static class HadamardReference
{
    /// <summary>Rotates each row of a [rows, width] matrix; returns a new array.</summary>
    public static float[] Rotate(ReadOnlySpan<float> input, int width, int baseOrder)
    {
        int w = width / baseOrder;
        if (w * baseOrder != width) throw new ArgumentException($"Width {width} is not a multiple of base order {baseOrder}.");
        float normalisation = (float)(1.0 / Math.Sqrt(width));
        var output = new float[input.Length];
        var z = new float[width];
        for (int r = 0; r < input.Length / width; r++)
        {
            input.Slice(r * width, width).CopyTo(z);
            for (int a = 0; a < baseOrder; a++)
                for (int step = 1; step < w; step *= 2)
                    for (int start = a * w; start < (a + 1) * w; start += 2 * step)
                        for (int i = start; i < start + step; i++)
                        {
                            float x0 = z[i], x1 = z[i + step];
                            z[i] = x0 + x1;
                            z[i + step] = x0 - x1;
                        }
            if (baseOrder == 1)
            {
                for (int i = 0; i < width; i++) output[r * width + i] = z[i] * normalisation;
                continue;
            }
            // H_40 = H_2 (x) H_20 (HadamardLayout.Doubled): a butterfly across the halves, then H_20 on each half.
            int dense = HadamardLayout.SignOrder(baseOrder), halves = baseOrder / dense, half = width / halves;
            if (halves == 2)
                for (int i = 0; i < half; i++)
                {
                    float x0 = z[i], x1 = z[i + half];
                    z[i] = x0 + x1;
                    z[i + half] = x0 - x1;
                }
            var d = HadamardTables.Signs(dense);
            int groups = dense / HadamardGrouping.GroupSize;
            var combinations = new float[groups * HadamardGrouping.Combinations];
            for (int part = 0; part < halves; part++)
                for (int b = 0; b < w; b++)
                {
                    for (int g = 0; g < groups; g++)
                    {
                        int first = part * half + HadamardGrouping.GroupSize * g * w + b;
                        float z0 = z[first], z1 = z[first + w], z2 = z[first + 2 * w], z3 = z[first + 3 * w];
                        for (int k = 0; k < HadamardGrouping.Combinations; k++)
                            combinations[g * HadamardGrouping.Combinations + k] = HadamardGrouping.Combination(k, z0, z1, z2, z3);
                    }
                    for (int a2 = 0; a2 < dense; a2++)
                    {
                        float sum = 0f;
                        for (int g = 0; g < groups; g++)
                        {
                            var (combination, negative) = HadamardGrouping.Term(d, dense, g, a2);
                            float v = combinations[g * HadamardGrouping.Combinations + combination];
                            sum = g == 0 ? (negative ? -v : v) : negative ? sum - v : sum + v;
                        }
                        output[r * width + part * half + a2 * w + b] = sum * normalisation;
                    }
                }
        }
        return output;
    }

    /// <summary>Rotates and quantizes: <c>clamp(round_half_even(y / scale), -128, 127)</c>.</summary>
    public static sbyte[] Quantize(ReadOnlySpan<float> input, int width, int baseOrder, float scale)
    {
        var y = Rotate(input, width, baseOrder);
        var codes = new sbyte[y.Length];
        for (int i = 0; i < y.Length; i++) codes[i] = KernelMath.Quantize(y[i], scale);
        return codes;
    }
}
