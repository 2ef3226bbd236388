using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Clustering;
using Quamba.Model.Quantization.Hadamard;
using Quamba.Model.Quantization.Observers;
using Quamba.Model.Quantization.Recipes;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Calibration;

/// <summary>
/// The main calibration pass: observes every quantization point of the (already transformed: norm folded, Mamba2
/// reordered) float model, one calibration window per sample, and accumulates GPTQ Hessians when asked.
/// </summary>
internal sealed class ActivationCollector : IActivationObserver
{
    private readonly ModelConfig _config;
    private readonly RecipeSettings _recipe;
    private readonly HadamardTransform? _hadamard;
    private readonly LayerObservers[] _layers;
    private readonly SampleGather _gather = new();

    /// <param name="xTables">Per layer, the cross-head group table of x (Quamba2 on Mamba2), else null.</param>
    public ActivationCollector(ModelConfig config, RecipeSettings recipe, bool collectHessians, CrossHeadGroupTable[]? xTables,
        double percentileAlpha = PercentileObserver.DefaultAlpha)
    {
        _config = config;
        _recipe = recipe;
        _hadamard = recipe.HadamardY ? HadamardTransform.Create(config.IntermediateSize) : null;
        int d = config.HiddenSize, e = config.IntermediateSize, g = config.NGroups, n = config.StateSize;
        bool mamba1 = config.Architecture == MambaArchitecture.Mamba1;
        Func<IScaleObserver> xObserver = recipe.PercentileX ? () => new PercentileObserver(percentileAlpha) : () => new AbsMaxObserver();

        _layers = new LayerObservers[config.NumLayers];
        for (int l = 0; l < _layers.Length; l++)
        {
            var table = xTables?[l];
            // Mamba2 without grouping treats B (and C) as one tensor: one "state group" of G*N values.
            int bcGroups = mamba1 ? 1 : recipe.GroupedScales ? g : 1;
            int bcSize = mamba1 ? n : g * n / bcGroups;
            _layers[l] = new LayerObservers
            {
                ConvInputSegments = mamba1 ? [new AbsMaxObserver(), new AbsMaxObserver()] : [new AbsMaxObserver(), new AbsMaxObserver(), new AbsMaxObserver()],
                X = table is null ? xObserver() : null,
                XGrouped = table is null ? null : new CrossHeadObserver(table, xObserver),
                B = new PerStateGroupObserver(bcGroups, bcSize),
                C = new PerStateGroupObserver(bcGroups, bcSize),
                DtLow = mamba1 ? new AbsMaxObserver() : null,
            };
        }
        Hessians = collectHessians ? new HessianCollector(config, _hadamard, Enumerable.Range(0, config.NumLayers), head: true) : null;
    }

    public IScaleObserver Head { get; } = new AbsMaxObserver();

    /// <summary>GPTQ's Hessians of every layer and lm_head, on the transformed float model (null unless asked for).</summary>
    public HessianCollector? Hessians { get; }

    public IReadOnlyList<LayerObservers> Layers => _layers;

    public void Observe(ActivationSite site, int layer, ActivationBlock block)
    {
        Hessians?.Observe(site, layer, block);
        for (int b = 0; b < block.Batch; b++)
        {
            if (site == ActivationSite.HeadInput) ObserveHead(block, b);
            else if (_config.Architecture == MambaArchitecture.Mamba1) ObserveMamba1(site, _layers[layer], block, b);
            else ObserveMamba2(site, _layers[layer], block, b);
        }
    }

    private void ObserveHead(ActivationBlock block, int b) => Head.Observe(_gather.Gather(block, b, 0, block.Width));

    private void ObserveMamba1(ActivationSite site, LayerObservers o, ActivationBlock block, int b)
    {
        int e = _config.IntermediateSize, n = _config.StateSize, r = _config.TimeStepRank;
        switch (site)
        {
            case ActivationSite.MixerInput:
                ObserveInput(o, block, b);
                break;
            case ActivationSite.InProjOutput:
                o.ConvInputSegments[0].Observe(_gather.Gather(block, b, 0, e));
                o.ConvInputSegments[1].Observe(_gather.Gather(block, b, e, e));
                break;
            case ActivationSite.ConvOutput:
                o.X!.Observe(_gather.Gather(block, b, 0, e));
                break;
            case ActivationSite.XProjOutput:
                o.DtLow!.Observe(_gather.Gather(block, b, 0, r));
                o.B.Observe(_gather.Gather(block, b, r, n));
                o.C.Observe(_gather.Gather(block, b, r + n, n));
                break;
            case ActivationSite.OutProjInput:
                ObserveY(o, block, b);
                break;
        }
    }

