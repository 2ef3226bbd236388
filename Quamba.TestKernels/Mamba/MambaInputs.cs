using Quamba.Kernels;

namespace Quamba.TestKernels.Mamba;

/// <summary>Deterministic inputs for the Mamba kernel cases.</summary>
internal static class MambaInputs
{
    public static float[] Floats(int seed, int count, float min, float max)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = min + (float)random.NextDouble() * (max - min);
        return values;
    }

    /// <summary>Roughly normal activations with a few large outliers (what the Hadamard rotation is for).</summary>
    public static float[] Activations(int seed, int count, float outlierEvery = 97f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            float v = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            if (i % (int)outlierEvery == 5) v *= 20f;
            values[i] = v;
        }
        return values;
    }

    public static sbyte[] Codes(int seed, int count, int min = -128, int max = 127)
    {
        var random = new Random(seed);
        var values = new sbyte[count];
        for (int i = 0; i < count; i++) values[i] = (sbyte)random.Next(min, max + 1);
        return values;
    }

    public static float AbsMax(ReadOnlySpan<float> values)
    {
        float m = 0f;
        foreach (float v in values) m = Math.Max(m, Math.Abs(v));
        return m;
    }
}
