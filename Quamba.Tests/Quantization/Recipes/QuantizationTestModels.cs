using System.Collections.Concurrent;
using Quamba.Model.Evaluation;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Recipes;
using Quamba.Model.Tokenization;
using Quamba.Tests.Model;

namespace Quamba.Tests.Quantization.Recipes;

/// <summary>
/// Quantized versions of the tiny models, made once per test run with a small calibration (4 windows of 128 tokens,
/// so each takes about a second) and shared by the recipe tests.
/// </summary>
internal static class QuantizationTestModels
{
    public const int CalibrationSamples = 4;
    public const int CalibrationLength = 128;

    private static readonly ConcurrentDictionary<string, Lazy<QuantizedCheckpoint>> Cache = new();

    public static string CalibrationFile => Path.Combine(TestModels.RepositoryRoot, "data", "calib.txt");
    public static string EvalFile => Path.Combine(TestModels.RepositoryRoot, "data", "eval.txt");

    public static QuantizationOptions Options(QuantizationPrecision precision, QuantizationRecipe recipe = QuantizationRecipe.Quamba2, bool gptq = false,
        IReadOnlyList<LayerPrecision>? layers = null) => new()
    {
        Precision = precision,
        Recipe = recipe,
        Gptq = gptq,
        CalibrationFile = CalibrationFile,
        CalibrationSamples = CalibrationSamples,
        CalibrationLength = CalibrationLength,
        LayerPrecisions = layers,
    };

    public static QuantizedCheckpoint Get(string model, QuantizationPrecision precision, QuantizationRecipe recipe = QuantizationRecipe.Quamba2, bool gptq = false)
    {
        string key = $"{model}/{precision}/{recipe}/{gptq}";
        return Cache.GetOrAdd(key, _ => new Lazy<QuantizedCheckpoint>(() =>
            ModelQuantizer.Quantize(TestModels.Directory(model), Options(precision, recipe, gptq)))).Value;
    }

    /// <summary>The eval text's token stream (protocol of data/README.md).</summary>
    public static int[] EvalStream(string model) =>
        EvaluationCorpus.TokenizeFile(EvalFile, BpeTokenizer.FromFile(Path.Combine(TestModels.Directory(model), "tokenizer.json")));

    /// <summary>Perplexity over the first windows of eval.txt (by default 8 windows of 128 tokens: fast, and enough to rank models).</summary>
    public static double ShortPerplexity(MambaModel model, int[] stream, int windows = 8) =>
        Perplexity.Evaluate(model, stream, window: 128, cap: 128 * (windows + 1) + 2, cancellationToken: TestContext.Current.CancellationToken).Value;

    public static float[] PrefillLogits(MambaModel model, int[] tokens)
    {
        var logits = new float[tokens.Length * model.VocabSize];
        model.Forward(model.CreateState(1), tokens, tokens.Length, logits, allPositions: true, TestContext.Current.CancellationToken);
        return logits;
    }

    /// <summary>max |a - b| / max |a|.</summary>
    public static double RelativeError(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
    {
        double diff = 0, scale = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs((double)reference[i] - actual[i]));
            scale = Math.Max(scale, Math.Abs((double)reference[i]));
        }
        return diff / scale;
    }
}
