using Quamba.Model.Quantization.Calibration;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Hadamard;
using Quamba.Model.Quantization.Transforms;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>
/// GPTQ layer by layer (the reference GPTQ's sequential mode): the Hessians of layer l are collected on the model whose
/// layers before l already hold their quantized weights, so each solve sees, and can compensate, the error of the layers
/// below it; lm_head's Hessian comes last, with every layer quantized. Costs one calibration pass per layer after the
/// first, plus one for lm_head. Activations stay float in these passes (GPTQ quantizes weights only).
/// </summary>
internal sealed class SequentialGptq(PreparedQuantization prepared, IProgress<QuantizationProgress>? progress, CancellationToken cancellationToken)
{
    public const string Stage = "calibration: sequential GPTQ Hessians";

    private readonly FloatCheckpoint _model = prepared.Transformed.Clone();
    private readonly HadamardTransform? _hadamard = prepared.Recipe.HadamardY ? HadamardTransform.Create(prepared.Transformed.Config.IntermediateSize) : null;
    private int _pass;

    private HessianCollector FloatHessians =>
        prepared.Collector?.Hessians ?? throw new InvalidOperationException("sequential GPTQ starts from the calibration's Hessians; calibrate with GPTQ on");

    /// <summary>Layer <paramref name="layer"/>'s Hessians, given that every earlier layer has been <see cref="Commit"/>ted.</summary>
    public LayerHessians ForLayer(int layer) => layer == 0 ? FloatHessians.Layer(0) : Collect([layer], head: false).Layer(layer);

    /// <summary>lm_head's input Hessian with every layer quantized.</summary>
    public HessianAccumulator ForHead() => Collect([], head: true).Head!;

    /// <summary>Puts layer <paramref name="layer"/>'s quantized linears (dequantized) into the model the next passes run.</summary>
    public void Commit(int layer, QuantizedTensorBuilder builder)
    {
        string prefix = FloatCheckpoint.Mixer(layer, "");
        foreach (var (name, dequantize) in builder.FloatEquivalents)
            if (name.StartsWith(prefix, StringComparison.Ordinal))
                dequantize().CopyTo(_model[QuantizedTensorNames.Weight(name)], 0);
    }

    private HessianCollector Collect(int[] layers, bool head)
    {
        var collector = new HessianCollector(_model.Config, _hadamard, layers, head);
        var data = prepared.Calibration ?? throw new InvalidOperationException("sequential GPTQ needs calibration data");
        int pass = ++_pass, passes = _model.Config.NumLayers;
        IProgress<int>? windows = progress is null ? null
            : new ModelQuantizer.InlineProgress(done => progress.Report(new QuantizationProgress(Stage, (pass - 1) * data.Windows.Count + done, passes * data.Windows.Count)));
        ModelQuantizer.RunOnTransformedModel(_model, data, collector, windows, cancellationToken);
        return collector;
    }
}
