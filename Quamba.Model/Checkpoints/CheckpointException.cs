namespace Quamba.Model.Checkpoints;

/// <summary>Base type of every error about a checkpoint directory: its files, its config, its tensors.</summary>
public class CheckpointException : Exception
{
    public CheckpointException(string message, string? filePath, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file the problem was found in, when there is one.</summary>
    public string? FilePath { get; }
}

/// <summary>A safetensors file that does not follow the format (header, dtypes, byte ranges).</summary>
public sealed class CheckpointFormatException : CheckpointException
{
    public CheckpointFormatException(string filePath, string? tensorName, string problem, Exception? innerException = null)
        : base(Compose(filePath, tensorName, problem), filePath, innerException)
    {
        TensorName = tensorName;
    }

    /// <summary>The tensor whose header entry is wrong; null when the problem is with the file as a whole.</summary>
    public string? TensorName { get; }

    private static string Compose(string filePath, string? tensorName, string problem) =>
        tensorName is null
            ? $"{filePath}: malformed safetensors file: {problem}"
            : $"{filePath}: malformed safetensors file: tensor '{tensorName}': {problem}";
}

/// <summary>A config.json that cannot describe a model we run: unknown model type, missing or inconsistent fields.</summary>
public sealed class ModelConfigException : CheckpointException
{
    public ModelConfigException(string filePath, string? field, string problem, Exception? innerException = null)
        : base(field is null ? $"{filePath}: {problem}" : $"{filePath}: field '{field}': {problem}", filePath, innerException)
    {
        Field = field;
    }

    /// <summary>The JSON field at fault (dotted path for nested fields, e.g. "ssm_cfg.d_state").</summary>
    public string? Field { get; }
}

/// <summary>The tensors of a checkpoint do not match what its config says: a tensor is missing or has the wrong shape.</summary>
public sealed class CheckpointTensorException : CheckpointException
{
    public CheckpointTensorException(string? filePath, string tensorName, string message)
        : base(message, filePath)
    {
        TensorName = tensorName;
    }

    public string TensorName { get; }
}
