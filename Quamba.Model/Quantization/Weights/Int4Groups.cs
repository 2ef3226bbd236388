namespace Quamba.Model.Quantization.Weights;

/// <summary>The group layout of 4-bit weights (consecutive columns of a row share a scale) and its scales.</summary>
internal static class Int4Groups
{
    public static void CheckGroupSize(int groupSize)
    {
        if (groupSize < 2 || groupSize % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "The 4-bit group size must be even and >= 2 (128 is the Quamba2 default).");
    }

    public static int Count(int columns, int groupSize) => (columns + groupSize - 1) / groupSize;

    /// <summary>
    /// One scale per (row, group), <c>[rows, groups]</c>: the abs-max scale, or the clip search's choice weighted by
    /// <paramref name="importance"/> (one weight per column; null for the plain squared error).
    /// </summary>
    public static float[] Scales(ReadOnlySpan<float> weights, int rows, int columns, int groupSize, Int4ScaleSearch? search, float[]? importance)
    {
        int groups = Count(columns, groupSize);
        var scales = new float[(long)rows * groups];
        for (int r = 0; r < rows; r++)
            for (int g = 0; g < groups; g++)
            {
                int c0 = g * groupSize, count = Math.Min(groupSize, columns - c0);
                scales[r * groups + g] = Scale(weights.Slice(r * columns + c0, count), search, importance is null ? default : importance.AsSpan(c0, count));
            }
        return scales;
    }

    /// <summary>The scale of one group's values.</summary>
    public static float Scale(ReadOnlySpan<float> group, Int4ScaleSearch? search, ReadOnlySpan<float> importance)
    {
        if (search is not null) return search.Scale(group, importance);
        float absMax = 0;
        foreach (float w in group) absMax = MathF.Max(absMax, MathF.Abs(w));
        return Int4Quantization.ScaleFromAbsMax(absMax);
    }
}
