using Quamba.Model.Quantization.Calibration;
using Quamba.Model.Quantization.Observers;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>Everything <see cref="ModelQuantizer"/> needs to know besides the model.</summary>
public sealed record QuantizationOptions
{
    public required QuantizationPrecision Precision { get; init; }
    public QuantizationRecipe Recipe { get; init; } = QuantizationRecipe.Quamba2;

    /// <summary>GPTQ instead of round-to-nearest for in_proj, x_proj, out_proj (and an untied lm_head).</summary>
    public bool Gptq { get; init; }

    public required string CalibrationFile { get; init; }
    public int CalibrationSamples { get; init; } = CalibrationData.DefaultSamples;
    public int CalibrationLength { get; init; } = CalibrationData.DefaultLength;

    /// <summary>W4AX: the precision of each layer (from a --layers file).</summary>
    public IReadOnlyList<LayerPrecision>? LayerPrecisions { get; init; }

    public double PercentileAlpha { get; init; } = PercentileObserver.DefaultAlpha;
    public int GroupSize { get; init; } = QuantizedInt4Matrix.DefaultGroupSize;
}

/// <summary>Progress of one stage of <see cref="ModelQuantizer"/>: <see cref="Done"/> of <see cref="Total"/> steps.</summary>
public sealed record QuantizationProgress(string Stage, int Done, int Total);
