using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Hadamard;
using Quamba.Model.Quantization.Recipes;

namespace Quamba.Model.Quantization.Execution;

/// <summary>
/// A Mamba1 or Mamba2 model with quantized weights and (per layer) int8 or float activations, run by the CPU integer
/// kernels behind the same <see cref="MambaModel"/> API (Forward, CreateState), so generation, perplexity and
/// benchmarks work on it unchanged. The residual stream stays float32; each layer's norm is a plain RMS normalisation
/// (gamma folded into in_proj); the embedding is dequantized per looked-up row; lm_head multiplies the quantized
/// (tied) embedding codes.
/// </summary>
public sealed unsafe class QuantizedMambaModel : MambaModel
{
    private readonly QuantizedMixer[] _layers;
    private readonly QuantizedEmbedding _embedding;
    private readonly QuantizedLinear _head;
    private readonly bool _headInt8;

    private QuantizedMambaModel(QuantizedCheckpoint checkpoint, BackboneWeights norms, QuantizedMixer[] layers,
        QuantizedEmbedding embedding, QuantizedLinear head, bool headInt8, CpuParallel? parallel, long parameterBytes)
        : base(checkpoint.Config, norms, parallel)
    {
        Manifest = checkpoint.Manifest;
        _layers = layers;
        _embedding = embedding;
        _head = head;
        _headInt8 = headInt8;
        ParameterBytes = parameterBytes;
    }

    public QuantizationManifest Manifest { get; }

    /// <summary>Bytes of all parameters as held for execution (codes, scales, float parameters).</summary>
    public long ParameterBytes { get; }

    /// <summary>
    /// The simulated ("fake quant") path, for explaining results only: the same codes and scales, but every product
    /// is a float product of dequantized values instead of an integer one. Agrees with the integer path within float
    /// rounding.
    /// </summary>
    internal bool Simulated { get; set; }

    /// <summary>Builds the model from a loaded (or freshly quantized) checkpoint.</summary>
    public static QuantizedMambaModel Create(QuantizedCheckpoint checkpoint, int maxDegreeOfParallelism = 0)
    {
        var c = checkpoint.Config;
        var m = checkpoint.Manifest;
        var reader = new StoredTensorReader(checkpoint);
        if (m.Layers.Length != c.NumLayers)
            throw new ModelConfigException(checkpoint.ManifestPath, "layers", $"lists {m.Layers.Length} layers; config.json has num_hidden_layers {c.NumLayers}");
        var hadamard = m.HadamardOutProj ? HadamardTransform.Create(c.IntermediateSize) : null;
        long bytes = 0;

        var layers = new QuantizedMixer[c.NumLayers];
        var norms = new AlignedBuffer[c.NumLayers];
        for (int l = 0; l < c.NumLayers; l++)
        {
            var lm = m.Layers[l];
            if (lm.Index != l)
                throw new ModelConfigException(checkpoint.ManifestPath, $"layers[{l}].index", $"is {lm.Index}; layers must be listed in order");
            var precision = ParseLayerPrecision(checkpoint, lm.Precision, $"layers[{l}].precision");
            norms[l] = QuantizedMamba1Layer.Buffer(reader.Floats(QuantizedTensorNames.LayerNorm(l), [c.HiddenSize], $"layer {l} norm"));
            layers[l] = c.Architecture == MambaArchitecture.Mamba1
                ? new QuantizedMamba1Layer(reader, lm, precision, hadamard)
                : new QuantizedMamba2Layer(reader, lm, precision, hadamard);
            bytes += layers[l].ParameterBytes + 4L * c.HiddenSize;
        }
        var finalNorm = QuantizedMamba1Layer.Buffer(reader.Floats(QuantizedTensorNames.FinalNorm, [c.HiddenSize], "final norm"));

        var headPrecision = ParseLayerPrecision(checkpoint, m.Head.Precision, "head.precision");
        bool headInt8 = headPrecision.HasInt8Activations();
        float headScale = headInt8 ? reader.Scale(QuantizedTensorNames.HeadInputScale, $"head is {headPrecision.Name()}") : float.NaN;
        string embeddingName = Models.TensorNames.Embedding(c)[0];
        string embeddingPrefix = embeddingName[..^".weight".Length];
        var table = reader.Linear(embeddingPrefix, m.Head.Embedding, c.VocabSize, c.HiddenSize, headScale, "head.embedding");
        var head = table;
        if (!c.TieWordEmbeddings)
        {
            var lmHead = m.Head.LmHead ?? throw new ModelConfigException(checkpoint.ManifestPath, "head.lm_head", "missing; the model has an untied lm_head");
            head = reader.Linear(QuantizedTensorNames.LmHead, lmHead, c.VocabSize, c.HiddenSize, headScale, "head.lm_head");
            bytes += head.WeightBytes;
        }
        bytes += table.WeightBytes + 4L * c.HiddenSize;

        var parallel = maxDegreeOfParallelism > 0 ? new CpuParallel(maxDegreeOfParallelism) : null;
        return new QuantizedMambaModel(checkpoint, new BackboneWeights(norms, finalNorm), layers, new QuantizedEmbedding(table), head, headInt8, parallel, bytes);
    }

