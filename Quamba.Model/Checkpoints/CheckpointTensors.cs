namespace Quamba.Model.Checkpoints;

/// <summary>
/// The weight files of a checkpoint directory, opened together: model.safetensors, or the shards named by
/// model.safetensors.index.json, or else every *.safetensors except reference.safetensors (test fixtures).
/// Looks tensors up by name across files and checks their shapes.
/// </summary>
public sealed class CheckpointTensors : IDisposable
{
    private readonly List<SafetensorsFile> _files = [];
    private readonly Dictionary<string, SafetensorsTensor> _byName = new(StringComparer.Ordinal);

    private CheckpointTensors(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }
    public IReadOnlyList<SafetensorsFile> Files => _files;
    public IEnumerable<string> Names => _byName.Keys;

    public static CheckpointTensors Open(string directory)
    {
        directory = Path.GetFullPath(directory);
        var result = new CheckpointTensors(directory);
        try
        {
            foreach (string path in WeightFiles(directory))
            {
                var file = SafetensorsFile.Open(path);
                result._files.Add(file);
                foreach (var tensor in file.Tensors)
                {
                    if (result._byName.TryGetValue(tensor.Name, out var other))
                        throw new CheckpointFormatException(path, tensor.Name, $"also present in {other.FilePath}; a tensor must live in one file");
                    result._byName.Add(tensor.Name, tensor);
                }
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>The safetensors files that hold the weights of a checkpoint directory.</summary>
    public static IReadOnlyList<string> WeightFiles(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{directory}: checkpoint directory not found");
        string single = Path.Combine(directory, "model.safetensors");
        if (File.Exists(single)) return [single];
        var candidates = System.IO.Directory.GetFiles(directory, "*.safetensors")
            .Where(f => !string.Equals(Path.GetFileName(f), "reference.safetensors", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        var sharded = candidates.Where(f => Path.GetFileName(f).StartsWith("model-", StringComparison.Ordinal)).ToList();
        if (sharded.Count > 0) return sharded;
        if (candidates.Count > 0) return candidates;
        string hint = File.Exists(Path.Combine(directory, "pytorch_model.bin"))
            ? " (it has pytorch_model.bin: convert it to safetensors first, e.g. with transformers' save_pretrained(safe_serialization=True))"
            : "";
        throw new CheckpointException($"{directory}: no *.safetensors weight file found{hint}", directory);
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public bool TryGet(string name, out SafetensorsTensor tensor) => _byName.TryGetValue(name, out tensor!);

    /// <summary>The first of <paramref name="names"/> that exists (alternative spellings of one tensor), or a clear error.</summary>
    public SafetensorsTensor Get(params string[] names)
    {
        foreach (string name in names)
            if (_byName.TryGetValue(name, out var t)) return t;
        string alternatives = names.Length > 1 ? $" (also looked for {string.Join(", ", names.Skip(1).Select(n => $"'{n}'"))})" : "";
        throw new CheckpointTensorException(Directory, names[0],
            $"{Directory}: tensor '{names[0]}' is missing{alternatives}; the checkpoint's files ({string.Join(", ", _files.Select(f => Path.GetFileName(f.Path)))}) do not match its config.json");
    }

    /// <summary>Finds the tensor and checks its shape; element order must be row-major as declared.</summary>
    public SafetensorsTensor Get(IReadOnlyList<int> expectedShape, string configHint, params string[] names)
    {
        var tensor = Get(names);
        if (!ShapeMatches(tensor.ShapeArray, expectedShape))
            throw new CheckpointTensorException(tensor.FilePath, tensor.Name,
                $"{tensor.FilePath}: tensor '{tensor.Name}' has shape {tensor.ShapeText}, expected {SafetensorsTensor.FormatShape(expectedShape)} from config.json ({configHint}); the config does not describe these weights");
        if (!tensor.DType.IsFloatingPoint())
            throw new CheckpointTensorException(tensor.FilePath, tensor.Name,
                $"{tensor.FilePath}: tensor '{tensor.Name}' is {tensor.DType}; a float checkpoint needs F32, F16, BF16 or F64 weights (quantized checkpoints load through their own loader)");
        return tensor;
    }

    private static bool ShapeMatches(int[] actual, IReadOnlyList<int> expected)
    {
        if (actual.Length != expected.Count) return false;
        for (int i = 0; i < actual.Length; i++)
            if (actual[i] != expected[i]) return false;
        return true;
    }

    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
        _files.Clear();
        _byName.Clear();
    }
}
