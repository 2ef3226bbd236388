using System.Text.Json.Nodes;
using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Execution;
using Quamba.Model.Quantization.Recipes;
using Quamba.Tests.Checkpoints;
using Quamba.Tests.Model;

namespace Quamba.Tests.Quantization.Recipes;

/// <summary>Quantized folders: save then load is bit-exact, MambaModel.Load finds them, and damage is reported by name.</summary>
public sealed class QuantizedCheckpointTests
{
    public static TheoryData<string, QuantizationPrecision, bool> Cases => new()
    {
        { "mamba1-tiny", QuantizationPrecision.W8A8, false },
        { "mamba2-tiny", QuantizationPrecision.W8A8, false },
        { "mamba2-tiny", QuantizationPrecision.W4A8, false },
        { "mamba1-tiny", QuantizationPrecision.W4A16, false },
        { "mamba1-tiny", QuantizationPrecision.W4A8, true }, // act-order GPTQ, clip-searched scales, GPTQ'd embedding
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SaveThenLoadGivesTheSameBytesAndTheSameLogits(string name, QuantizationPrecision precision, bool gptq)
    {
        var original = QuantizationTestModels.Get(name, precision, gptq: gptq);
        using var folder = new TempDirectory();
        original.Save(folder.Path, TestModels.Directory(name));
        var loaded = QuantizedCheckpoint.Load(folder.Path);

        Assert.Equal(QuantizedCheckpoint.SerializeManifest(original.Manifest), QuantizedCheckpoint.SerializeManifest(loaded.Manifest));
        Assert.Equal(original.Tensors.Keys.Order(StringComparer.Ordinal), loaded.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in original.Tensors)
        {
            var other = loaded.Tensors[key];
            Assert.Equal(tensor.DType, other.DType);
            Assert.Equal(tensor.Shape, other.Shape);
            Assert.True(tensor.Bytes.AsSpan().SequenceEqual(other.Bytes), $"tensor {key} differs after save/load");
        }
        Assert.True(File.Exists(Path.Combine(folder.Path, "config.json")) && File.Exists(Path.Combine(folder.Path, "tokenizer.json")));

        // The generic loader detects the folder and runs the same model: identical logits, bit for bit.
        var tokens = TestModels.ReadPrompt(name, 0).InputIds;
        using var inMemory = QuantizedMambaModel.Create(original);
        using var fromDisk = MambaModel.Load(folder.Path);
        Assert.IsType<QuantizedMambaModel>(fromDisk);
        Assert.Equal(QuantizationTestModels.PrefillLogits(inMemory, tokens), QuantizationTestModels.PrefillLogits(fromDisk, tokens));

        // Saving again reproduces the file byte for byte (deterministic writer).
        using var again = new TempDirectory();
        loaded.Save(again.Path, TestModels.Directory(name));
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder.Path, "model.safetensors")), File.ReadAllBytes(Path.Combine(again.Path, "model.safetensors")));
        Assert.Equal(File.ReadAllText(Path.Combine(folder.Path, "quantization.json")), File.ReadAllText(Path.Combine(again.Path, "quantization.json")));
    }

    /// <summary>Writes the W8A8 mamba2-tiny folder with one tensor removed or replaced.</summary>
    private static TempDirectory Damaged(Action<Dictionary<string, StoredTensor>> damage)
    {
        var original = QuantizationTestModels.Get("mamba2-tiny", QuantizationPrecision.W8A8);
        var tensors = new Dictionary<string, StoredTensor>(original.Tensors, StringComparer.Ordinal);
        damage(tensors);
        var folder = new TempDirectory();
        new QuantizedCheckpoint(original.Config, original.Manifest, tensors).Save(folder.Path, TestModels.Directory("mamba2-tiny"));
        return folder;
    }

    [Fact]
    public void AMissingScaleNamesTheFileAndTheTensor()
    {
        const string name = "backbone.layers.2.mixer.out_proj.input_scale";
        using var folder = Damaged(t => t.Remove(name));
        var error = Assert.Throws<CheckpointTensorException>(() => MambaModel.Load(folder.Path));
        Assert.Equal(name, error.TensorName);
        Assert.Contains(Path.Combine(folder.Path, "model.safetensors"), error.Message);
        Assert.Contains($"'{name}' is missing", error.Message);
    }

    [Fact]
    public void AShapeMismatchNamesTheTensorAndBothShapes()
    {
        const string name = "backbone.layers.1.mixer.in_proj.weight";
        using var folder = Damaged(t => t[name] = StoredTensor.Int8(new sbyte[10 * 256], 10, 256));
        var error = Assert.Throws<CheckpointTensorException>(() => MambaModel.Load(folder.Path));
        Assert.Equal(name, error.TensorName);
        Assert.Contains("I8 [10, 256], expected I8 [1168, 256]", error.Message);
    }

    [Fact]
    public void ANonPositiveScaleIsRejected()
    {
        const string name = "backbone.layers.0.mixer.ssm.x_scale";
        using var folder = Damaged(t => t[name] = StoredTensor.Float32(new float[t[name].Shape.Aggregate(1, (a, b) => a * b)], t[name].Shape));
        var error = Assert.Throws<CheckpointTensorException>(() => MambaModel.Load(folder.Path));
        Assert.Equal(name, error.TensorName);
        Assert.Contains("must be finite and > 0", error.Message);
    }

    [Theory]
    [InlineData(2, "unknown format version 2")]
    [InlineData(null, "missing or not a number")]
    public void AnUnknownOrMissingFormatVersionNamesTheField(int? version, string expected)
    {
        using var folder = Damaged(_ => { });
        string path = Path.Combine(folder.Path, "quantization.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        if (version is null) json.Remove("format_version");
        else json["format_version"] = version;
        File.WriteAllText(path, json.ToJsonString());
        var error = Assert.Throws<ModelConfigException>(() => MambaModel.Load(folder.Path));
        Assert.Equal("format_version", error.Field);
        Assert.StartsWith(path + ": field 'format_version': ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AnUnknownLayerPrecisionOrWeightFormatNamesTheManifestField()
    {
        using var folder = Damaged(_ => { });
        string path = Path.Combine(folder.Path, "quantization.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["layers"]![3]!["precision"] = "w3a8";
        File.WriteAllText(path, json.ToJsonString());
        var error = Assert.Throws<ModelConfigException>(() => MambaModel.Load(folder.Path));
        Assert.Equal("layers[3].precision", error.Field);

        json["layers"]![3]!["precision"] = "w8a8";
        json["layers"]![3]!["linears"]!["out_proj"]!["format"] = "int3";
        File.WriteAllText(path, json.ToJsonString());
        error = Assert.Throws<ModelConfigException>(() => MambaModel.Load(folder.Path));
        Assert.Equal("layers[3].linears.out_proj.format", error.Field);
    }

    [Fact]
    public void AMalformedManifestNamesTheJsonPath()
    {
        using var folder = Damaged(_ => { });
        string path = Path.Combine(folder.Path, "quantization.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["layers"]![0]!["index"] = "zero";
        File.WriteAllText(path, json.ToJsonString());
        var error = Assert.Throws<ModelConfigException>(() => MambaModel.Load(folder.Path));
        Assert.Equal("layers[0].index", error.Field);
        Assert.Contains(path, error.Message);
    }
}
