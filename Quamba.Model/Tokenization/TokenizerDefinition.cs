namespace Quamba.Model.Tokenization;

/// <summary>What <see cref="TokenizerJsonReader"/> read from a tokenizer.json, validated.</summary>
internal sealed class TokenizerDefinition
{
    public required string SourceName { get; init; }

    /// <summary>model.vocab: token string to id.</summary>
    public required Dictionary<string, int> Vocab { get; init; }

    /// <summary>model.merges as ids, in rank order: (left, right, merged).</summary>
    public required List<(int Left, int Right, int Merged)> Merges { get; init; }

    public required List<AddedToken> AddedTokens { get; init; }

    public required TextNormalizer Normalizer { get; init; }

    public required PreTokenizerPipeline PreTokenizer { get; init; }

    /// <summary>model.unk_token's id, used for bytes whose symbol is missing from the vocabulary.</summary>
    public int? UnknownId { get; init; }

    /// <summary>model.fuse_unk: consecutive unknown symbols become one.</summary>
    public bool FuseUnknown { get; init; }

    /// <summary>model.ignore_merges: a word that is itself in the vocabulary is taken whole.</summary>
    public bool IgnoreMerges { get; init; }
}