    private static LayerPrecision ParseLayerPrecision(QuantizedCheckpoint checkpoint, string text, string field) =>
        PrecisionNames.TryParse(text, out LayerPrecision p) ? p
            : throw new ModelConfigException(checkpoint.ManifestPath, field, $"unknown precision '{text}'; expected w8a8, w4a8 or w4a16");

    public override InferenceState CreateState(int batchSize) => new(Config, batchSize);

    public override void Forward(InferenceState state, ReadOnlySpan<int> tokens, int length, Span<float> logits, bool allPositions, CancellationToken cancellationToken = default) =>
        ForwardCore(state, tokens, length, logits, allPositions, cancellationToken);

    private protected override int PassLengthMultiple => Config.Architecture == MambaArchitecture.Mamba2 ? Config.ChunkSize : 1;

    private protected override long ScratchFloatsPerRow(int batch)
    {
        var c = Config;
        // The float model's buffers, plus codes (two slots, a byte each), int32 accumulators and the simulated path's floats.
        long widest = Math.Max(c.InProjRows, Math.Max(c.ConvChannels, c.HiddenSize));
        long floatModel = 2L * c.HiddenSize + c.InProjRows + c.ConvChannels + c.IntermediateSize + c.IntermediateSize
            + c.TimeStepRank + 2L * c.StateSize + (long)c.NGroups * (c.ChunkSize + c.StateSize);
        return floatModel + 2 * widest / 4 + 2 * widest;
    }

    private protected override void MixerForward(int layer, InferenceState state, float* input, float* residual, int batch, int length) =>
        _layers[layer].Forward(new MixerContext(Parallel, state.Scratch, Simulated), layer, state, input, residual, batch, length);

    private protected override void Embed(int* tokens, int length, int t0, int len, float* residual, int rows)
    {
        int d = Config.HiddenSize;
        for (int r = 0; r < rows; r++)
        {
            int b = r / len, t = r % len;
            _embedding.Lookup(tokens[(long)b * length + t0 + t], residual + (long)r * d);
        }
    }

    private protected override void HeadRows(InferenceState state, float* normed, int rows, float* logits)
    {
        int d = Config.HiddenSize;
        var context = new MixerContext(Parallel, state.Scratch, Simulated);
        if (_headInt8)
        {
            sbyte* codes = context.Codes(ScratchSlot.Codes, (long)rows * d);
            ActivationCodec.Quantize(Parallel, normed, d, codes, rows, d, _head.InputScale);
            float* scratch = state.Scratch.Get(ScratchSlot.Accumulator, (long)rows * _head.Rows);
            if (Simulated)
            {
                float* dequantized = state.Scratch.Get(ScratchSlot.Dequantized, (long)rows * d);
                ActivationCodec.Dequantize(codes, dequantized, (long)rows * d, _head.InputScale);
                _head.ForwardFloat(Parallel, dequantized, d, rows, logits, false, scratch);
            }
            else
            {
                _head.ForwardInt8(Parallel, codes, rows, logits, false, scratch);
            }
        }
        else
        {
            float* scratch = state.Scratch.Get(ScratchSlot.Accumulator, (long)rows * _head.Rows);
            _head.ForwardFloat(Parallel, normed, d, rows, logits, false, scratch);
        }
    }
}
