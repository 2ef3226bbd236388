using Quamba.Model.Quantization.Clustering;
using Quamba.Model.Quantization.Observers;

namespace Quamba.Model.Quantization.Calibration;

/// <summary>
/// The observers of one mixer's quantization points. Every point is observed separately; the
/// recipe decides afterwards which ranges share a scale (<see cref="ActivationScales"/>), since a shared abs-max
/// scale is the maximum of the separate abs-max ranges.
/// </summary>
internal sealed class LayerObservers
{
    /// <summary>in_proj's input u.</summary>
    public IScaleObserver Input { get; } = new AbsMaxObserver();

    /// <summary>Segments of in_proj's output: Mamba1 [x, z]; Mamba2 [x, B, C] (the conv input).</summary>
    public required IScaleObserver[] ConvInputSegments { get; init; }

    /// <summary>The SSM input x, per tensor (null when grouped).</summary>
    public IScaleObserver? X { get; init; }

    /// <summary>The SSM input x, cross-head groups (Quamba2 on Mamba2).</summary>
    public CrossHeadObserver? XGrouped { get; init; }

    /// <summary>B and C, one scale per state group (per tensor: one group spanning all).</summary>
    public required PerStateGroupObserver B { get; init; }
    public required PerStateGroupObserver C { get; init; }

    /// <summary>Mamba1's dt_low (x_proj output), the dt_proj input.</summary>
    public IScaleObserver? DtLow { get; init; }

    /// <summary>out_proj's input y (Hadamard-rotated when the recipe rotates it).</summary>
    public IScaleObserver Y { get; } = new AbsMaxObserver();
}
