using Quamba.Model.Quantization.Calibration;
using Quamba.Model.Quantization.Clustering;
using Quamba.Model.Quantization.Transforms;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>
/// A float model ready to be quantized: transformed (Mamba2 reordered for Quamba2, norm gamma folded) and calibrated
/// on that transformed model.
/// </summary>
internal sealed record PreparedQuantization(
    FloatCheckpoint Transformed,
    QuantizationOptions Options,
    RecipeSettings Recipe,
    LayerPrecision[] Precisions,
    LayerPrecision HeadPrecision,
    CalibrationData? Calibration,
    LayerClustering[]? Clustering,
    ActivationCollector? Collector);
