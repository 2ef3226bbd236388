namespace Quamba.Model.Generation;

/// <summary>
/// How the next token is chosen. Temperature 0 is greedy (argmax); otherwise logits are divided by the
/// temperature, cut to the <see cref="TopK"/> most likely tokens (0 = no cut) and then to the smallest set
/// whose probability reaches <see cref="TopP"/> (1 = no cut), and sampled with a seeded generator.
/// </summary>
public sealed record SamplingOptions(float Temperature = 0f, int TopK = 0, float TopP = 1f, int? Seed = null)
{
    public static SamplingOptions Greedy { get; } = new();

    public bool IsGreedy => Temperature <= 0f;

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending option.</summary>
    public void Validate()
    {
        if (float.IsNaN(Temperature) || Temperature < 0f)
            throw new ArgumentException($"temperature must be 0 (greedy) or positive, got {Temperature}.", nameof(Temperature));
        if (TopK < 0)
            throw new ArgumentException($"top-k must be 0 (off) or positive, got {TopK}.", nameof(TopK));
        if (float.IsNaN(TopP) || TopP <= 0f || TopP > 1f)
            throw new ArgumentException($"top-p must be in (0, 1], got {TopP}.", nameof(TopP));
    }
}
