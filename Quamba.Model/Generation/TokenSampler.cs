namespace Quamba.Model.Generation;

/// <summary>Chooses a token from one row of logits according to <see cref="SamplingOptions"/>.</summary>
public sealed class TokenSampler
{
    private readonly SamplingOptions _options;
    private readonly Random _random;
    private int[] _order = [];
    private float[] _probabilities = [];
    private float[] _keys = [];

    public TokenSampler(SamplingOptions options)
    {
        options.Validate();
        _options = options;
        _random = options.Seed is int seed ? new Random(seed) : new Random();
    }

    public int Sample(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty) throw new ArgumentException("No logits to sample from.", nameof(logits));
        if (_options.IsGreedy) return ArgMax(logits);

        int count = SortedCandidates(logits);
        float maxLogit = logits[_order[0]];
        float invTemperature = 1f / _options.Temperature;
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            float p = MathF.Exp((logits[_order[i]] - maxLogit) * invTemperature);
            _probabilities[i] = p;
            total += p;
        }

        // Nucleus cut: keep the smallest prefix (most likely first) whose mass reaches top-p.
        if (_options.TopP < 1f)
        {
            double kept = 0;
            for (int i = 0; i < count; i++)
            {
                kept += _probabilities[i];
                if (kept >= _options.TopP * total) { count = i + 1; total = kept; break; }
            }
        }

        double target = _random.NextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < count; i++)
        {
            cumulative += _probabilities[i];
            if (target < cumulative) return _order[i];
        }
        return _order[count - 1];
    }

    /// <summary>The index of the largest logit; the lowest index wins a tie, as torch.argmax does.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        return best;
    }

    /// <summary>Fills <see cref="_order"/> with candidate ids, most likely first; returns how many are candidates.</summary>
    private int SortedCandidates(ReadOnlySpan<float> logits)
    {
        int n = logits.Length;
        if (_order.Length != n) { _order = new int[n]; _probabilities = new float[n]; _keys = new float[n]; }
        for (int i = 0; i < n; i++) _order[i] = i;
        int count = _options.TopK > 0 ? Math.Min(_options.TopK, n) : n;
        for (int i = 0; i < n; i++) _keys[i] = -logits[i];
        Array.Sort(_keys, _order); // ascending by -logit = descending by logit; ties keep no particular order
        return count;
    }
}
