using System.Text.Json;

namespace Quamba.Model.Checkpoints;

/// <summary>Writes a config in transformers' config.json layout (model_type "mamba" or "mamba2").</summary>
public static class ModelConfigWriter
{
    public static string ToHuggingFaceJson(ModelConfig c)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            bool mamba2 = c.Architecture == MambaArchitecture.Mamba2;
            json.WriteStartArray("architectures");
            json.WriteStringValue(mamba2 ? "Mamba2ForCausalLM" : "MambaForCausalLM");
            json.WriteEndArray();
            json.WriteString("model_type", mamba2 ? "mamba2" : "mamba");
            json.WriteNumber("hidden_size", c.HiddenSize);
            json.WriteNumber("num_hidden_layers", c.NumLayers);
            json.WriteNumber("vocab_size", c.VocabSize);
            json.WriteNumber("state_size", c.StateSize);
            json.WriteNumber("expand", (double)c.IntermediateSize / c.HiddenSize);
            if (!mamba2) json.WriteNumber("intermediate_size", c.IntermediateSize);
            json.WriteNumber("conv_kernel", c.ConvKernel);
            json.WriteNumber("time_step_rank", c.TimeStepRank);
            json.WriteBoolean("use_conv_bias", c.UseConvBias);
            json.WriteBoolean("use_bias", c.UseBias);
            json.WriteNumber("layer_norm_epsilon", c.LayerNormEpsilon);
            json.WriteBoolean("tie_word_embeddings", c.TieWordEmbeddings);
            json.WriteBoolean("residual_in_fp32", c.ResidualInFp32);
            json.WriteString("hidden_act", "silu");
            if (mamba2)
            {
                json.WriteNumber("head_dim", c.HeadDim);
                json.WriteNumber("num_heads", c.NumHeads);
                json.WriteNumber("n_groups", c.NGroups);
                json.WriteNumber("chunk_size", c.ChunkSize);
                json.WriteBoolean("norm_before_gate", c.NormBeforeGate);
                json.WriteBoolean("rms_norm", true);
                json.WriteStartArray("time_step_limit");
                WriteFloat(json, c.TimeStepLimit.Min);
                WriteFloat(json, c.TimeStepLimit.Max);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Non-finite values as transformers 5 writes them: {"__float__": "Infinity"}.</summary>
    private static void WriteFloat(Utf8JsonWriter json, float value)
    {
        if (float.IsFinite(value))
        {
            json.WriteNumberValue(value);
            return;
        }
        json.WriteStartObject();
        json.WriteString("__float__", float.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        json.WriteEndObject();
    }
}
