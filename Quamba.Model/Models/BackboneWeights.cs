using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;

namespace Quamba.Model.Models;

/// <summary>The parts every Mamba language model shares: embedding, per-layer pre-norms, final norm, lm_head.</summary>
internal sealed class BackboneWeights
{
    public BackboneWeights(WeightLoader loader)
    {
        var c = loader.Config;
        int d = c.HiddenSize;
        Embedding = loader.Load([c.VocabSize, d], $"vocab_size {c.VocabSize} (padded) x hidden_size {d}", TensorNames.Embedding(c));
        LayerNorms = new AlignedBuffer[c.NumLayers];
        for (int l = 0; l < c.NumLayers; l++)
            LayerNorms[l] = loader.Load([d], $"hidden_size {d}", TensorNames.LayerNorm(l));
        FinalNorm = loader.Load([d], $"hidden_size {d}", TensorNames.FinalNorm);
        // Tied: the logits reuse the embedding matrix (a state-spaces file may still carry a copy as lm_head.weight).
        LmHead = c.TieWordEmbeddings
            ? Embedding
            : loader.Load([c.VocabSize, d], $"vocab_size {c.VocabSize} x hidden_size {d}, tie_word_embeddings false", TensorNames.LmHead);
    }

    /// <summary>
    /// The norms alone, for models that keep their embedding and lm_head in another form (quantized models override
    /// MambaModel.Embed and HeadRows, so <see cref="Embedding"/> and <see cref="LmHead"/> stay null).
    /// </summary>
    public BackboneWeights(AlignedBuffer[] layerNorms, AlignedBuffer finalNorm)
    {
        LayerNorms = layerNorms;
        FinalNorm = finalNorm;
        Embedding = null!;
        LmHead = null!;
    }

    /// <summary>[V, d].</summary>
    public AlignedBuffer Embedding { get; }

    /// <summary>Per layer, gamma [d] of the pre-mixer RMSNorm.</summary>
    public AlignedBuffer[] LayerNorms { get; }

    /// <summary>gamma [d] of the final RMSNorm.</summary>
    public AlignedBuffer FinalNorm { get; }

    /// <summary>[V, d]; the same buffer as <see cref="Embedding"/> when tied.</summary>
    public AlignedBuffer LmHead { get; }
}
