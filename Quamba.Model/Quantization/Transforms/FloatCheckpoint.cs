using Quamba.Model.Checkpoints;

namespace Quamba.Model.Quantization.Transforms;

/// <summary>
/// Every tensor of a float checkpoint as float32 arrays (names and shapes of <see cref="MambaTensorLayout"/>), for the
/// offline transforms (norm folding, reordering, Hadamard fusion) and weight quantization. Can be written back as a
/// float checkpoint folder that <see cref="Models.MambaModel.Load(string)"/> reads.
/// </summary>
public sealed class FloatCheckpoint
{
    private readonly Dictionary<string, float[]> _data;
    private readonly Dictionary<string, int[]> _shapes;

    private FloatCheckpoint(ModelConfig config, string sourceDirectory, Dictionary<string, float[]> data, Dictionary<string, int[]> shapes)
    {
        Config = config;
        SourceDirectory = sourceDirectory;
        _data = data;
        _shapes = shapes;
    }

    public ModelConfig Config { get; }

    /// <summary>The folder it was read from (config.json and tokenizer.json are copied from there).</summary>
    public string SourceDirectory { get; }

    public IEnumerable<string> Names => _data.Keys;

    public static FloatCheckpoint Load(string directory)
    {
        directory = Path.GetFullPath(directory);
        var config = ModelConfig.Load(directory);
        config.Validate();
        using var tensors = CheckpointTensors.Open(directory);
        var data = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var t in MambaTensorLayout.For(config))
        {
            string[] names = t.Kind == MambaTensorKind.Embedding ? Models.TensorNames.Embedding(config) : [t.Name];
            var tensor = tensors.Get(t.Shape, "see MambaTensorLayout", names);
            data[t.Name] = tensor.ToFloat32Array();
            shapes[t.Name] = t.Shape;
        }
        return new FloatCheckpoint(config, directory, data, shapes);
    }

    /// <summary>The embedding's name in this checkpoint's layout.</summary>
    public string EmbeddingName => MambaTensorLayout.For(Config)[0].Name;

    public static string Mixer(int layer, string name) => $"backbone.layers.{layer}.mixer.{name}";
    public static string LayerNorm(int layer) => $"backbone.layers.{layer}.norm.weight";

    public bool Contains(string name) => _data.ContainsKey(name);

    /// <summary>The tensor's values (mutable: transforms work in place).</summary>
    public float[] this[string name] => _data.TryGetValue(name, out var v) ? v
        : throw new KeyNotFoundException($"tensor '{name}' is not part of the {Config.Architecture} checkpoint in {SourceDirectory}");

    public int[] Shape(string name) => _shapes[name];

    public FloatCheckpoint Clone() => new(Config, SourceDirectory,
        _data.ToDictionary(kv => kv.Key, kv => (float[])kv.Value.Clone(), StringComparer.Ordinal),
        new Dictionary<string, int[]>(_shapes, StringComparer.Ordinal));

    /// <summary>Writes config.json (copied from the source), tokenizer.json (if present) and model.safetensors (F32).</summary>
    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        CopySideFiles(SourceDirectory, directory);
        SafetensorsWriter.WriteFloat32File(Path.Combine(directory, "model.safetensors"),
            _data.Select(kv => (new SafetensorsTensorSpec(kv.Key, SafetensorsDType.F32, _shapes[kv.Key]), kv.Value)));
    }

    /// <summary>
    /// The files besides the weights that a model folder carries: config, tokenizer, generation settings, and the
    /// reference logits (so `quamba verify` can report how far a quantized model is from them).
    /// </summary>
    internal static void CopySideFiles(string source, string destination)
    {
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(destination, "config.json"), overwrite: true);
        foreach (string name in (string[])["tokenizer.json", "generation_config.json", "reference.safetensors"])
        {
            string path = Path.Combine(source, name);
            if (File.Exists(path)) File.Copy(path, Path.Combine(destination, name), overwrite: true);
        }
    }
}
