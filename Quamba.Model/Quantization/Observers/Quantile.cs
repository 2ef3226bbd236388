namespace Quamba.Model.Quantization.Observers;

/// <summary>Linear-interpolation quantile by selection (O(n) expected), without sorting the whole sample.</summary>
internal static class Quantile
{
    /// <summary>
    /// The <paramref name="alpha"/>-quantile of <paramref name="values"/> with linear interpolation at
    /// position <c>alpha * (n - 1)</c> of the ascending order. Reorders <paramref name="values"/> in place.
    /// </summary>
    public static double OfUnordered(Span<float> values, double alpha)
    {
        int n = values.Length;
        double position = alpha * (n - 1);
        int lower = (int)Math.Floor(position);
        double fraction = position - lower;
        float low = Select(values, lower);
        if (fraction == 0 || lower + 1 >= n) return low;
        // After Select, everything right of 'lower' is >= values[lower]: the next order statistic is their minimum.
        float high = float.PositiveInfinity;
        foreach (float v in values.Slice(lower + 1)) high = MathF.Min(high, v);
        return low + fraction * ((double)high - low);
    }

    /// <summary>
    /// Hoare-style quickselect with median-of-three pivots: afterwards <c>values[k]</c> is the k-th smallest,
    /// values left of it are &lt;= it and values right of it are &gt;= it. Deterministic (no random pivots).
    /// </summary>
    public static float Select(Span<float> values, int k)
    {
        int left = 0, right = values.Length - 1;
        while (right > left)
        {
            if (right - left < 16)
            {
                values.Slice(left, right - left + 1).Sort();
                return values[k];
            }
            int mid = left + (right - left) / 2;
            // Median of three into values[mid].
            if (values[mid] < values[left]) Swap(values, mid, left);
            if (values[right] < values[left]) Swap(values, right, left);
            if (values[right] < values[mid]) Swap(values, right, mid);
            float pivot = values[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    Swap(values, i, j);
                    i++;
                    j--;
                }
            }
            // Now [left, j] <= pivot <= [i, right], and anything strictly between j and i equals the pivot.
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return values[k];
        }
        return values[k];
    }

    private static void Swap(Span<float> v, int a, int b) => (v[a], v[b]) = (v[b], v[a]);
}
