using Quamba.Model.Checkpoints;
using Quamba.Tests.Model;

namespace Quamba.Tests.Checkpoints;

public sealed class ModelConfigTests
{
    private const string Mamba2Base = """
        "model_type": "mamba2", "hidden_size": 256, "num_hidden_layers": 6, "vocab_size": 4096, "state_size": 32,
        "expand": 2, "head_dim": 32, "num_heads": 16, "n_groups": 2, "chunk_size": 64
        """;

    [Fact]
    public void ReadsTheTinyMamba1Config()
    {
        var c = ModelConfig.Load(TestModels.Directory("mamba1-tiny"));
        Assert.Equal(MambaArchitecture.Mamba1, c.Architecture);
        Assert.Equal(ConfigLayout.HuggingFace, c.Layout);
        Assert.Equal((192, 6, 384, 16, 4, 12, 4096), (c.HiddenSize, c.NumLayers, c.IntermediateSize, c.StateSize, c.ConvKernel, c.TimeStepRank, c.VocabSize));
        Assert.True(c.TieWordEmbeddings);
        Assert.True(c.UseConvBias);
        Assert.False(c.UseBias);
        Assert.Equal(1e-5f, c.LayerNormEpsilon);
    }

    [Fact]
    public void ReadsTheTinyMamba2ConfigWithFloatObjectInfinity()
    {
        var c = ModelConfig.Load(Path.Combine(TestModels.Directory("mamba2-tiny"), "config.json"));
        Assert.Equal(MambaArchitecture.Mamba2, c.Architecture);
        Assert.Equal((256, 512, 32, 32, 16, 2, 64), (c.HiddenSize, c.IntermediateSize, c.StateSize, c.HeadDim, c.NumHeads, c.NGroups, c.ChunkSize));
        Assert.Equal((0f, float.PositiveInfinity), c.TimeStepLimit);
        Assert.Equal(640, c.ConvChannels);
        Assert.Equal(1168, c.InProjRows);
        Assert.False(c.NormBeforeGate);
        Assert.Equal(512, c.NormGroupSize); // transformers normalises over the full width (see ModelConfig.NormGroupSize)
    }

    [Theory]
    [InlineData("[0.0, Infinity]", 0f, float.PositiveInfinity)]
    [InlineData("[0.001, {\"__float__\": \"Infinity\"}]", 0.001f, float.PositiveInfinity)]
    [InlineData("[0.0, 0.1]", 0f, 0.1f)]
    [InlineData("[0.0, \"inf\"]", 0f, float.PositiveInfinity)]
    public void TimeStepLimitAcceptsPythonInfinitySpellings(string limit, float min, float max)
    {
        var c = ModelConfig.Parse($$"""{ {{Mamba2Base}}, "time_step_limit": {{limit}}, "note": "Infinity inside a string stays a string" }""");
        Assert.Equal((min, max), c.TimeStepLimit);
    }

    [Fact]
    public void BareNegativeInfinityAndNaNParse()
    {
        var c = ModelConfig.Parse($$"""{ {{Mamba2Base}}, "time_step_floor": -Infinity, "unused": NaN }""");
        Assert.Equal(64, c.ChunkSize);
    }

    [Fact]
    public void StateSpacesMamba1LayoutPadsTheVocabulary()
    {
        var c = ModelConfig.Parse("""
            {"d_model": 768, "n_layer": 24, "vocab_size": 50277, "ssm_cfg": {}, "rms_norm": true,
             "residual_in_fp32": true, "fused_add_norm": true, "pad_vocab_size_multiple": 8}
            """, "mamba-130m/config.json");
        Assert.Equal(ConfigLayout.StateSpaces, c.Layout);
        Assert.Equal(MambaArchitecture.Mamba1, c.Architecture);
        Assert.Equal(50280, c.VocabSize);
        Assert.Equal((1536, 16, 4, 48), (c.IntermediateSize, c.StateSize, c.ConvKernel, c.TimeStepRank));
        Assert.True(c.TieWordEmbeddings);
    }

