using Quamba.Model.Checkpoints;
using Quamba.Model.Models;

namespace Quamba.Tests.Checkpoints;

public sealed class RandomCheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Small shapes of both architectures (the published ones are GBs); 8 layers so a bad init would blow up.</summary>
    private static ModelConfig Tiny(MambaArchitecture arch) => new PublishedShape("test-tiny", arch, HiddenSize: 64, NumLayers: 8,
        VocabSize: 300, StateSize: arch == MambaArchitecture.Mamba1 ? 16 : 32, HeadDim: 16, NGroups: 2, ChunkSize: 16).ToConfig();

    [Theory]
    [InlineData(MambaArchitecture.Mamba1, SafetensorsDType.F32)]
    [InlineData(MambaArchitecture.Mamba2, SafetensorsDType.F32)]
    [InlineData(MambaArchitecture.Mamba2, SafetensorsDType.F16)]
    public void RandomModelLoadsAndRunsWithoutNaN(MambaArchitecture arch, SafetensorsDType dtype)
    {
        string dir = _temp.File("model");
        RandomCheckpoint.Write(Tiny(arch), dir, seed: 3, dtype, cancellationToken: TestContext.Current.CancellationToken);
        using var model = MambaModel.Load(dir);
        Assert.Equal(arch, model.Config.Architecture);
        var tokens = Enumerable.Range(0, 60).Select(i => i * 7 % 300).ToArray();
        var logits = new float[tokens.Length * model.VocabSize];
        model.Forward(model.CreateState(1), tokens, tokens.Length, logits, allPositions: true, TestContext.Current.CancellationToken);
        Assert.All(logits, v => Assert.True(float.IsFinite(v)));
        // Not degenerate: the logits vary across the vocabulary and across positions.
        Assert.True(logits.Max() - logits.Min() > 1e-3f);
        Assert.NotEqual(logits.AsSpan(0, 300).ToArray(), logits.AsSpan(59 * 300, 300).ToArray());
    }

    [Fact]
    public void SameSeedSameBytesOtherSeedOtherBytes()
    {
        var config = Tiny(MambaArchitecture.Mamba2);
        RandomCheckpoint.Write(config, _temp.File("a"), seed: 1, cancellationToken: TestContext.Current.CancellationToken);
        RandomCheckpoint.Write(config, _temp.File("b"), seed: 1, cancellationToken: TestContext.Current.CancellationToken);
        RandomCheckpoint.Write(config, _temp.File("c"), seed: 2, cancellationToken: TestContext.Current.CancellationToken);
        byte[] Read(string d) => File.ReadAllBytes(Path.Combine(_temp.File(d), "model.safetensors"));
        Assert.Equal(Read("a"), Read("b"));
        Assert.NotEqual(Read("a"), Read("c"));
        Assert.Equal(File.ReadAllText(Path.Combine(_temp.File("a"), "config.json")), File.ReadAllText(Path.Combine(_temp.File("c"), "config.json")));
    }

    [Fact]
    public void InitialisationFollowsTheDocumentedRanges()
    {
        string dir = _temp.File("init");
        RandomCheckpoint.Write(Tiny(MambaArchitecture.Mamba2), dir, seed: 0, cancellationToken: TestContext.Current.CancellationToken);
        using var file = SafetensorsFile.Open(Path.Combine(dir, "model.safetensors"));
        var aLog = file["backbone.layers.0.mixer.A_log"].ToFloat32Array();
        Assert.All(aLog, v => Assert.InRange(MathF.Exp(v), 1f, 16f));
        var dtBias = file["backbone.layers.0.mixer.dt_bias"].ToFloat32Array();
        Assert.All(dtBias, b => Assert.InRange(MathF.Log(1 + MathF.Exp(b)), 0.001f * 0.999f, 0.1f * 1.001f));
        Assert.All(file["backbone.layers.0.mixer.D"].ToFloat32Array(), v => Assert.Equal(1f, v));
        Assert.Equal("0", file.Metadata["quamba.random_seed"]);
    }

    [Fact]
    public void ConfigRoundTripsThroughTheWriter()
    {
        var config = PublishedShapes.Get("mamba2", "8b").ToConfig();
        string path = _temp.File("config.json");
        File.WriteAllText(path, ModelConfigWriter.ToHuggingFaceJson(config));
        var read = ModelConfig.Load(path);
        Assert.Equal(config with { SourcePath = path }, read);
    }

    [Fact]
    public void UnknownShapeListsTheValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => RandomCheckpoint.Write("mamba1", "mamba-7b", _temp.File("x")));
        Assert.Contains("mamba-7b", e.Message);
        foreach (var name in PublishedShapes.Names) Assert.Contains(name, e.Message);
        Assert.False(Directory.Exists(_temp.File("x")));
    }

    [Fact]
    public void ArchitectureMustMatchTheShape()
    {
        var e = Assert.Throws<ArgumentException>(() => RandomCheckpoint.Write("mamba1", "mamba2-130m", _temp.File("x")));
        Assert.Contains("Mamba2", e.Message);
        Assert.Throws<ArgumentException>(() => RandomCheckpoint.Write("rwkv", "mamba-130m", _temp.File("x")));
    }

    [Theory]
    [InlineData("mamba1", "130m", "mamba-130m")]
    [InlineData("Mamba2", "mamba2-2.7b", "mamba2-2.7b")]
    [InlineData("mamba", "1.4B", "mamba-1.4b")]
    public void ShapeNamesResolve(string arch, string name, string expected) =>
        Assert.Equal(expected, PublishedShapes.Get(arch, name).Name);

    [Fact]
    public void PublishedShapesHaveTheParameterCountsTheirNamesSay()
    {
        foreach (var shape in PublishedShapes.All)
        {
            string size = shape.Name[(shape.Name.IndexOf('-') + 1)..];
            double nominal = size.EndsWith('b') ? double.Parse(size[..^1], System.Globalization.CultureInfo.InvariantCulture) * 1e9 : double.Parse(size[..^1], System.Globalization.CultureInfo.InvariantCulture) * 1e6;
            double ratio = shape.ParameterCount / nominal;
            Assert.True(ratio is > 0.9 and < 1.1, $"{shape.Name}: {shape.ParameterCount:N0} parameters");
        }
        var m8 = PublishedShapes.Get("mamba2-8b").ToConfig();
        Assert.Equal((128, 8, 256000, false), (m8.NumHeads, m8.NGroups, m8.VocabSize, m8.TieWordEmbeddings));
        Assert.Equal(48, PublishedShapes.Get("mamba-130m").ToConfig().TimeStepRank);
    }
}
