namespace Quamba.Model.Checkpoints;

/// <summary>The shape of a published Mamba checkpoint (sizes only, no weights).</summary>
public sealed record PublishedShape(string Name, MambaArchitecture Architecture, int HiddenSize, int NumLayers, int VocabSize,
    int StateSize, int HeadDim = 64, int NGroups = 1, int ChunkSize = 256, bool TieEmbeddings = true)
{
    /// <summary>The transformers-layout config of this shape (expand 2, conv 4, dt rank ceil(d/16), eps 1e-5).</summary>
    public ModelConfig ToConfig()
    {
        int inner = 2 * HiddenSize;
        var config = new ModelConfig
        {
            Architecture = Architecture,
            Layout = ConfigLayout.HuggingFace,
            HiddenSize = HiddenSize,
            NumLayers = NumLayers,
            VocabSize = VocabSize,
            IntermediateSize = inner,
            StateSize = StateSize,
            ConvKernel = 4,
            TimeStepRank = (HiddenSize + 15) / 16,
            TieWordEmbeddings = TieEmbeddings,
        };
        if (Architecture == MambaArchitecture.Mamba2)
            config = config with { HeadDim = HeadDim, NumHeads = inner / HeadDim, NGroups = NGroups, ChunkSize = ChunkSize };
        config.Validate();
        return config;
    }

    public long ParameterCount => MambaTensorLayout.ParameterCount(ToConfig());
}

/// <summary>
/// Published Mamba shapes (state-spaces/mamba-*, state-spaces/mamba2-*, nvidia mamba2-8b), for random-weight
/// checkpoints that measure speed and memory at real sizes. GPT-NeoX vocabulary 50277, padded as the released
/// embeddings are: to 50280 (multiple of 8) for Mamba1, 50288 (multiple of 16) for Mamba2; mamba2-8b: 256000.
/// </summary>
public static class PublishedShapes
{
    private const int Mamba1Vocab = 50280, Mamba2Vocab = 50288;

    public static IReadOnlyList<PublishedShape> All { get; } =
    [
        new("mamba-130m", MambaArchitecture.Mamba1, 768, 24, Mamba1Vocab, 16),
        new("mamba-370m", MambaArchitecture.Mamba1, 1024, 48, Mamba1Vocab, 16),
        new("mamba-790m", MambaArchitecture.Mamba1, 1536, 48, Mamba1Vocab, 16),
        new("mamba-1.4b", MambaArchitecture.Mamba1, 2048, 48, Mamba1Vocab, 16),
        new("mamba-2.8b", MambaArchitecture.Mamba1, 2560, 64, Mamba1Vocab, 16),
        new("mamba2-130m", MambaArchitecture.Mamba2, 768, 24, Mamba2Vocab, 128),
        new("mamba2-370m", MambaArchitecture.Mamba2, 1024, 48, Mamba2Vocab, 128),
        new("mamba2-780m", MambaArchitecture.Mamba2, 1536, 48, Mamba2Vocab, 128),
        new("mamba2-1.3b", MambaArchitecture.Mamba2, 2048, 48, Mamba2Vocab, 128),
        new("mamba2-2.7b", MambaArchitecture.Mamba2, 2560, 64, Mamba2Vocab, 128),
        new("mamba2-8b", MambaArchitecture.Mamba2, 4096, 56, 256000, 128, NGroups: 8, TieEmbeddings: false),
    ];

    public static IEnumerable<string> Names => All.Select(s => s.Name);

    /// <summary>
    /// Finds a shape by its full name ("mamba2-370m"), or by architecture plus size ("mamba2", "370m"). An
    /// architecture that contradicts the name, or an unknown name, is an error listing the valid names.
    /// </summary>
    public static PublishedShape Get(string architecture, string shapeName)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(shapeName);
        var arch = ParseArchitecture(architecture);
        string prefix = arch == MambaArchitecture.Mamba1 ? "mamba-" : "mamba2-";
        string name = shapeName.Trim().ToLowerInvariant();
        var shape = All.FirstOrDefault(s => s.Name == name) ?? All.FirstOrDefault(s => s.Name == prefix + name)
            ?? throw new ArgumentException($"unknown shape '{shapeName}'; valid shapes: {string.Join(", ", Names)}", nameof(shapeName));
        if (shape.Architecture != arch)
            throw new ArgumentException($"shape '{shape.Name}' is a {shape.Architecture} model, not {arch}; {arch} shapes: {string.Join(", ", All.Where(s => s.Architecture == arch).Select(s => s.Name))}", nameof(shapeName));
        return shape;
    }

    /// <summary>By full name only.</summary>
    public static PublishedShape Get(string shapeName) =>
        All.FirstOrDefault(s => s.Name == shapeName.Trim().ToLowerInvariant())
        ?? throw new ArgumentException($"unknown shape '{shapeName}'; valid shapes: {string.Join(", ", Names)}", nameof(shapeName));

    /// <summary>"mamba", "mamba1" → Mamba1; "mamba2" → Mamba2 (case-insensitive).</summary>
    public static MambaArchitecture ParseArchitecture(string architecture) => architecture.Trim().ToLowerInvariant() switch
    {
        "mamba" or "mamba1" => MambaArchitecture.Mamba1,
        "mamba2" => MambaArchitecture.Mamba2,
        _ => throw new ArgumentException($"unknown architecture '{architecture}'; use \"mamba1\" or \"mamba2\"", nameof(architecture)),
    };
}
