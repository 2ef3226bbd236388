using Quamba.Generators.Config;
using Quamba.Tests.Snapshots;
using static Quamba.Tests.Config.ConfigHarness;

namespace Quamba.Tests.Config;

/// <summary>What valid configs read as: defaults, checkpoints, per-layer precision, targets, Hadamard sizes.</summary>
public class ConfigReaderTests
{
    private static QuambaConfig Read(string json, params CheckpointFile[] checkpoints)
    {
        var result = ConfigReader.Read("/proj/quamba.json", json, checkpoints, TestContext.Current.CancellationToken);
        Assert.True(result.Config is not null, string.Join("\n", result.Diagnostics.Select(d => d.ToDiagnostic().ToString())));
        return result.Config!;
    }

    [Fact]
    public void Mamba1DefaultsFollowTheReferenceModel()
    {
        var c = Read("""{ "architecture": "mamba1", "shape": { "d_model": 768, "n_layer": 24, "vocab_size": 50280 }, "precision": "w8a8" }""");
        Assert.Equal(new ModelShape(768, 1536, 16, 1, 1, 1536, 4, 48, 0, 24, 50280), c.Shape);
        Assert.Equal("Quamba", c.Name);
        Assert.Equal(24, c.Layers.Count);
        Assert.All(c.Layers, l => Assert.Equal(LayerPrecision.W8A8, l));
        Assert.Equal(StatePrecision.Int8, c.StatePrecision);
        Assert.Equal([80, 86, 89, 90], c.TargetSms.ToArray());
        Assert.Equal(new HadamardSize(1536, 12, 7), c.InnerHadamard);
    }

    [Fact]
    public void Mamba2DefaultsAndGrouping()
    {
        var c = Read("""{ "architecture": "mamba2", "shape": { "d_model": 2560, "n_layer": 64, "vocab_size": 50288 }, "precision": "w4a16" }""");
        Assert.Equal(new ModelShape(2560, 5120, 128, 64, 1, 80, 4, 0, 256, 64, 50288), c.Shape);
        Assert.Equal((4, 4, 128), (c.HeadGroups, c.DimGroups, c.WeightGroupSize));
        Assert.Equal(StatePrecision.Fp16, c.StatePrecision);
        // W4A16 layers rotate y too (float out): their 4-bit out_proj weights carry the rotation.
        Assert.Equal(new HadamardSize(5120, 40, 7), c.InnerHadamard);
    }

    [Theory]
    [InlineData(1536, 12, 128)]
    [InlineData(5120, 40, 128)]
    [InlineData(2560, 40, 64)]
    [InlineData(20, 20, 1)]
    [InlineData(448, 28, 16)]
    [InlineData(512, 1, 512)]
    [InlineData(384, 12, 32)]
    public void HadamardConstructions(int width, int m, int powerOfTwo)
    {
        var h = ConfigNames.Hadamard(width)!;
        Assert.Equal((m, powerOfTwo), (h.M, h.PowerOfTwo));
    }

    [Theory]
    [InlineData(704)]
    [InlineData(36)]
    [InlineData(0)]
    public void WidthsWithoutHadamard(int width) => Assert.Null(ConfigNames.Hadamard(width));

    [Fact]
    public void PerLayerPrecisionAndOpenEndedTargets()
    {
        var c = Read("""
            // W4AX with comments and a trailing comma
            { "name": "mixed-8b", "architecture": "mamba2", "targets": "sm_89+",
              "shape": { "d_model": 256, "d_state": 32, "headdim": 32, "ngroups": 2, "chunk_size": 64, "n_layer": 3, "vocab_size": 4096, },
              "precision": ["w4a8", "W4A16", "w4a8"] }
            """);
        Assert.Equal("Mixed8b", c.Name);
        Assert.Equal([LayerPrecision.W4A8, LayerPrecision.W4A16, LayerPrecision.W4A8], c.Layers.ToArray());
        Assert.True(c.TargetsOpenEnded);
        Assert.Equal(89, c.MinimumSm);
        Assert.Contains(90, c.TargetSms);
        Assert.DoesNotContain(86, c.TargetSms);
    }

