using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;

namespace Quamba.Model.Models.Mamba1;

/// <summary>
/// Mamba1 (selective scan) language model: per layer in_proj -> [x | z]; x -> causal conv1d + SiLU -> x_proj ->
/// [dt_low | B | C]; dt = softplus(dt_proj(dt_low) + b); selective scan with D skip, gated by SiLU(z); out_proj.
/// </summary>
public sealed unsafe class Mamba1Model : MambaModel
{
    private readonly Mamba1LayerWeights[] _layers;

    internal Mamba1Model(ModelConfig config, CheckpointTensors tensors, CpuParallel? parallel)
        : base(config, new BackboneWeights(new WeightLoader(tensors, config)), parallel)
    {
        var loader = new WeightLoader(tensors, config);
        _layers = new Mamba1LayerWeights[config.NumLayers];
        for (int l = 0; l < config.NumLayers; l++) _layers[l] = new Mamba1LayerWeights(loader, l);
    }

    public override InferenceState CreateState(int batchSize) => new(Config, batchSize);

    public override void Forward(InferenceState state, ReadOnlySpan<int> tokens, int length, Span<float> logits, bool allPositions, CancellationToken cancellationToken = default) =>
        ForwardCore(state, tokens, length, logits, allPositions, cancellationToken);

    private protected override long ScratchFloatsPerRow(int batch)
    {
        var c = Config;
        int e = c.IntermediateSize;
        return 2L * c.HiddenSize + 2L * e + e + (c.TimeStepRank + 2L * c.StateSize) + e + e;
    }

    private protected override void MixerForward(int layer, InferenceState state, float* input, float* residual, int batch, int length)
    {
        var w = _layers[layer];
        var c = Config;
        var parallel = Parallel;
        var scratch = state.Scratch;
        int d = c.HiddenSize, e = c.IntermediateSize, n = c.StateSize, r = c.TimeStepRank;
        int rows = batch * length, xProjWidth = r + 2 * n;

        float* xz = scratch.Get(ScratchSlot.InProj, (long)rows * 2 * e);
        Gemm.MultiplyTransposed(parallel, input, d, w.InProj.Pointer, d, xz, 2 * e, rows, 2 * e, d, accumulate: false);
        if (w.InProjBias is not null) VectorMath.AddBiasRows(parallel, xz, w.InProjBias.Pointer, rows, 2 * e);
        Report(ActivationSite.InProjOutput, layer, xz, 2 * e, 2 * e, batch, length);

        float* x = scratch.Get(ScratchSlot.ConvOut, (long)rows * e);
        CausalConv1d.Forward(parallel, xz, 2 * e, x, e, state.ConvPointer(layer, 0), w.ConvWeightT.Pointer,
            w.ConvBias is null ? null : w.ConvBias.Pointer, batch, length, e, c.ConvKernel);
        Report(ActivationSite.ConvOutput, layer, x, e, e, batch, length);

        float* dbc = scratch.Get(ScratchSlot.XProj, (long)rows * xProjWidth);
        Gemm.MultiplyTransposed(parallel, x, e, w.XProj.Pointer, e, dbc, xProjWidth, rows, xProjWidth, e, accumulate: false);
        Report(ActivationSite.XProjOutput, layer, dbc, xProjWidth, xProjWidth, batch, length);

        float* dt = scratch.Get(ScratchSlot.Dt, (long)rows * e);
        Gemm.MultiplyOuter(parallel, dbc, xProjWidth, 1, null, w.DtProjT.Pointer, e, dt, e, rows, e, r, accumulate: false);

        float* y = scratch.Get(ScratchSlot.Y, (long)rows * e);
        SelectiveScan.Forward(parallel, new SelectiveScan.Operands
        {
            X = x, XStride = e,
            DtIn = dt, DtStride = e, DtBias = w.DtBias.Pointer,
            AT = w.AT.Pointer,
            BC = dbc, BCStride = xProjWidth, BOffset = r, COffset = r + n,
            D = w.D.Pointer,
            Z = xz + e, ZStride = 2 * e,
            Y = y, YStride = e,
            States = state.SsmPointer(layer, 0),
        }, batch, length, e, n);

        Report(ActivationSite.OutProjInput, layer, y, e, e, batch, length);
        // out_proj accumulates straight into the residual stream.
        Gemm.MultiplyTransposed(parallel, y, e, w.OutProj.Pointer, e, residual, d, rows, d, e, accumulate: true);
        if (w.OutProjBias is not null) VectorMath.AddBiasRows(parallel, residual, w.OutProjBias.Pointer, rows, d);
    }

}
