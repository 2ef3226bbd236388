namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// Chooses a 4-bit group's scale by a clip search instead of taking the abs-max: the candidates are the abs-max scale
/// shrunk by <c>1 - k * MaxShrink / Steps</c> (k = 0..Steps) and <c>absmax / 8</c> (code -8 lands exactly on the
/// largest magnitude); the one with the smallest squared rounding error over the group wins, each element weighted by
/// its importance (e.g. the Hessian diagonal of its input column) when given. Clipping a few large weights buys a finer
/// step for all the others. Candidate 0 is the abs-max scale and wins ties, so the result is never worse than abs-max
/// on that error.
/// </summary>
public sealed record Int4ScaleSearch
{
    /// <summary>50 steps down to half the abs-max range (a 1% grid).</summary>
    public static Int4ScaleSearch Default { get; } = new();

    public int Steps { get; init; } = 50;

    /// <summary>The smallest candidate is (1 - MaxShrink) times the abs-max scale.</summary>
    public double MaxShrink { get; init; } = 0.5;

    /// <summary>The scale of <paramref name="group"/> with the least (weighted) squared error.</summary>
    /// <param name="importance">One non-negative weight per element, or empty for the plain squared error.</param>
    public float Scale(ReadOnlySpan<float> group, ReadOnlySpan<float> importance)
    {
        Validate();
        if (!importance.IsEmpty && importance.Length != group.Length)
            throw new ArgumentException($"importance has {importance.Length} weights for a group of {group.Length}; pass one per element or none.", nameof(importance));
        float absMax = 0;
        foreach (float w in group) absMax = MathF.Max(absMax, MathF.Abs(w));
        float absMaxScale = Int4Quantization.ScaleFromAbsMax(absMax), best = absMaxScale;
        if (absMax == 0) return best;
        double bestError = Error(group, importance, best);
        for (int k = 1; k <= Steps + 1 && bestError > 0; k++)
        {
            float candidate = k <= Steps ? (float)(absMaxScale * (1 - k * MaxShrink / Steps)) : absMax / 8;
            if (!(candidate > 0)) continue; // a subnormal abs-max shrunk to zero
            double error = Error(group, importance, candidate);
            if (error < bestError) (best, bestError) = (candidate, error);
        }
        return best;
    }

    /// <summary><c>sum_i importance_i (w_i - decode(encode(w_i)))^2</c> at <paramref name="scale"/> (importance 1 when empty).</summary>
    public static double Error(ReadOnlySpan<float> group, ReadOnlySpan<float> importance, float scale)
    {
        double sum = 0;
        for (int i = 0; i < group.Length; i++)
        {
            double e = group[i] - Int4Quantization.Decode(Int4Quantization.Encode(group[i], scale), scale);
            sum += (importance.IsEmpty ? 1 : importance[i]) * e * e;
        }
        return sum;
    }

    private void Validate()
    {
        if (Steps < 1)
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "The scale search needs at least one step (50 is the default).");
        if (!(MaxShrink > 0 && MaxShrink < 1))
            throw new ArgumentOutOfRangeException(nameof(MaxShrink), MaxShrink, "MaxShrink must lie in (0, 1): candidates run from the abs-max scale down to (1 - MaxShrink) times it.");
    }
}
