using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Clustering;

namespace Quamba.Model.Quantization.Calibration;

/// <summary>
/// Quamba2's first calibration pass for Mamba2: per layer, the statistic sort-and-cluster needs (max over samples of
/// each x channel's mean |x|, x being the SSM input after conv + SiLU).
/// </summary>
internal sealed class ChannelStatisticsCollector : IActivationObserver
{
    private readonly ChannelStatisticsAccumulator[] _layers;
    private readonly SampleGather _gather = new();

    public ChannelStatisticsCollector(ModelConfig config)
    {
        _layers = new ChannelStatisticsAccumulator[config.NumLayers];
        for (int l = 0; l < _layers.Length; l++) _layers[l] = new ChannelStatisticsAccumulator(config.IntermediateSize);
    }

    public void Observe(ActivationSite site, int layer, ActivationBlock block)
    {
        if (site != ActivationSite.ConvOutput) return;
        var accumulator = _layers[layer];
        for (int b = 0; b < block.Batch; b++) accumulator.Observe(_gather.Gather(block, b, 0, accumulator.Channels));
    }

    /// <summary>[H * P] statistics of layer <paramref name="layer"/> in the original channel order.</summary>
    public float[] Statistics(int layer) => _layers[layer].GetStatistics();
}
