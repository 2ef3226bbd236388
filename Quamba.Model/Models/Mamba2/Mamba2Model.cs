using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;

namespace Quamba.Model.Models.Mamba2;

/// <summary>
/// Mamba2 (SSD) language model: per layer in_proj -> [z | x | B | C | dt]; causal conv1d + SiLU over [x | B | C];
/// dt = softplus(dt + dt_bias) clamped to time_step_limit; SSM with a scalar A per head (chunked SSD for prefill, the
/// recurrence for decode) plus D skip; gated RMSNorm with z, grouped per state group; out_proj.
/// </summary>
public sealed unsafe class Mamba2Model : MambaModel
{
    private readonly Mamba2LayerWeights[] _layers;

    internal Mamba2Model(ModelConfig config, CheckpointTensors tensors, CpuParallel? parallel)
        : base(config, new BackboneWeights(new WeightLoader(tensors, config)), parallel)
    {
        var loader = new WeightLoader(tensors, config);
        _layers = new Mamba2LayerWeights[config.NumLayers];
        for (int l = 0; l < config.NumLayers; l++) _layers[l] = new Mamba2LayerWeights(loader, l);
    }

    public override InferenceState CreateState(int batchSize) => new(Config, batchSize);

    public override void Forward(InferenceState state, ReadOnlySpan<int> tokens, int length, Span<float> logits, bool allPositions, CancellationToken cancellationToken = default) =>
        ForwardCore(state, tokens, length, logits, allPositions, cancellationToken);

    private SsdScan.Shape Shape => new(Config.NumHeads, Config.HeadDim, Config.NGroups, Config.StateSize);

    private protected override int PassLengthMultiple => Config.ChunkSize;

    private protected override long ScratchFloatsPerRow(int batch)
    {
        var c = Config;
        // residual + normed, in_proj, conv out, dt, y, and the per-chunk C.B^T / B^T buffers of the SSD.
        return 2L * c.HiddenSize + c.InProjRows + c.ConvChannels + c.NumHeads + c.IntermediateSize
            + (long)c.NGroups * (c.ChunkSize + c.StateSize);
    }

    private protected override void MixerForward(int layer, InferenceState state, float* input, float* residual, int batch, int length)
    {
        var w = _layers[layer];
        var c = Config;
        var parallel = Parallel;
        var scratch = state.Scratch;
        int d = c.HiddenSize, e = c.IntermediateSize, h = c.NumHeads, gn = c.NGroups * c.StateSize;
        int inRows = c.InProjRows, convChannels = c.ConvChannels;
        int rows = batch * length;

        float* zxbcdt = scratch.Get(ScratchSlot.InProj, (long)rows * inRows);
        Gemm.MultiplyTransposed(parallel, input, d, w.InProj.Pointer, d, zxbcdt, inRows, rows, inRows, d, accumulate: false);
        if (w.InProjBias is not null) VectorMath.AddBiasRows(parallel, zxbcdt, w.InProjBias.Pointer, rows, inRows);
        Report(ActivationSite.InProjOutput, layer, zxbcdt, inRows, inRows, batch, length);

        float* xbc = scratch.Get(ScratchSlot.ConvOut, (long)rows * convChannels);
        CausalConv1d.Forward(parallel, zxbcdt + e, inRows, xbc, convChannels, state.ConvPointer(layer, 0), w.ConvWeightT.Pointer,
            w.ConvBias is null ? null : w.ConvBias.Pointer, batch, length, convChannels, c.ConvKernel);
        Report(ActivationSite.ConvOutput, layer, xbc, convChannels, convChannels, batch, length);

        float* dt = scratch.Get(ScratchSlot.Dt, (long)rows * h);
        ComputeDt(zxbcdt + 2 * e + 2 * gn, inRows, w.DtBias.Pointer, dt, rows, h, c.TimeStepLimit);

        float* y = scratch.Get(ScratchSlot.Y, (long)rows * e);
        var operands = new SsdScan.Operands
        {
            X = xbc, XStride = convChannels, BOffset = e, COffset = e + gn,
            Dt = dt, A = w.A.Pointer, D = w.D.Pointer,
            Y = y, YStride = e,
            States = state.SsmPointer(layer, 0),
        };
        var shape = Shape;
        if (length == 1)
        {
            SsdScan.Step(parallel, operands, shape, batch);
        }
        else
        {
            int chunk = c.ChunkSize;
            float* shared = scratch.Get(ScratchSlot.ChunkShared, SsdScan.SharedScratchLength(shape, batch, length, chunk));
            long workerStride = SsdScan.WorkerScratchLength(shape, chunk);
            float* workers = scratch.Get(ScratchSlot.WorkerScratch, workerStride * parallel.Workers(batch * h));
            SsdScan.Prefill(parallel, operands, shape, batch, length, chunk, shared, workers, workerStride);
        }

        if (w.NormWeight is not null)
            GatedRmsNorm.Forward(parallel, y, e, zxbcdt, inRows, w.NormWeight.Pointer, rows, e, c.NormGroupSize, c.LayerNormEpsilon, c.NormBeforeGate);
        else
            GatedRmsNorm.GateOnly(parallel, y, e, zxbcdt, inRows, rows, e);

        Report(ActivationSite.OutProjInput, layer, y, e, e, batch, length);
        Gemm.MultiplyTransposed(parallel, y, e, w.OutProj.Pointer, e, residual, d, rows, d, e, accumulate: true);
        if (w.OutProjBias is not null) VectorMath.AddBiasRows(parallel, residual, w.OutProjBias.Pointer, rows, d);
    }

    /// <summary>dt = clamp(softplus(dt_raw + dt_bias), limit) for every row and head (tiny: rows x H scalars).</summary>
    private static void ComputeDt(float* raw, int rawStride, float* bias, float* dt, int rows, int heads, (float Min, float Max) limit)
    {
        for (int r = 0; r < rows; r++)
            for (int h = 0; h < heads; h++)
                dt[(long)r * heads + h] = Math.Clamp(VectorMath.Softplus(raw[(long)r * rawStride + h] + bias[h]), limit.Min, limit.Max);
    }
}