    [Fact]
    public void StateSpacesMamba2Layout()
    {
        var c = ModelConfig.Parse("""
            {"d_model": 4096, "d_intermediate": 0, "n_layer": 56, "vocab_size": 256000,
             "ssm_cfg": {"layer": "Mamba2", "ngroups": 8, "chunk_size": 128, "d_state": 128, "headdim": 64},
             "attn_layer_idx": [], "rms_norm": true, "residual_in_fp32": true, "pad_vocab_size_multiple": 16, "tie_embeddings": false}
            """);
        Assert.Equal(MambaArchitecture.Mamba2, c.Architecture);
        Assert.Equal((256000, 8192, 128, 8, 128, 64), (c.VocabSize, c.IntermediateSize, c.NumHeads, c.NGroups, c.ChunkSize, c.HeadDim));
        Assert.False(c.TieWordEmbeddings);
        Assert.Equal(1024, c.NormGroupSize); // mamba_ssm's RMSNormGated: E / G
    }

    [Fact]
    public void StateSpacesVocabularyPaddedTo16ForMamba2()
    {
        var c = ModelConfig.Parse("""{"d_model": 768, "n_layer": 24, "vocab_size": 50277, "ssm_cfg": {"layer": "Mamba2"}, "pad_vocab_size_multiple": 16}""");
        Assert.Equal(50288, c.VocabSize);
        Assert.Equal(24, c.NumHeads);
        Assert.Equal(1, c.NGroups);
    }

    private static ModelConfigException Rejects(string json, string? field, params string[] fragments)
    {
        var e = Assert.Throws<ModelConfigException>(() => ModelConfig.Parse(json, "/models/x/config.json"));
        Assert.Equal(field, e.Field);
        Assert.Contains("/models/x/config.json", e.Message);
        if (field is not null) Assert.Contains($"'{field}'", e.Message);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
        return e;
    }

    [Fact]
    public void UnknownModelType() =>
        Rejects("""{"model_type": "llama", "hidden_size": 8}""", "model_type", "unknown model type 'llama'", "\"mamba2\"");

    [Fact]
    public void NeitherLayout() =>
        Rejects("""{"hidden": 8}""", "model_type", "missing");

    [Fact]
    public void MissingRequiredField() =>
        Rejects("""{"model_type": "mamba", "num_hidden_layers": 2, "vocab_size": 10, "state_size": 4}""", "hidden_size", "missing");

    [Fact]
    public void MissingMamba2HeadCount() =>
        Rejects("""{"model_type": "mamba2", "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 10, "state_size": 4, "head_dim": 16, "n_groups": 1}""", "num_heads", "missing");

    [Fact]
    public void HeadsTimesHeadDimMustEqualTheInnerWidth() =>
        Rejects($$"""{ {{Mamba2Base.Replace("\"num_heads\": 16", "\"num_heads\": 12")}} }""", "num_heads", "12", "384", "512");

    [Fact]
    public void WrongTypeIsNamed() =>
        Rejects("""{"model_type": "mamba", "hidden_size": "wide", "num_hidden_layers": 2, "vocab_size": 10, "state_size": 4}""", "hidden_size", "must be an integer", "\"wide\"");

    [Fact]
    public void NestedFieldsAreNamedWithTheirPath() =>
        Rejects("""{"d_model": 64, "n_layer": 2, "vocab_size": 10, "ssm_cfg": {"layer": "Mamba3"}}""", "ssm_cfg.layer", "Mamba3");

    [Fact]
    public void InvalidJson() =>
        Rejects("""{"model_type": "mamba", """, null, "not valid JSON");

    [Fact]
    public void TimeStepRankAutoIsCeilingOfWidthOver16()
    {
        var c = ModelConfig.Parse("""{"model_type": "mamba", "hidden_size": 200, "num_hidden_layers": 1, "vocab_size": 10, "state_size": 4, "time_step_rank": "auto"}""");
        Assert.Equal(13, c.TimeStepRank);
        Assert.Equal(400, c.IntermediateSize);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var e = Assert.Throws<ModelConfigException>(() => ModelConfig.Load("/nonexistent/model"));
        Assert.Contains("/nonexistent/model/config.json", e.Message);
    }
}
