using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;
using Quamba.Model.Models.Mamba1;
using Quamba.Model.Models.Mamba2;

namespace Quamba.Model.Models;

/// <summary>
/// A float32 Mamba1 or Mamba2 language model on the CPU: embedding, pre-norm residual layers (residual kept in
/// float32), final RMSNorm and lm_head. Weights are immutable once loaded, so several <see cref="InferenceState"/>s
/// may run Forward concurrently; one state serves one Forward at a time.
/// </summary>
public abstract unsafe class MambaModel : IDisposable
{

    private CpuParallel _parallel;
    private bool _disposed;

    private protected MambaModel(ModelConfig config, BackboneWeights backbone, CpuParallel? parallel)
    {
        Config = config;
        Backbone = backbone;
        _parallel = parallel ?? CpuParallel.Default;
    }

    /// <summary>Reads config.json and the *.safetensors weights of a checkpoint directory (F32, F16, BF16 or F64), or a quantized folder.</summary>
    public static MambaModel Load(string directory) => Load(directory, maxDegreeOfParallelism: 0);

    /// <summary>
    /// As <see cref="Load(string)"/>, using at most <paramref name="maxDegreeOfParallelism"/> threads (0: all cores).
    /// A folder with a quantization.json is a quantized checkpoint and loads as a <see cref="Quantization.Execution.QuantizedMambaModel"/>.
    /// </summary>
    public static MambaModel Load(string directory, int maxDegreeOfParallelism) =>
        Quantization.Checkpoint.QuantizedCheckpoint.IsQuantized(directory)
            ? Quantization.Execution.QuantizedMambaModel.Create(Quantization.Checkpoint.QuantizedCheckpoint.Load(directory), maxDegreeOfParallelism)
            : Load(directory, ModelConfig.Load(directory), maxDegreeOfParallelism);

    /// <summary>Loads the weights of <paramref name="directory"/> under a given config (tests vary e.g. the chunk size).</summary>
    internal static MambaModel Load(string directory, ModelConfig config, int maxDegreeOfParallelism)
    {
        config.Validate();
        using var tensors = CheckpointTensors.Open(directory);
        var parallel = maxDegreeOfParallelism > 0 ? new CpuParallel(maxDegreeOfParallelism) : null;
        return config.Architecture switch
        {
            MambaArchitecture.Mamba1 => new Mamba1Model(config, tensors, parallel),
            MambaArchitecture.Mamba2 => new Mamba2Model(config, tensors, parallel),
            _ => throw new ModelConfigException(config.SourcePath ?? directory, null, $"unsupported architecture {config.Architecture}"),
        };
    }

    public ModelConfig Config { get; }

    /// <summary>Width of the logits: the (padded) vocabulary of the embedding and lm_head.</summary>
    public int VocabSize => Config.VocabSize;

    /// <summary>Threads Forward uses at most; defaults to every logical processor.</summary>
    public int MaxDegreeOfParallelism
    {
        get => _parallel.MaxDegreeOfParallelism;
        set => _parallel = new CpuParallel(value);
    }

    internal CpuParallel Parallel => _parallel;

    /// <summary>Forward splits very long inputs into passes whose scratch memory stays near this size.</summary>
    internal long ScratchBytesPerPass { get; set; } = 256L * 1024 * 1024;

    internal BackboneWeights Backbone { get; }

    /// <summary>Calibration hook: when set, Forward reports the activations of every <see cref="ActivationSite"/>.</summary>
    internal IActivationObserver? ActivationObserver { get; set; }

    /// <summary>Reports a block to the observer, if any (one null check when there is none).</summary>
    private protected void Report(ActivationSite site, int layer, float* data, int stride, int width, int batch, int length)
    {
        if (ActivationObserver is { } observer) observer.Observe(site, layer, new ActivationBlock(data, stride, width, batch, length));
    }

    /// <summary>Empty conv and SSM caches for <paramref name="batchSize"/> sequences.</summary>
    public abstract InferenceState CreateState(int batchSize);

    /// <summary>
    /// Runs <paramref name="length"/> tokens of each of the state's sequences (tokens: batchSize x length, row-major),
    /// continuing from the state and updating it. Writes logits batchSize x length x VocabSize when
    /// <paramref name="allPositions"/>, else batchSize x VocabSize for the last position of each sequence.
    /// length &gt; 1 runs the prefill path (Mamba2: chunked SSD), length 1 the decode step. If cancelled, the state is
    /// left part-way through and must be <see cref="InferenceState.Reset()"/> before further use.
    /// </summary>
    public abstract void Forward(InferenceState state, ReadOnlySpan<int> tokens, int length, Span<float> logits, bool allPositions, CancellationToken cancellationToken = default);

    /// <summary>Floats of scratch one token row needs in one layer (sizes the passes of long inputs).</summary>
    private protected abstract long ScratchFloatsPerRow(int batch);

    /// <summary>Pass lengths are a multiple of this when an input is split (Mamba2: the SSD chunk size).</summary>
    private protected virtual int PassLengthMultiple => 1;

    /// <summary>Adds the mixer output of layer <paramref name="layer"/> for the normalised rows <paramref name="input"/> into <paramref name="residual"/>.</summary>
    private protected abstract void MixerForward(int layer, InferenceState state, float* input, float* residual, int batch, int length);

