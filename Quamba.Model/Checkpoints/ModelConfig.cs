namespace Quamba.Model.Checkpoints;

/// <summary>Which mixer the layers use.</summary>
public enum MambaArchitecture
{
    Mamba1,
    Mamba2,
}

/// <summary>Which convention the config.json (and the tensor names) follow.</summary>
public enum ConfigLayout
{
    /// <summary>Hugging Face transformers: model_type "mamba" / "mamba2", hidden_size, num_hidden_layers...</summary>
    HuggingFace,

    /// <summary>The original state-spaces/mamba_ssm layout: d_model, n_layer, ssm_cfg, pad_vocab_size_multiple.</summary>
    StateSpaces,
}

/// <summary>
/// Everything the float model needs to know about a checkpoint's shapes and options, whichever config layout it came
/// from. Notation of docs/MAMBA-AND-QUAMBA.md: d = <see cref="HiddenSize"/>, E = <see cref="IntermediateSize"/>,
/// N = <see cref="StateSize"/>, K = <see cref="ConvKernel"/>, R = <see cref="TimeStepRank"/>, P = <see cref="HeadDim"/>,
/// H = <see cref="NumHeads"/>, G = <see cref="NGroups"/>, Q = <see cref="ChunkSize"/>.
/// </summary>
public sealed record ModelConfig
{
    public required MambaArchitecture Architecture { get; init; }
    public ConfigLayout Layout { get; init; } = ConfigLayout.HuggingFace;

    /// <summary>d: width of the residual stream.</summary>
    public required int HiddenSize { get; init; }
    public required int NumLayers { get; init; }

    /// <summary>Rows of the embedding and of the logits (already padded up to pad_vocab_size_multiple for state-spaces configs).</summary>
    public required int VocabSize { get; init; }

    /// <summary>E: inner width of the mixer (expand * d).</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>N: SSM state size per channel (Mamba1) or per head dim (Mamba2).</summary>
    public required int StateSize { get; init; }

    /// <summary>K: causal conv1d width.</summary>
    public int ConvKernel { get; init; } = 4;

    /// <summary>R: rank of the dt projection (Mamba1 only; ceil(d/16) when the config says "auto").</summary>
    public int TimeStepRank { get; init; }

    public bool UseConvBias { get; init; } = true;

    /// <summary>Bias on in_proj and out_proj.</summary>
    public bool UseBias { get; init; }

    public float LayerNormEpsilon { get; init; } = 1e-5f;
    public bool TieWordEmbeddings { get; init; } = true;
    public bool ResidualInFp32 { get; init; } = true;

    /// <summary>P: channels per head (Mamba2).</summary>
    public int HeadDim { get; init; }

    /// <summary>H: number of heads (Mamba2), H * P = E.</summary>
    public int NumHeads { get; init; }

    /// <summary>G: state groups (Mamba2); heads in one group share B and C.</summary>
    public int NGroups { get; init; } = 1;

    /// <summary>Q: chunk length of the SSD prefill (Mamba2).</summary>
    public int ChunkSize { get; init; } = 256;

    /// <summary>dt is clamped to [Min, Max] after softplus (Mamba2); (0, +inf) means no clamp.</summary>
    public (float Min, float Max) TimeStepLimit { get; init; } = (0f, float.PositiveInfinity);

    /// <summary>Mamba2 gated norm: true = RMSNorm(y) * SiLU(z); false (the default) = RMSNorm(y * SiLU(z)).</summary>
    public bool NormBeforeGate { get; init; }

    /// <summary>Mamba2: whether the mixer has the gated RMSNorm (mixer.norm.weight); without it y = y * SiLU(z).</summary>
    public bool GatedNorm { get; init; } = true;

    /// <summary>
    /// Mamba2: channels one gated-norm group normalises over. The two reference implementations differ when G &gt; 1:
    /// mamba_ssm's RMSNormGated normalises each state group of E/G channels separately (state-spaces checkpoints,
    /// trained with it), while transformers' MambaRMSNormGated (torch path) normalises over all E channels — the
    /// mamba2-tiny reference logits (G = 2) match only the latter. The config reader picks per layout; 0 means E.
    /// </summary>
    public int NormGroupSize
    {
        get => _normGroupSize > 0 ? _normGroupSize : IntermediateSize;
        init => _normGroupSize = value;
    }

