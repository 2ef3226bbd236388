namespace Quamba.Model.Quantization.Weights;

/// <summary>Settings of the GPTQ solver.</summary>
public sealed record GptqOptions
{
    /// <summary>Added to H's diagonal as a fraction of its mean diagonal (GPTQ's "percdamp", 1%).</summary>
    public double DampeningFraction { get; init; } = 0.01;

    /// <summary>Columns per lazy batch: error feedback inside a batch is immediate, to later columns it is one GEMM per batch.</summary>
    public int BlockSize { get; init; } = 128;

    /// <summary>
    /// Activation order ("act-order"): columns are quantized in decreasing Hessian diagonal, so the inputs that matter
    /// most are rounded first, while the most columns are still free to absorb their error. 4-bit scales then use
    /// static groups: computed from the original weight per contiguous group in the original column order before any
    /// update, so the stored layout is that of plain GPTQ.
    /// </summary>
    public bool ActOrder { get; init; } = true;

    /// <summary>The 4-bit group scales' clip search; null for abs-max scales.</summary>
    public Int4ScaleSearch? ScaleSearch { get; init; } = Int4ScaleSearch.Default;

    /// <summary>Weight the clip search's squared error by the Hessian diagonal of each column (else uniform).</summary>
    public bool HessianWeightedScaleSearch { get; init; } = true;

    internal void Validate()
    {
        if (!(DampeningFraction >= 0) || !double.IsFinite(DampeningFraction))
            throw new ArgumentOutOfRangeException(nameof(DampeningFraction), DampeningFraction, "GPTQ dampening must be a finite fraction >= 0 (0.01 is the standard 1%).");
        if (BlockSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, "The GPTQ block size must be >= 1 (128 is standard).");
    }
}