    private protected void ForwardCore(InferenceState state, ReadOnlySpan<int> tokens, int length, Span<float> logits, bool allPositions, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(state);
        if (!state.IsCompatibleWith(Config))
            throw new ArgumentException("the state was created by a model of another shape; use this model's CreateState", nameof(state));
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        int batch = state.BatchSize;
        if (tokens.Length != (long)batch * length)
            throw new ArgumentException($"tokens has {tokens.Length} ids; the state holds {batch} sequences x length {length} = {(long)batch * length}", nameof(tokens));
        long needed = (long)batch * (allPositions ? length : 1) * VocabSize;
        if (logits.Length < needed)
            throw new ArgumentException($"logits has room for {logits.Length} floats; {batch} x {(allPositions ? length + " x " : "")}{VocabSize} = {needed} are needed", nameof(logits));
        for (int i = 0; i < tokens.Length; i++)
            if ((uint)tokens[i] >= (uint)VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[i], $"token id at index {i} is outside the vocabulary [0, {VocabSize})");

        int pass = PassLength(batch, length);
        fixed (int* tokenPointer = tokens)
        fixed (float* logitPointer = logits)
        {
            for (int t0 = 0; t0 < length; t0 += pass)
            {
                int len = Math.Min(pass, length - t0);
                RunPass(state, tokenPointer, length, t0, len, logitPointer, allPositions, last: t0 + len == length, cancellationToken);
            }
        }
        state.Position += length;
    }

    private int PassLength(int batch, int length)
    {
        long maxRows = Math.Max(1, ScratchBytesPerPass / (sizeof(float) * ScratchFloatsPerRow(batch)));
        long pass = Math.Max(1, maxRows / batch);
        if (pass >= length) return length;
        int multiple = PassLengthMultiple;
        return (int)Math.Max(multiple, pass / multiple * multiple);
    }

    private void RunPass(InferenceState state, int* tokens, int length, int t0, int len, float* logits, bool allPositions, bool last, CancellationToken cancellationToken)
    {
        int batch = state.BatchSize, d = Config.HiddenSize, vocab = VocabSize;
        int rows = batch * len;
        var scratch = state.Scratch;
        float* residual = scratch.Get(ScratchSlot.Residual, (long)rows * d);
        float* normed = scratch.Get(ScratchSlot.Normed, (long)rows * d);
        Embed(tokens, length, t0, len, residual, rows);

        for (int layer = 0; layer < Config.NumLayers; layer++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            VectorMath.RmsNormRows(_parallel, residual, Backbone.LayerNorms[layer].Pointer, normed, rows, d, Config.LayerNormEpsilon);
            Report(ActivationSite.MixerInput, layer, normed, d, d, batch, len);
            MixerForward(layer, state, normed, residual, batch, len);
        }

        float* finalNorm = Backbone.FinalNorm.Pointer;
        if (allPositions)
        {
            VectorMath.RmsNormRows(_parallel, residual, finalNorm, normed, rows, d, Config.LayerNormEpsilon);
            Report(ActivationSite.HeadInput, -1, normed, d, d, batch, len);
            if (len == length)
            {
                HeadRows(state, normed, rows, logits);
            }
            else
            {
                for (int b = 0; b < batch; b++)
                    HeadRows(state, normed + (long)b * len * d, len, logits + ((long)b * length + t0) * vocab);
            }
        }
        else if (last)
        {
            // Only the last position of each sequence needs logits: normalise just those rows.
            float* lastRows = scratch.Get(ScratchSlot.LastRows, (long)batch * d);
            for (int b = 0; b < batch; b++)
                VectorMath.RmsNorm(residual + ((long)b * len + len - 1) * d, finalNorm, lastRows + (long)b * d, d, Config.LayerNormEpsilon);
            Report(ActivationSite.HeadInput, -1, lastRows, d, d, batch, 1);
            HeadRows(state, lastRows, batch, logits);
        }
    }

    /// <summary>Writes the embedding rows of the pass's tokens into <paramref name="residual"/> ([rows, d]).</summary>
    private protected virtual void Embed(int* tokens, int length, int t0, int len, float* residual, int rows)
    {
        var lookup = new EmbeddingLookup { Embedding = Backbone.Embedding.Pointer, Tokens = tokens, Residual = residual, Width = Config.HiddenSize, Length = length, PassStart = t0, PassLength = len };
        _parallel.ForRanges(rows, 64, ref lookup);
    }

    /// <summary>logits [rows, vocab] (contiguous) = final-normalised rows [rows, d] times lm_head^T.</summary>
    private protected virtual void HeadRows(InferenceState state, float* normed, int rows, float* logits)
    {
        int d = Config.HiddenSize, vocab = VocabSize;
        Gemm.MultiplyTransposed(_parallel, normed, d, Backbone.LmHead.Pointer, d, logits, vocab, rows, vocab, d, accumulate: false);
    }

    /// <summary>residual row (b, t) = embedding row of token (b, t0 + t).</summary>
    private struct EmbeddingLookup : IRangeWork
    {
        public float* Embedding, Residual;
        public int* Tokens;
        public int Width, Length, PassStart, PassLength;

        public readonly void Run(int begin, int end)
        {
            for (int r = begin; r < end; r++)
            {
                int b = r / PassLength, t = r % PassLength;
                int token = Tokens[(long)b * Length + PassStart + t];
                new ReadOnlySpan<float>(Embedding + (long)token * Width, Width).CopyTo(new Span<float>(Residual + (long)r * Width, Width));
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        GC.SuppressFinalize(this);
    }
}
