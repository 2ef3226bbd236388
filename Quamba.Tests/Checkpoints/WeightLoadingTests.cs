using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Tests.Model;

namespace Quamba.Tests.Checkpoints;

/// <summary>Loading real weights through variations of names, configs and dtypes, built from the tiny models.</summary>
public sealed class WeightLoadingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Rewrites a tiny model's tensors into <paramref name="directory"/> with renames, edits and a dtype.</summary>
    private static void RewriteCheckpoint(string source, string directory, string configJson,
        Func<string, string?>? rename = null, SafetensorsDType dtype = SafetensorsDType.F32,
        Func<string, float[], float[]>? edit = null, IEnumerable<(string Name, int[] Shape, float[] Data)>? extra = null)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), configJson);
        using var file = SafetensorsFile.Open(Path.Combine(TestModels.Directory(source), "model.safetensors"));
        var tensors = new List<(SafetensorsTensorSpec, float[])>();
        foreach (var t in file.Tensors)
        {
            string? name = rename is null ? t.Name : rename(t.Name);
            if (name is null) continue;
            var data = t.ToFloat32Array();
            if (edit is not null) data = edit(t.Name, data);
            tensors.Add((new SafetensorsTensorSpec(name, dtype, t.Shape.ToArray()), data));
        }
        foreach (var (name, shape, data) in extra ?? [])
            tensors.Add((new SafetensorsTensorSpec(name, dtype, shape), data));
        SafetensorsWriter.WriteFloat32File(Path.Combine(directory, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
    }

    private static string TinyConfig(string model) => File.ReadAllText(Path.Combine(TestModels.Directory(model), "config.json"));

    private static float[] Logits(MambaModel model, int[] tokens)
    {
        var logits = new float[tokens.Length * model.VocabSize];
        model.Forward(model.CreateState(1), tokens, tokens.Length, logits, allPositions: true, Ct);
        return logits;
    }

    private static readonly int[] Prompt = [10, 200, 3000, 45, 7, 99, 1024, 5];

    [Fact]
    public void ConfigThatContradictsTheTensorsNamesTensorAndShapes()
    {
        string dir = _temp.File("wrong-width");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(TestModels.Directory("mamba1-tiny"), "model.safetensors"), Path.Combine(dir, "model.safetensors"));
        File.WriteAllText(Path.Combine(dir, "config.json"), TinyConfig("mamba1-tiny").Replace("\"hidden_size\": 192", "\"hidden_size\": 128"));

        var e = Assert.Throws<CheckpointTensorException>(() => MambaModel.Load(dir));
        Assert.Equal("backbone.embeddings.weight", e.TensorName);
        Assert.Contains("[4096, 192]", e.Message);
        Assert.Contains("expected [4096, 128]", e.Message);
        Assert.Contains("hidden_size 128", e.Message);
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        string dir = _temp.File("missing");
        RewriteCheckpoint("mamba2-tiny", dir, TinyConfig("mamba2-tiny"), rename: n => n == "backbone.layers.3.mixer.dt_bias" ? null : n);
        var e = Assert.Throws<CheckpointTensorException>(() => MambaModel.Load(dir));
        Assert.Equal("backbone.layers.3.mixer.dt_bias", e.TensorName);
        Assert.Contains("'backbone.layers.3.mixer.dt_bias' is missing", e.Message);
    }

    [Fact]
    public void Mamba2WithWrongGroupCountReportsInProjShape()
    {
        string dir = _temp.File("groups");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(TestModels.Directory("mamba2-tiny"), "model.safetensors"), Path.Combine(dir, "model.safetensors"));
        File.WriteAllText(Path.Combine(dir, "config.json"), TinyConfig("mamba2-tiny").Replace("\"n_groups\": 2", "\"n_groups\": 1"));
        var e = Assert.Throws<CheckpointTensorException>(() => MambaModel.Load(dir));
        Assert.Equal("backbone.layers.0.mixer.in_proj.weight", e.TensorName);
        Assert.Contains("[1168, 256]", e.Message);
        Assert.Contains("expected [1104, 256]", e.Message);
    }

    [Fact]
    public void StateSpacesNamesAndConfigGiveTheSameModel()
    {
        string dir = _temp.File("state-spaces");
        RewriteCheckpoint("mamba1-tiny", dir, """
            {"d_model": 192, "n_layer": 6, "vocab_size": 4090, "pad_vocab_size_multiple": 8,
             "ssm_cfg": {"d_state": 16, "d_conv": 4, "expand": 2, "dt_rank": 12}, "rms_norm": true,
             "residual_in_fp32": true, "fused_add_norm": true, "tie_embeddings": true}
            """, rename: n => n == "backbone.embeddings.weight" ? "backbone.embedding.weight" : n);
        using var original = MambaModel.Load(TestModels.Directory("mamba1-tiny"));
        using var renamed = MambaModel.Load(dir);
        Assert.Equal(ConfigLayout.StateSpaces, renamed.Config.Layout);
        Assert.Equal(4096, renamed.VocabSize); // 4090 padded up to a multiple of 8
        Assert.Equal(Logits(original, Prompt), Logits(renamed, Prompt));
    }

    [Fact]
    public void UntiedLmHeadIsUsed()
    {
        // lm_head = 2 x embedding: every logit doubles exactly (scaling by 2 is exact in float32).
        string dir = _temp.File("untied");
        using var file = SafetensorsFile.Open(Path.Combine(TestModels.Directory("mamba2-tiny"), "model.safetensors"));
        var head = file["backbone.embeddings.weight"].ToFloat32Array().Select(v => 2 * v).ToArray();
        RewriteCheckpoint("mamba2-tiny", dir, TinyConfig("mamba2-tiny").Replace("\"tie_word_embeddings\": true", "\"tie_word_embeddings\": false"),
            extra: [("lm_head.weight", [4096, 256], head)]);
        using var original = MambaModel.Load(TestModels.Directory("mamba2-tiny"));
        using var untied = MambaModel.Load(dir);
        Assert.False(untied.Config.TieWordEmbeddings);
        Assert.Equal(Logits(original, Prompt).Select(v => 2 * v), Logits(untied, Prompt));
    }

    [Fact]
    public void UntiedConfigWithoutLmHeadIsAClearError()
    {
        string dir = _temp.File("untied-missing");
        RewriteCheckpoint("mamba1-tiny", dir, TinyConfig("mamba1-tiny").Replace("\"tie_word_embeddings\": true", "\"tie_word_embeddings\": false"));
        var e = Assert.Throws<CheckpointTensorException>(() => MambaModel.Load(dir));
        Assert.Equal("lm_head.weight", e.TensorName);
    }

    [Theory]
    [InlineData(SafetensorsDType.F16)]
    [InlineData(SafetensorsDType.BF16)]
    public void HalfPrecisionCheckpointEqualsTheRoundedFloat32One(SafetensorsDType dtype)
    {
        // The same weights stored as F16/BF16, and as F32 holding the already-rounded values: identical logits.
        Func<float, float> round = dtype == SafetensorsDType.F16 ? v => (float)(Half)v : ElementConversionReference.RoundToBFloat16;
        string half = _temp.File("half"), rounded = _temp.File("rounded");
        RewriteCheckpoint("mamba1-tiny", half, TinyConfig("mamba1-tiny"), dtype: dtype);
        RewriteCheckpoint("mamba1-tiny", rounded, TinyConfig("mamba1-tiny"), edit: (_, d) => d.Select(round).ToArray());
        using var a = MambaModel.Load(half);
        using var b = MambaModel.Load(rounded);
        var logits = Logits(a, Prompt);
        Assert.Equal(Logits(b, Prompt), logits);
        Assert.All(logits, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void DirectoryWithoutWeightsIsAClearError()
    {
        string dir = _temp.File("empty");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), TinyConfig("mamba1-tiny"));
        var e = Assert.Throws<CheckpointException>(() => MambaModel.Load(dir));
        Assert.Contains("no *.safetensors", e.Message);
    }

    [Fact]
    public void TruncatedWeightFileFailsOnLoad()
    {
        string dir = _temp.File("truncated");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), TinyConfig("mamba1-tiny"));
        var bytes = File.ReadAllBytes(Path.Combine(TestModels.Directory("mamba1-tiny"), "model.safetensors"));
        File.WriteAllBytes(Path.Combine(dir, "model.safetensors"), bytes[..(bytes.Length - 100)]);
        var e = Assert.Throws<CheckpointFormatException>(() => MambaModel.Load(dir));
        Assert.Equal("backbone.norm_f.weight", e.TensorName); // the last tensor (768 bytes) is the only one cut
        Assert.Contains("past the end of the data section", e.Message);
    }
}
