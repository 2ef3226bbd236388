namespace Quamba.Tests.Quantization;

/// <summary>Deterministic random data for the quantization tests.</summary>
internal static class QuantTestData
{
    public static float[] Gaussian(int count, int seed, double scale = 1)
    {
        var rng = new Random(seed);
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(NextGaussian(rng) * scale);
        return v;
    }

    public static double NextGaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static sbyte[] Int8(int count, int seed)
    {
        var rng = new Random(seed);
        var v = new sbyte[count];
        for (int i = 0; i < count; i++) v[i] = (sbyte)rng.Next(-128, 128);
        return v;
    }

    /// <summary><c>x W^T</c> in double: x [rows, k], w [n, k].</summary>
    public static double[] MatMulTransposed(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> w, int n, int k)
    {
        var y = new double[rows * n];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int i = 0; i < k; i++) s += (double)x[r * k + i] * w[j * k + i];
                y[r * n + j] = s;
            }
        return y;
    }

    /// <summary>
    /// The layer-output error GPTQ minimises, <c>sum_r (w_r - q_r)^T H (w_r - q_r)</c> over the rows of w, q
    /// <c>[rows, columns]</c>, H <c>[columns, columns]</c>.
    /// </summary>
    public static double HessianWeightedError(double[] h, float[] w, float[] q, int rows, int columns)
    {
        double total = 0;
        var delta = new double[columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++) delta[c] = (double)w[r * columns + c] - q[r * columns + c];
            for (int i = 0; i < columns; i++)
            {
                double row = 0;
                for (int j = 0; j < columns; j++) row += h[i * columns + j] * delta[j];
                total += delta[i] * row;
            }
        }
        return total;
    }
}
