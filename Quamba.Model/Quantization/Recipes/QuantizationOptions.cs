using Quamba.Model.Quantization.Calibration;
using Quamba.Model.Quantization.Observers;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>Everything <see cref="ModelQuantizer"/> needs to know besides the model.</summary>
public sealed record QuantizationOptions
{
    public required QuantizationPrecision Precision { get; init; }
    public QuantizationRecipe Recipe { get; init; } = QuantizationRecipe.Quamba2;

    /// <summary>GPTQ instead of round-to-nearest for in_proj, x_proj, out_proj and the embedding / lm_head (see <see cref="EmbeddingGptq"/>).</summary>
    public bool Gptq { get; init; }

    public required string CalibrationFile { get; init; }
    public int CalibrationSamples { get; init; } = CalibrationData.DefaultSamples;
    public int CalibrationLength { get; init; } = CalibrationData.DefaultLength;

    /// <summary>W4AX: the precision of each layer (from a --layers file).</summary>
    public IReadOnlyList<LayerPrecision>? LayerPrecisions { get; init; }

    public double PercentileAlpha { get; init; } = PercentileObserver.DefaultAlpha;
    public int GroupSize { get; init; } = QuantizedInt4Matrix.DefaultGroupSize;

    /// <summary>4-bit group scales from a clip search (<see cref="Int4ScaleSearch"/>) instead of the abs-max, for RTN and GPTQ.</summary>
    public bool ScaleSearch { get; init; } = true;

    /// <summary>GPTQ layer by layer, each layer's Hessians collected with the layers below it quantized (<see cref="SequentialGptq"/>).</summary>
    public bool SequentialGptq { get; init; }

    /// <summary>GPTQ in activation order with static groups (<see cref="GptqOptions.ActOrder"/>).</summary>
    public bool ActOrder { get; init; } = true;

    /// <summary>
    /// With <see cref="Gptq"/>: the tied embedding table is GPTQ'd for its lm_head use, with the Hessian of lm_head's
    /// input (the final normed hidden state); lookups read the same codes. False: round to nearest.
    /// </summary>
    public bool EmbeddingGptq { get; init; } = true;

    /// <summary>
    /// GPTQ dampening of the embedding / lm_head (a fraction of its Hessian's mean diagonal). The tied table also serves
    /// lookups, whose error lm_head's Hessian does not see: solving with <c>H + f mean(diag H) I</c> adds the plain squared
    /// error of the table with weight f. 1.0 measured best on both tiny models (swept 0.01 to 10; docs/results.md).
    /// </summary>
    public double EmbeddingDampening { get; init; } = 1.0;

    /// <summary>Columns per scale of a 4-bit embedding (and untied lm_head); null: <see cref="GroupSize"/>.</summary>
    public int? EmbeddingGroupSize { get; init; }

    /// <summary>Bits of the embedding (and an untied lm_head) at 4-bit precisions: 4 (groups) or 8 (per row).</summary>
    public int EmbeddingBits { get; init; } = 4;

    /// <summary>The GPTQ settings these options imply for the layers' linears.</summary>
    internal GptqOptions LayerGptq => new() { ActOrder = ActOrder, ScaleSearch = Int4Search };

    /// <summary>The clip search, or null for abs-max scales.</summary>
    internal Int4ScaleSearch? Int4Search => ScaleSearch ? Int4ScaleSearch.Default : null;
}

/// <summary>Progress of one stage of <see cref="ModelQuantizer"/>: <see cref="Done"/> of <see cref="Total"/> steps.</summary>
public sealed record QuantizationProgress(string Stage, int Done, int Total);
