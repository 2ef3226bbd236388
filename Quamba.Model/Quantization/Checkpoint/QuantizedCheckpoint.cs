using System.Text.Json;
using System.Text.Json.Serialization;
using Quamba.Model.Checkpoints;
using Quamba.Model.Quantization.Transforms;

namespace Quamba.Model.Quantization.Checkpoint;

/// <summary>
/// A quantized model folder: model.safetensors (int8 codes as I8, packed int4 codes as U8, scales and the float
/// parameters as F32), quantization.json (<see cref="QuantizationManifest"/>), and config.json / tokenizer.json copied
/// from the float model. Saving then loading gives back the same bytes.
/// </summary>
public sealed class QuantizedCheckpoint
{
    public const string WeightsFileName = "model.safetensors";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public QuantizedCheckpoint(ModelConfig config, QuantizationManifest manifest, IReadOnlyDictionary<string, StoredTensor> tensors, string? directory = null)
    {
        Config = config;
        Manifest = manifest;
        Tensors = tensors;
        Directory = directory;
    }

    public ModelConfig Config { get; }
    public QuantizationManifest Manifest { get; }
    public IReadOnlyDictionary<string, StoredTensor> Tensors { get; }

    /// <summary>The folder it was loaded from or saved to (null while only in memory).</summary>
    public string? Directory { get; private set; }

    /// <summary>Where a tensor lives, for error messages.</summary>
    internal string WeightsPath => Directory is null ? "(in-memory quantized checkpoint)" : Path.Combine(Directory, WeightsFileName);

    internal string ManifestPath => Directory is null ? "(in-memory quantization manifest)" : Path.Combine(Directory, QuantizationManifest.FileName);

    /// <summary>True when <paramref name="directory"/> holds a quantization.json.</summary>
    public static bool IsQuantized(string directory) => File.Exists(Path.Combine(directory, QuantizationManifest.FileName));

    public static string SerializeManifest(QuantizationManifest manifest) => JsonSerializer.Serialize(manifest, JsonOptions);

    /// <summary>Writes the folder; config.json and tokenizer.json are copied from <paramref name="sourceDirectory"/>.</summary>
    public void Save(string directory, string sourceDirectory)
    {
        directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(directory);
        FloatCheckpoint.CopySideFiles(sourceDirectory, directory);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "quamba-quantized",
            ["format_version"] = Manifest.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        SafetensorsWriter.WriteFile(Path.Combine(directory, WeightsFileName),
            Tensors.Select(kv => (new SafetensorsTensorSpec(kv.Key, kv.Value.DType, kv.Value.Shape), (ReadOnlyMemory<byte>)kv.Value.Bytes)),
            metadata);
        File.WriteAllText(Path.Combine(directory, QuantizationManifest.FileName), SerializeManifest(Manifest) + "\n");
        Directory = directory;
    }

    public static QuantizedCheckpoint Load(string directory)
    {
        directory = Path.GetFullPath(directory);
        string manifestPath = Path.Combine(directory, QuantizationManifest.FileName);
        var manifest = ReadManifest(manifestPath);
        var config = ModelConfig.Load(directory);
        config.Validate();
        string weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weightsPath))
            throw new CheckpointException($"{weightsPath}: the quantized weights are missing; a quantized folder holds model.safetensors next to quantization.json (re-run quamba quantize)", weightsPath);
        var tensors = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        using (var file = SafetensorsFile.Open(weightsPath))
        {
            if (file.Metadata.TryGetValue("format_version", out string? version) && version != manifest.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
                throw new CheckpointFormatException(weightsPath, "__metadata__", $"format_version {version} does not match quantization.json's {manifest.FormatVersion}; the two files come from different quantization runs");
            foreach (var t in file.Tensors) tensors[t.Name] = new StoredTensor(t.DType, t.ShapeArray.ToArray(), t.Bytes.ToArray());
        }
        return new QuantizedCheckpoint(config, manifest, tensors, directory);
    }

    private static QuantizationManifest ReadManifest(string path)
    {
        if (!File.Exists(path)) throw new ModelConfigException(path, null, "quantization.json not found; this is not a quantized model folder");
        QuantizationManifest? manifest;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            // The version is checked before anything else, so a future format gets this message, not a field error.
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelConfigException(path, null, "expected a JSON object");
            if (!document.RootElement.TryGetProperty("format_version", out var v) || v.ValueKind != JsonValueKind.Number)
                throw new ModelConfigException(path, "format_version", "missing or not a number; a quamba quantization.json starts with \"format_version\": 1");
            if (!v.TryGetInt32(out int version) || version != QuantizationManifest.CurrentFormatVersion)
                throw new ModelConfigException(path, "format_version",
                    $"unknown format version {v.GetRawText()}; this build reads version {QuantizationManifest.CurrentFormatVersion} (quantize the float model again with this version of quamba)");
            manifest = document.RootElement.Deserialize<QuantizationManifest>(JsonOptions);
        }
        catch (JsonException error)
        {
            throw new ModelConfigException(path, error.Path?.TrimStart('$', '.'), error.Message, error);
        }
        return manifest ?? throw new ModelConfigException(path, null, "the manifest is null");
    }
}
