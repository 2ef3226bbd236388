using System.Globalization;
using System.Text.Json;

namespace Quamba.Model.Checkpoints;

/// <summary>Reads Hugging Face (model_type mamba / mamba2) and original state-spaces config.json files.</summary>
internal static class ModelConfigReader
{
    public static ModelConfig Load(string path)
    {
        bool isFile = File.Exists(path) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        string file = isFile ? path : Path.Combine(path, "config.json");
        file = Path.GetFullPath(file);
        if (!File.Exists(file))
            throw new ModelConfigException(file, null, "config.json not found; a checkpoint directory needs config.json next to its *.safetensors files");
        return Parse(File.ReadAllText(file), file);
    }

    public static ModelConfig Parse(string json, string sourcePath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(LenientJson.QuoteNonFiniteLiterals(json), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(sourcePath, null, $"not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = new JsonObjectReader(document.RootElement, sourcePath, "");
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelConfigException(sourcePath, null, $"the config must be a JSON object, found {document.RootElement.ValueKind}");

            ModelConfig config;
            if (root.Has("model_type"))
                config = ParseHuggingFace(root, sourcePath);
            else if (root.Has("d_model"))
                config = ParseStateSpaces(root, sourcePath);
            else
                throw new ModelConfigException(sourcePath, "model_type",
                    "missing: expected a Hugging Face config (model_type \"mamba\" or \"mamba2\") or a state-spaces config (d_model, n_layer, ssm_cfg)");
            config.Validate();
            return config;
        }
    }

    private static ModelConfig ParseHuggingFace(JsonObjectReader root, string file)
    {
        string modelType = root.GetString("model_type");
        var architecture = modelType switch
        {
            "mamba" => MambaArchitecture.Mamba1,
            "mamba2" => MambaArchitecture.Mamba2,
            _ => throw new ModelConfigException(file, "model_type", $"unknown model type '{modelType}'; supported: \"mamba\" (Mamba1), \"mamba2\" (Mamba2)"),
        };
        if (root.Has("rms_norm") && !root.GetBool("rms_norm", true) && architecture == MambaArchitecture.Mamba1)
            throw new ModelConfigException(file, "rms_norm", "false (LayerNorm blocks) is not supported; only RMSNorm models are");

        int hidden = root.GetInt("hidden_size");
        int layers = root.GetInt("num_hidden_layers");
        int vocab = root.GetInt("vocab_size");
        int stateSize = root.GetInt("state_size");
        float expand = root.GetFloat("expand", 2f);
        int inner = (int)(expand * hidden);
        int rank = ReadTimeStepRank(root, "time_step_rank", hidden);
        var config = new ModelConfig
        {
            Architecture = architecture,
            Layout = ConfigLayout.HuggingFace,
            HiddenSize = hidden,
            NumLayers = layers,
            VocabSize = vocab,
            IntermediateSize = inner,
            StateSize = stateSize,
            ConvKernel = root.GetInt("conv_kernel", 4),
            TimeStepRank = rank,
            UseConvBias = root.GetBool("use_conv_bias", true),
            UseBias = root.GetBool("use_bias", false),
            LayerNormEpsilon = root.GetFloat("layer_norm_epsilon", 1e-5f),
            TieWordEmbeddings = root.GetBool("tie_word_embeddings", true),
            ResidualInFp32 = root.GetBool("residual_in_fp32", true),
            SourcePath = file,
        };

        if (architecture == MambaArchitecture.Mamba1)
        {
            if (root.Has("intermediate_size"))
            {
                int declared = root.GetInt("intermediate_size");
                config = config with { IntermediateSize = declared };
            }
            return config;
        }

        // transformers' Mamba2 derives the inner width from expand * hidden_size; num_heads * head_dim must agree.
        if (root.Has("intermediate_size") && root.GetInt("intermediate_size") != inner)
            throw new ModelConfigException(file, "intermediate_size",
                $"is {root.GetInt("intermediate_size")} but expand ({expand}) x hidden_size ({hidden}) = {inner}; Mamba2 uses expand x hidden_size");
        return config with
        {
            HeadDim = root.GetInt("head_dim"),
            NumHeads = root.GetInt("num_heads"),
            NGroups = root.GetInt("n_groups"),
            ChunkSize = root.GetInt("chunk_size", 256),
            TimeStepLimit = ReadLimit(root, "time_step_limit"),
            NormBeforeGate = root.GetBool("norm_before_gate", false),
            GatedNorm = true, // transformers' Mamba2Mixer always has the gated RMSNorm, over the full width (NormGroupSize default)
            TieWordEmbeddings = root.GetBool("tie_word_embeddings", false),
        };
    }

    private static ModelConfig ParseStateSpaces(JsonObjectReader root, string file)
    {
        int hidden = root.GetInt("d_model");
        int layers = root.GetInt("n_layer");
        int vocab = root.GetInt("vocab_size");
        int multiple = root.GetInt("pad_vocab_size_multiple", 1);
        if (multiple <= 0)
            throw new ModelConfigException(file, "pad_vocab_size_multiple", $"must be a positive integer, found {multiple}");
        int padded = (vocab + multiple - 1) / multiple * multiple;
        if (root.Has("d_intermediate") && root.GetInt("d_intermediate") != 0)
            throw new ModelConfigException(file, "d_intermediate", "an MLP after each mixer (d_intermediate > 0) is not supported");
        if (root.Has("attn_layer_idx") && root.GetArrayLength("attn_layer_idx") > 0)
            throw new ModelConfigException(file, "attn_layer_idx", "hybrid models with attention layers are not supported");
        if (!root.GetBool("rms_norm", true))
            throw new ModelConfigException(file, "rms_norm", "false (LayerNorm blocks) is not supported; only RMSNorm models are");

        var ssm = root.Has("ssm_cfg") ? root.GetObject("ssm_cfg") : JsonObjectReader.Empty(file, "ssm_cfg");
        string layer = ssm.Has("layer") ? ssm.GetString("layer") : "Mamba1";
        var architecture = layer switch
        {
            "Mamba1" => MambaArchitecture.Mamba1,
            "Mamba2" => MambaArchitecture.Mamba2,
            _ => throw new ModelConfigException(file, "ssm_cfg.layer", $"unknown layer '{layer}'; supported: \"Mamba1\", \"Mamba2\""),
        };
        int expand = ssm.GetInt("expand", 2);
        int inner = expand * hidden;
        var config = new ModelConfig
        {
            Architecture = architecture,
            Layout = ConfigLayout.StateSpaces,
            HiddenSize = hidden,
            NumLayers = layers,
            VocabSize = padded,
            IntermediateSize = inner,
            StateSize = ssm.GetInt("d_state", architecture == MambaArchitecture.Mamba1 ? 16 : 128),
            ConvKernel = ssm.GetInt("d_conv", 4),
            TimeStepRank = ReadTimeStepRank(ssm, "dt_rank", hidden),
            UseConvBias = ssm.GetBool("conv_bias", true),
            UseBias = ssm.GetBool("bias", false),
            LayerNormEpsilon = root.GetFloat("norm_epsilon", 1e-5f),
            TieWordEmbeddings = root.GetBool("tie_embeddings", true),
            ResidualInFp32 = root.GetBool("residual_in_fp32", true),
            SourcePath = file,
        };
        if (architecture == MambaArchitecture.Mamba1)
            return config;

        int headDim = ssm.GetInt("headdim", 64);
        if (ssm.Has("d_ssm") && ssm.GetInt("d_ssm") != inner)
            throw new ModelConfigException(file, "ssm_cfg.d_ssm", "a d_ssm different from expand x d_model (an MLP branch inside in_proj) is not supported");
        if (inner % headDim != 0)
            throw new ModelConfigException(file, "ssm_cfg.headdim", $"expand x d_model = {inner} is not a multiple of headdim ({headDim})");
        int groups = ssm.GetInt("ngroups", 1);
        if (groups <= 0 || inner % groups != 0)
            throw new ModelConfigException(file, "ssm_cfg.ngroups", $"must be a positive divisor of expand x d_model ({inner}), found {groups}");
        return config with
        {
            HeadDim = headDim,
            NumHeads = inner / headDim,
            NGroups = groups,
            ChunkSize = ssm.GetInt("chunk_size", 256),
            TimeStepLimit = ReadLimit(ssm, "dt_limit"),
            NormBeforeGate = ssm.GetBool("norm_before_gate", false),
            GatedNorm = ssm.GetBool("rmsnorm", true),
            NormGroupSize = inner / groups, // mamba_ssm's RMSNormGated(group_size = d_ssm / ngroups)
        };
    }

    private static int ReadTimeStepRank(JsonObjectReader reader, string field, int hidden)
    {
        if (!reader.Has(field) || reader.IsString(field) && reader.GetString(field) == "auto")
            return (hidden + 15) / 16;
        return reader.GetInt(field);
    }

    private static (float, float) ReadLimit(JsonObjectReader reader, string field)
    {
        if (!reader.Has(field)) return (0f, float.PositiveInfinity);
        var values = reader.GetFloatArray(field);
        if (values.Length != 2)
            throw new ModelConfigException(reader.File, reader.PathOf(field), $"must be [min, max], found {values.Length} values");
        return (values[0], values[1]);
    }
}

/// <summary>Typed field access with errors that name the file and the field's dotted path.</summary>
internal readonly struct JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly bool _empty;

