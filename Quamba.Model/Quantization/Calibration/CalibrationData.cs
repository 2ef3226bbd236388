using Quamba.Model.Evaluation;
using Quamba.Model.Tokenization;

namespace Quamba.Model.Quantization.Calibration;

/// <summary>
/// Calibration samples: the text tokenized as the evaluation protocol does (documents split on blank lines, each
/// ended by &lt;|endoftext|&gt;), cut into consecutive non-overlapping windows of <see cref="Length"/> tokens from the
/// start. Deterministic: the same file and settings always give the same windows.
/// </summary>
public sealed class CalibrationData
{
    public const int DefaultSamples = 512;
    public const int DefaultLength = 512;

    private CalibrationData(string filePath, int length, int[][] windows, int streamTokens)
    {
        FilePath = filePath;
        Length = length;
        Windows = windows;
        StreamTokens = streamTokens;
    }

    public string FilePath { get; }

    /// <summary>Tokens per sample.</summary>
    public int Length { get; }

    /// <summary>The samples, each <see cref="Length"/> token ids.</summary>
    public IReadOnlyList<int[]> Windows { get; }

    /// <summary>Tokens in the whole tokenized file.</summary>
    public int StreamTokens { get; }

    /// <summary>
    /// Up to <paramref name="samples"/> windows of <paramref name="length"/> tokens (fewer when the file is shorter:
    /// "capped by the file"); an empty file or one shorter than a single window is an error naming the file.
    /// </summary>
    public static CalibrationData Load(string path, BpeTokenizer tokenizer, int samples = DefaultSamples, int length = DefaultLength)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "The calibration sample count must be at least 1 (e.g. --calib-samples 512).");
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), length, "The calibration sample length must be at least 2 tokens (e.g. --calib-length 512).");
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new CalibrationDataException(full, "calibration text not found; pass an existing text file with --calib.");
        string text = File.ReadAllText(full);
        if (string.IsNullOrWhiteSpace(text))
            throw new CalibrationDataException(full, "the calibration text is empty; calibration needs at least one sample of text.");
        int[] stream = EvaluationCorpus.Tokenize(text, tokenizer);
        return FromTokens(full, stream, samples, length);
    }

    /// <summary>Windows over an already tokenized stream (tests, other corpora).</summary>
    public static CalibrationData FromTokens(string sourceName, int[] stream, int samples, int length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        int available = stream.Length / length;
        if (available == 0)
            throw new CalibrationDataException(sourceName,
                $"the calibration text has {stream.Length} tokens, fewer than one sample of {length}; use a longer text or a shorter --calib-length (at most {Math.Max(2, stream.Length)}).");
        int count = Math.Min(samples, available);
        var windows = new int[count][];
        for (int i = 0; i < count; i++) windows[i] = stream.AsSpan(i * length, length).ToArray();
        return new CalibrationData(sourceName, length, windows, stream.Length);
    }
}