    private void ObserveMamba2(ActivationSite site, LayerObservers o, ActivationBlock block, int b)
    {
        int e = _config.IntermediateSize, gn = _config.NGroups * _config.StateSize;
        switch (site)
        {
            case ActivationSite.MixerInput:
                ObserveInput(o, block, b);
                break;
            case ActivationSite.InProjOutput:
                o.ConvInputSegments[0].Observe(_gather.Gather(block, b, e, e));
                o.ConvInputSegments[1].Observe(_gather.Gather(block, b, 2 * e, gn));
                o.ConvInputSegments[2].Observe(_gather.Gather(block, b, 2 * e + gn, gn));
                break;
            case ActivationSite.ConvOutput:
                var x = _gather.Gather(block, b, 0, e);
                if (o.XGrouped is not null) o.XGrouped.Observe(x);
                else o.X!.Observe(x);
                o.B.Observe(_gather.Gather(block, b, e, gn));
                o.C.Observe(_gather.Gather(block, b, e + gn, gn));
                break;
            case ActivationSite.OutProjInput:
                ObserveY(o, block, b);
                break;
        }
    }

    private void ObserveInput(LayerObservers o, ActivationBlock block, int b) => o.Input.Observe(_gather.Gather(block, b, 0, block.Width));

    /// <summary>y as out_proj will see it: rotated by the Hadamard when the recipe fuses one into out_proj.</summary>
    private void ObserveY(LayerObservers o, ActivationBlock block, int b)
    {
        var y = _gather.Gather(block, b, 0, block.Width);
        if (_hadamard is not null) _hadamard.TransformRows(y, block.Length);
        o.Y.Observe(y);
    }

    /// <summary>The scales of layer <paramref name="layer"/>, with the recipe's sharing applied.</summary>
    public ActivationScales Scales(int layer)
    {
        var o = _layers[layer];
        static float S(float range) => Int8Quantization.ScaleFromRange(range);
        int e = _config.IntermediateSize, gn = _config.NGroups * _config.StateSize;
        bool shared = !_recipe.GroupedScales;
        float[] x = o.XGrouped is not null ? o.XGrouped.Scales() : [o.X!.Scale];
        float[] bScales = o.B.Scales(), cScales = o.C.Scales();

        if (_config.Architecture == MambaArchitecture.Mamba1)
        {
            // Quamba shares one scale between x and z (in_proj output) and one among dt_low, B, C (x_proj output).
            float xIn = o.ConvInputSegments[0].Range, z = o.ConvInputSegments[1].Range;
            float convScale = S(shared ? MathF.Max(xIn, z) : xIn);
            float dt = o.DtLow!.Range;
            if (shared)
            {
                float all = MathF.Max(dt, MathF.Max(o.B.Ranges()[0], o.C.Ranges()[0]));
                dt = all;
                bScales = [S(all)];
                cScales = [S(all)];
            }
            return new ActivationScales(o.Input.Scale, Enumerable.Repeat(convScale, e).ToArray(), x, bScales, cScales, S(dt), o.Y.Scale);
        }

        // Mamba2: the conv input [x | B | C] is one tensor for Quamba, three segments for Quamba2.
        float[] ranges = o.ConvInputSegments.Select(s => s.Range).ToArray();
        var conv = new float[e + 2 * gn];
        float sharedScale = S(ranges.Max());
        for (int c = 0; c < conv.Length; c++)
            conv[c] = shared ? sharedScale : S(ranges[c < e ? 0 : c < e + gn ? 1 : 2]);
        return new ActivationScales(o.Input.Scale, conv, x, bScales, cScales, 0f, o.Y.Scale);
    }
}
