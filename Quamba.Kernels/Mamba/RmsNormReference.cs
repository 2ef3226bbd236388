namespace Quamba.Kernels.Mamba;

/// <summary>Plain C# reference of the normalisations (sums of squares accumulated in double).</summary>
public static class RmsNormReference
{
    /// <summary>Returns the updated residual and the normalised rows (float).</summary>
    public static (float[] Residual, float[] Y) ResidualRmsNorm(float[] residual, float[]? delta, float[] weight, float eps)
    {
        int width = weight.Length;
        var res = (float[])residual.Clone();
        var y = new float[res.Length];
        for (int r = 0; r < res.Length / width; r++)
        {
            double squares = 0;
            for (int i = 0; i < width; i++)
            {
                if (delta is not null) res[r * width + i] += delta[r * width + i];
                squares += (double)res[r * width + i] * res[r * width + i];
            }
            float inverse = 1f / MathF.Sqrt((float)(squares / width) + eps);
            for (int i = 0; i < width; i++) y[r * width + i] = res[r * width + i] * inverse * weight[i];
        }
        return (res, y);
    }

    /// <summary>Residual add, RMSNorm and int8 codes with one scale.</summary>
    public static (float[] Residual, sbyte[] Codes) ResidualRmsNormQuantize(float[] residual, float[]? delta, float[] weight, float eps, float scale)
    {
        var (res, y) = ResidualRmsNorm(residual, delta, weight, eps);
        return (res, y.Select(v => KernelMath.Quantize(v, scale)).ToArray());
    }

    /// <summary>Mamba2's gated RMSNorm: v = y * SiLU(z * zScale), normalised per group of E/G channels, times weight.</summary>
    public static float[] GatedRmsNorm(float[] y, sbyte[] z, int zStride, float zScale, float[] weight, int groups, float eps) =>
        GatedRmsNorm(y, (r, i) => z[r * zStride + i] * zScale, weight, groups, eps);

    /// <summary>The gated RMSNorm of A16 layers: z is fp16 (in_proj's output), v = y * SiLU(z).</summary>
    public static float[] GatedRmsNorm(float[] y, Half[] z, int zStride, float[] weight, int groups, float eps) =>
        GatedRmsNorm(y, (r, i) => (float)z[r * zStride + i], weight, groups, eps);

    /// <summary>The gated norm with z of row r, channel i given as a float by <paramref name="zAt"/>.</summary>
    private static float[] GatedRmsNorm(float[] y, Func<int, int, float> zAt, float[] weight, int groups, float eps)
    {
        int width = weight.Length, groupSize = width / groups;
        var output = new float[y.Length];
        for (int r = 0; r < y.Length / width; r++)
            for (int g = 0; g < groups; g++)
            {
                double squares = 0;
                for (int i = g * groupSize; i < (g + 1) * groupSize; i++)
                {
                    float v = y[r * width + i] * KernelMath.SiLU(zAt(r, i));
                    output[r * width + i] = v;
                    squares += (double)v * v;
                }
                float inverse = 1f / MathF.Sqrt((float)(squares / groupSize) + eps);
                for (int i = g * groupSize; i < (g + 1) * groupSize; i++) output[r * width + i] = output[r * width + i] * inverse * weight[i];
            }
        return output;
    }
}
