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

    /// <summary>fp16 activations, uniform in [min, max] before rounding to fp16.</summary>
    public static Half[] Halves(int seed, int count, float min, float max) => Array.ConvertAll(Floats(seed, count, min, max), v => (Half)v);

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

    /// <summary>fp16 activations (roughly normal, rare outliers), for the A16 kernels.</summary>
    public static Half[] Halves(int seed, int count) => Array.ConvertAll(Activations(seed, count, outlierEvery: 1000), v => (Half)v);

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

/// <summary>A valid Quamba2 cross-head grouping for a shape: head groups non-empty, dim-group ranges increasing.</summary>
internal sealed record ClusterTable(int[] HeadGroupOfHead, int[] DimGroupBoundaries, float[] Scales)
{
    public static ClusterTable Create(int seed, int heads, int headDim, int stateGroups, int headGroups, int dimGroups, float minScale, float maxScale)
    {
        var random = new Random(seed);
        int headsPerGroup = heads / stateGroups;
        var hg = new int[heads];
        for (int g = 0; g < stateGroups; g++)
        {
            // Every head group gets one head first, the rest at random; then shuffle within the state group.
            var labels = Enumerable.Range(0, headsPerGroup).Select(i => i < headGroups ? i : random.Next(headGroups)).OrderBy(_ => random.Next()).ToArray();
            Array.Copy(labels, 0, hg, g * headsPerGroup, headsPerGroup);
        }
        var bounds = new int[stateGroups * headGroups * (dimGroups + 1)];
        for (int group = 0; group < stateGroups * headGroups; group++)
        {
            // dimGroups - 1 distinct cut points in 1..headDim-1.
            var cuts = Enumerable.Range(1, headDim - 1).OrderBy(_ => random.Next()).Take(dimGroups - 1).Order().ToArray();
            int b = group * (dimGroups + 1);
            bounds[b] = 0;
            for (int d = 0; d < dimGroups - 1; d++) bounds[b + d + 1] = cuts[d];
            bounds[b + dimGroups] = headDim;
        }
        var scales = MambaInputs.Floats(seed + 1, stateGroups * headGroups * dimGroups, minScale, maxScale);
        return new ClusterTable(hg, bounds, scales);
    }
}
