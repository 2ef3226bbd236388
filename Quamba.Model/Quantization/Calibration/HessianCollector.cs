using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Hadamard;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Calibration;

/// <summary>GPTQ's Hessians of one mixer's quantized linears: in_proj (input u), Mamba1 x_proj (input x), out_proj (input y).</summary>
internal sealed record LayerHessians(HessianAccumulator InProj, HessianAccumulator? XProj, HessianAccumulator OutProj);

/// <summary>
/// Accumulates GPTQ Hessians (<see cref="HessianAccumulator"/>) of the inputs of the quantized linears of chosen layers,
/// and of lm_head's input (the final normed hidden state), one sample per calibration window. out_proj's input is taken
/// as out_proj sees it: rotated by the Hadamard transform when the recipe fuses one into out_proj. Without lm_head it
/// needs each forward pass only up to its last layer's out_proj input, and says so (<see cref="IPartialActivationObserver"/>).
/// </summary>
internal sealed class HessianCollector : IPartialActivationObserver
{
    private readonly ModelConfig _config;
    private readonly HadamardTransform? _hadamard;
    private readonly LayerHessians?[] _layers;
    private readonly SampleGather _gather = new();
    private readonly int _lastLayer;
    private int _expectedRows, _lastSiteRows;

    public HessianCollector(ModelConfig config, HadamardTransform? hadamard, IEnumerable<int> layers, bool head)
    {
        _config = config;
        _hadamard = hadamard;
        _layers = new LayerHessians?[config.NumLayers];
        int d = config.HiddenSize, e = config.IntermediateSize;
        foreach (int l in layers)
            _layers[l] = new LayerHessians(new HessianAccumulator(d),
                config.Architecture == MambaArchitecture.Mamba1 ? new HessianAccumulator(e) : null, new HessianAccumulator(e));
        Head = head ? new HessianAccumulator(d) : null;
        _lastLayer = head ? -1 : layers.DefaultIfEmpty(-1).Max();
    }

    public void BeginForward(int rows) => (_expectedRows, _lastSiteRows) = (rows, 0);

    /// <summary>Without lm_head: every row of the current Forward has reached the last collected layer's out_proj input.</summary>
    public bool Satisfied => _lastLayer >= 0 && _expectedRows > 0 && _lastSiteRows >= _expectedRows;

    /// <summary>lm_head's input Hessian (null when not collected).</summary>
    public HessianAccumulator? Head { get; }

    public LayerHessians Layer(int layer) =>
        _layers[layer] ?? throw new InvalidOperationException($"the Hessians of layer {layer} were not collected");

    public void Observe(ActivationSite site, int layer, ActivationBlock block)
    {
        HessianAccumulator? target;
        int width = block.Width;
        bool rotate = false;
        switch (site)
        {
            case ActivationSite.HeadInput:
                target = Head;
                break;
            case ActivationSite.MixerInput:
                target = _layers[layer]?.InProj;
                break;
            case ActivationSite.ConvOutput when _config.Architecture == MambaArchitecture.Mamba1:
                target = _layers[layer]?.XProj;
                width = _config.IntermediateSize; // x, x_proj's input
                break;
            case ActivationSite.OutProjInput:
                target = _layers[layer]?.OutProj;
                rotate = _hadamard is not null;
                break;
            default:
                return;
        }
        if (target is null) return;
        for (int b = 0; b < block.Batch; b++)
        {
            var sample = _gather.Gather(block, b, 0, width);
            if (rotate) _hadamard!.TransformRows(sample, block.Length);
            target.Add(sample, block.Length);
        }
        if (site == ActivationSite.OutProjInput && layer == _lastLayer) _lastSiteRows += block.Batch * block.Length;
    }
}