    private readonly int _normGroupSize;

    /// <summary>The file the config was read from (for error messages); null for configs built in code.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Channels of the causal conv1d: E (Mamba1) or E + 2GN (Mamba2, over [x|B|C]).</summary>
    public int ConvChannels => Architecture == MambaArchitecture.Mamba1 ? IntermediateSize : IntermediateSize + 2 * NGroups * StateSize;

    /// <summary>Output rows of in_proj: 2E (Mamba1: [x|z]) or 2E + 2GN + H (Mamba2: [z|x|B|C|dt]).</summary>
    public int InProjRows => Architecture == MambaArchitecture.Mamba1
        ? 2 * IntermediateSize
        : 2 * IntermediateSize + 2 * NGroups * StateSize + NumHeads;

    /// <summary>Floats of SSM state per layer per sequence: E*N (Mamba1) or H*P*N (Mamba2).</summary>
    public int SsmStateSize => Architecture == MambaArchitecture.Mamba1 ? IntermediateSize * StateSize : NumHeads * HeadDim * StateSize;

    /// <summary>Reads config.json (a file, or a directory holding one).</summary>
    public static ModelConfig Load(string path) => ModelConfigReader.Load(path);

    /// <summary>Parses config JSON text; <paramref name="sourcePath"/> names it in errors.</summary>
    public static ModelConfig Parse(string json, string sourcePath = "config.json") => ModelConfigReader.Parse(json, sourcePath);

    /// <summary>Throws <see cref="ModelConfigException"/> when sizes are missing or contradict each other.</summary>
    public void Validate()
    {
        string file = SourcePath ?? "<config>";
        Positive(file, "hidden_size", HiddenSize);
        Positive(file, "num_hidden_layers", NumLayers);
        Positive(file, "vocab_size", VocabSize);
        Positive(file, "intermediate_size", IntermediateSize);
        Positive(file, "state_size", StateSize);
        Positive(file, "conv_kernel", ConvKernel);
        if (!(LayerNormEpsilon >= 0) || float.IsInfinity(LayerNormEpsilon))
            throw new ModelConfigException(file, "layer_norm_epsilon", $"must be a finite non-negative number, found {LayerNormEpsilon}");
        if (Architecture == MambaArchitecture.Mamba1)
        {
            Positive(file, "time_step_rank", TimeStepRank);
            return;
        }

        Positive(file, "head_dim", HeadDim);
        Positive(file, "num_heads", NumHeads);
        Positive(file, "n_groups", NGroups);
        Positive(file, "chunk_size", ChunkSize);
        if (NormGroupSize <= 0 || IntermediateSize % NormGroupSize != 0)
            throw new ModelConfigException(file, "n_groups", $"the gated norm group size {NormGroupSize} does not divide the inner width {IntermediateSize}");
        if ((long)NumHeads * HeadDim != IntermediateSize)
            throw new ModelConfigException(file, "num_heads",
                $"num_heads ({NumHeads}) x head_dim ({HeadDim}) = {(long)NumHeads * HeadDim}, but the inner width expand x hidden_size is {IntermediateSize}; they must be equal");
        if (NumHeads % NGroups != 0)
            throw new ModelConfigException(file, "n_groups", $"num_heads ({NumHeads}) must be a multiple of n_groups ({NGroups})");
        if (!(TimeStepLimit.Min >= 0) || !(TimeStepLimit.Max >= TimeStepLimit.Min))
            throw new ModelConfigException(file, "time_step_limit", $"must be [min, max] with 0 <= min <= max, found [{TimeStepLimit.Min}, {TimeStepLimit.Max}]");
    }

    private static void Positive(string file, string field, int value)
    {
        if (value <= 0)
            throw new ModelConfigException(file, field, $"must be a positive integer, found {value}");
    }
}