    [Fact]
    public void HuggingFaceCheckpointOfTheTinyMamba2()
    {
        var path = Path.Combine(Snapshot.RepositoryRoot(), "models", "mamba2-tiny", "config.json");
        var checkpoint = new CheckpointFile("/proj/models/mamba2-tiny/config.json", File.ReadAllText(path));
        var c = Read("""{ "checkpoint": "models/mamba2-tiny", "precision": "w8a8" }""", checkpoint);
        Assert.Equal(ModelArchitecture.Mamba2, c.Architecture);
        Assert.Equal(new ModelShape(256, 512, 32, 32, 2, 16, 4, 0, 64, 6, 4096), c.Shape);
    }

    [Fact]
    public void HuggingFaceCheckpointOfTheTinyMamba1()
    {
        var path = Path.Combine(Snapshot.RepositoryRoot(), "models", "mamba1-tiny", "config.json");
        var checkpoint = new CheckpointFile("/models/mamba1-tiny/config.json", File.ReadAllText(path));
        var c = Read("""{ "checkpoint": "../models/mamba1-tiny/config.json", "precision": "w8a8" }""", checkpoint);
        Assert.Equal(new ModelShape(192, 384, 16, 1, 1, 384, 4, 12, 0, 6, 4096), c.Shape);
        Assert.Equal(new HadamardSize(384, 12, 5), c.InnerHadamard);
    }

    [Fact]
    public void StateSpacesCheckpointPadsTheVocabulary()
    {
        var checkpoint = new CheckpointFile("/proj/ss.json", """
            { "d_model": 2560, "n_layer": 64, "vocab_size": 50277, "pad_vocab_size_multiple": 16,
              "ssm_cfg": { "layer": "Mamba2", "d_state": 128, "headdim": 64, "ngroups": 1 } }
            """);
        var c = Read("""{ "checkpoint": "./ss.json", "precision": "w4a8" }""", checkpoint);
        Assert.Equal(new ModelShape(2560, 5120, 128, 64, 1, 80, 4, 0, 256, 64, 50288), c.Shape);
    }

    [Fact]
    public void ArchitectureDisagreeingWithTheCheckpointIsAnError()
    {
        var checkpoint = new CheckpointFile("/proj/ss.json", """{ "d_model": 256, "n_layer": 2, "vocab_size": 4096 }""");
        var result = ConfigReader.Read("/proj/quamba.json", """{ "architecture": "mamba2", "checkpoint": "ss.json", "precision": "w8a8" }""", [checkpoint], TestContext.Current.CancellationToken);
        Assert.Null(result.Config);
        Assert.Contains(result.Diagnostics, d => d.Id == "QC0006" && d.ToDiagnostic().GetMessage().Contains("mamba1 model"));
    }

    [Fact]
    public void ValidConfigGeneratesShapesAndPlanThatCompile()
    {
        var result = RunConfig(ConfigSamples.Mamba2Tiny("Tiny", "w8a8"));
        Assert.Empty(result.Diagnostics);
        Assert.Contains(result.Sources, s => s.HintName == "QuambaPlans.Tiny.g.cs");
        Assert.Contains(result.Sources, s => s.HintName == "QuambaPlans.Tiny.Shapes.g.cs");
        Assert.Empty(result.CompilationErrors);
        Assert.Contains("public static int Heads => 16;", result.Source("Tiny.Shapes"));
    }

    [Fact]
    public void OutputIsDeterministic()
    {
        var first = RunConfig(ConfigSamples.Mamba2_8bW4AX()).Sources.Select(s => s.HintName + "\n" + s.SourceText).ToList();
        var second = RunConfig(ConfigSamples.Mamba2_8bW4AX()).Sources.Select(s => s.HintName + "\n" + s.SourceText).ToList();
        Assert.Equal(first, second);
    }
}