    public JsonObjectReader(JsonElement element, string file, string prefix)
    {
        _element = element;
        File = file;
        Prefix = prefix;
        _empty = false;
    }

    private JsonObjectReader(string file, string prefix)
    {
        _element = default;
        File = file;
        Prefix = prefix;
        _empty = true;
    }

    public static JsonObjectReader Empty(string file, string prefix) => new(file, prefix);

    public string File { get; }
    public string Prefix { get; }

    public string PathOf(string field) => Prefix.Length == 0 ? field : Prefix + "." + field;

    public bool Has(string field) =>
        !_empty && _element.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null;

    public bool IsString(string field) => Has(field) && _element.GetProperty(field).ValueKind == JsonValueKind.String;

    private JsonElement Get(string field) =>
        Has(field) ? _element.GetProperty(field) : throw new ModelConfigException(File, PathOf(field), "missing (required)");

    public string GetString(string field)
    {
        var v = Get(field);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Wrong(field, "a string", v);
    }

    public int GetInt(string field)
    {
        var v = Get(field);
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)) return i;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue) return (int)d;
        throw Wrong(field, "an integer", v);
    }

    public int GetInt(string field, int defaultValue) => Has(field) ? GetInt(field) : defaultValue;

    public bool GetBool(string field, bool defaultValue)
    {
        if (!Has(field)) return defaultValue;
        var v = Get(field);
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(field, "true or false", v),
        };
    }

    public float GetFloat(string field, float defaultValue) => Has(field) ? ToFloat(field, Get(field)) : defaultValue;

    public float[] GetFloatArray(string field)
    {
        var v = Get(field);
        if (v.ValueKind != JsonValueKind.Array) throw Wrong(field, "an array of numbers", v);
        var result = new float[v.GetArrayLength()];
        int i = 0;
        foreach (var item in v.EnumerateArray()) result[i++] = ToFloat($"{field}[{i - 1}]", item);
        return result;
    }

    public int GetArrayLength(string field)
    {
        var v = Get(field);
        return v.ValueKind == JsonValueKind.Array ? v.GetArrayLength() : throw Wrong(field, "an array", v);
    }

    public JsonObjectReader GetObject(string field)
    {
        var v = Get(field);
        return v.ValueKind == JsonValueKind.Object ? new JsonObjectReader(v, File, PathOf(field)) : throw Wrong(field, "an object", v);
    }

    /// <summary>A number, a string naming a non-finite value, or Python's {"__float__": "Infinity"} encoding.</summary>
    private float ToFloat(string field, JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                return (float)v.GetDouble();
            case JsonValueKind.String:
                return ParseNonFinite(field, v.GetString()!, v);
            case JsonValueKind.Object when v.TryGetProperty("__float__", out var inner) && inner.ValueKind == JsonValueKind.String:
                return ParseNonFinite(field, inner.GetString()!, v);
            case JsonValueKind.Object when v.TryGetProperty("__float__", out var innerNumber) && innerNumber.ValueKind == JsonValueKind.Number:
                return (float)innerNumber.GetDouble();
            default:
                throw Wrong(field, "a number", v);
        }
    }

    private float ParseNonFinite(string field, string text, JsonElement v) => text.Trim() switch
    {
        "Infinity" or "inf" or "+inf" or "+Infinity" or "infinity" => float.PositiveInfinity,
        "-Infinity" or "-inf" or "-infinity" => float.NegativeInfinity,
        "NaN" or "nan" => float.NaN,
        var s when float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) => f,
        _ => throw Wrong(field, "a number (or \"Infinity\")", v),
    };

    private ModelConfigException Wrong(string field, string expected, JsonElement v) =>
        new(File, PathOf(field), $"must be {expected}, found {Describe(v)}");

    private static string Describe(JsonElement v)
    {
        string raw = v.GetRawText();
        return raw.Length > 60 ? raw[..60] + "..." : raw;
    }
}
