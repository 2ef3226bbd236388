namespace Quamba.Model.Quantization.Weights;

/// <summary>Settings of the GPTQ solver.</summary>
public sealed record GptqOptions
{
    /// <summary>Added to H's diagonal as a fraction of its mean diagonal (GPTQ's "percdamp", 1%).</summary>
    public double DampeningFraction { get; init; } = 0.01;

    /// <summary>Columns per lazy batch: error feedback inside a batch is immediate, to later columns it is one GEMM per batch.</summary>
    public int BlockSize { get; init; } = 128;

    internal void Validate()
    {
        if (!(DampeningFraction >= 0) || !double.IsFinite(DampeningFraction))
            throw new ArgumentOutOfRangeException(nameof(DampeningFraction), DampeningFraction, "GPTQ dampening must be a finite fraction >= 0 (0.01 is the standard 1%).");
        if (BlockSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, "The GPTQ block size must be >= 1 (128 is standard).");
    }
}
