using Quamba.Model.Checkpoints;

namespace Quamba.Model.Models;

/// <summary>
/// Tensor names of both checkpoint conventions. They differ only in the embedding: transformers writes
/// "backbone.embeddings.weight", the original state-spaces checkpoints "backbone.embedding.weight".
/// </summary>
internal static class TensorNames
{
    public const string HuggingFaceEmbedding = "backbone.embeddings.weight";
    public const string StateSpacesEmbedding = "backbone.embedding.weight";
    public const string FinalNorm = "backbone.norm_f.weight";
    public const string LmHead = "lm_head.weight";

    /// <summary>Both spellings of the embedding, the config's own convention first.</summary>
    public static string[] Embedding(ModelConfig config) => config.Layout == ConfigLayout.StateSpaces
        ? [StateSpacesEmbedding, HuggingFaceEmbedding]
        : [HuggingFaceEmbedding, StateSpacesEmbedding];

    public static string LayerNorm(int layer) => $"backbone.layers.{layer}.norm.weight";

    public static string Mixer(int layer, string name) => $"backbone.layers.{layer}.mixer.{name}";
}
