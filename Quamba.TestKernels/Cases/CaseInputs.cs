using Quamba.Kernels;

namespace Quamba.TestKernels.Cases;

/// <summary>Deterministic inputs and launch shapes shared by the cases.</summary>
internal static class CaseInputs
{
    public static LaunchConfig Linear(int threads, int block = 256) => new((threads + block - 1) / block, block);

    public static int[] Ints(int seed, int count, int min, int max)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(min, max)).ToArray();
    }

    public static float[] Floats(int seed, int count, float min, float max)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => min + (float)random.NextDouble() * (max - min)).ToArray();
    }

    /// <summary>Values that stress float semantics: NaN, infinities, signed zero, halves, saturation, subnormals.</summary>
    public static readonly float[] SpecialFloats =
    {
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f,
        1e10f, -1e10f, 3e9f, 65535.9f, 300.7f, -200.5f, 1e-40f, -1e-40f, float.MaxValue, float.MinValue, 1f, -1f, 7.25f,
        123456.789f, -0.0001f, 16777217f, 0.1f,
    };
}
