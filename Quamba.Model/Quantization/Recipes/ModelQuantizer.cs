using Quamba.Model.Checkpoints;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Calibration;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Clustering;
using Quamba.Model.Quantization.Transforms;
using Quamba.Model.Tokenization;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>
/// Post-training quantization of a float checkpoint folder, end to end:
/// (1) Quamba2 on Mamba2: a calibration pass for x's channel statistics, sort-and-cluster, offline reordering;
/// (2) RMSNorm gamma folded into in_proj; (3) the calibration pass over the transformed float model: static activation
/// scales at every quantization point (and GPTQ Hessians); (4) Hadamard fused into out_proj; (5) weights quantized
/// (RTN or GPTQ) per layer precision; (6) a <see cref="QuantizedCheckpoint"/> with its manifest.
/// </summary>
public static class ModelQuantizer
{
    public const string ChannelStatisticsStage = "calibration: x channel statistics";
    public const string CalibrationStage = "calibration: activation scales";
    public const string WeightStage = "quantizing weights";

    public static QuantizedCheckpoint Quantize(string modelDirectory, QuantizationOptions options,
        IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Build(Prepare(modelDirectory, options, progress, cancellationToken), progress, cancellationToken);

    /// <summary>Steps 1-3: transforms and calibration; what <see cref="Build"/> (and the ablation) start from.</summary>
    internal static PreparedQuantization Prepare(string modelDirectory, QuantizationOptions options,
        IProgress<QuantizationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.EmbeddingBits is not (4 or 8))
            throw new ArgumentOutOfRangeException(nameof(options), options.EmbeddingBits, "EmbeddingBits must be 4 (int4 groups) or 8 (int8 per row).");
        var floats = FloatCheckpoint.Load(modelDirectory);
        var config = floats.Config;
        var recipe = RecipeSettings.For(options.Recipe);
        var precisions = LayerPrecisions(options, config.NumLayers);
        var headPrecision = options.Precision switch
        {
            QuantizationPrecision.W8A8 => LayerPrecision.W8A8,
            QuantizationPrecision.W4A8 => LayerPrecision.W4A8,
            _ => LayerPrecision.W4A16, // W4A16 and W4AX: float activations into lm_head
        };
        // W4A16 needs no activation scales; calibration runs only for int8 activations or GPTQ's Hessians.
        bool anyInt8 = precisions.Any(p => p.HasInt8Activations()) || headPrecision.HasInt8Activations();
        CalibrationData? data = anyInt8 || options.Gptq ? LoadCalibration(modelDirectory, options) : null;

        LayerClustering[]? clustering = null;
        if (data is not null && recipe.GroupedScales && config.Architecture == MambaArchitecture.Mamba2 && anyInt8)
        {
            clustering = Cluster(modelDirectory, config, data, progress, cancellationToken);
            for (int l = 0; l < config.NumLayers; l++) Mamba2Reordering.Apply(floats, l, clustering[l]);
        }
        NormFolding.Apply(floats);

        ActivationCollector? collector = null;
        if (data is not null)
        {
            collector = new ActivationCollector(config, recipe, options.Gptq, clustering?.Select(c => c.Table).ToArray(), options.PercentileAlpha);
            RunOnTransformedModel(floats, data, collector, Report(progress, CalibrationStage, data.Windows.Count), cancellationToken);
        }
        return new PreparedQuantization(floats, options, recipe, precisions, headPrecision, data, clustering, collector);
    }

    /// <summary>Steps 4-6: Hadamard fusion, weight quantization, the checkpoint and its manifest.</summary>
    internal static QuantizedCheckpoint Build(PreparedQuantization prepared, IProgress<QuantizationProgress>? progress, CancellationToken cancellationToken)
    {
        var (floats, options, recipe) = (prepared.Transformed, prepared.Options, prepared.Recipe);
        var config = floats.Config;
        var data = prepared.Calibration;
        var builder = new QuantizedTensorBuilder(floats, recipe, options, prepared.Collector);
        var hessians = prepared.Collector?.Hessians;
        var sequential = options.Gptq && options.SequentialGptq ? new SequentialGptq(prepared, progress, cancellationToken) : null;
        var layers = new LayerManifest[config.NumLayers];
        for (int l = 0; l < config.NumLayers; l++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var layerHessians = sequential is not null ? sequential.ForLayer(l) : hessians?.Layer(l);
            layers[l] = builder.Layer(l, prepared.Precisions[l], prepared.Clustering?[l], layerHessians);
            sequential?.Commit(l, builder);
            progress?.Report(new QuantizationProgress(WeightStage, l + 1, config.NumLayers + 1));
        }
        var head = builder.Head(prepared.HeadPrecision, sequential is not null ? sequential.ForHead() : hessians?.Head);
        progress?.Report(new QuantizationProgress(WeightStage, config.NumLayers + 1, config.NumLayers + 1));

        var manifest = new QuantizationManifest
        {
            FormatVersion = QuantizationManifest.CurrentFormatVersion,
            Recipe = options.Recipe.Name(),
            Precision = options.Precision.Name(),
            Gptq = options.Gptq,
            SequentialGptq = options.Gptq && options.SequentialGptq,
            ActOrder = options.Gptq && options.ActOrder,
            ScaleSearch = options.ScaleSearch && (prepared.Precisions.Any(p => p.WeightBits() == 4) || head.Embedding.Format == "int4"),
            NormFolded = true,
            HadamardOutProj = recipe.HadamardY,
            XObserver = recipe.PercentileX ? "percentile" : "absmax",
            PercentileAlpha = recipe.PercentileX ? options.PercentileAlpha : 0,
            Head = head,
            Calibration = new CalibrationManifest
            {
                File = data is null ? "" : Path.GetFileName(data.FilePath),
                Samples = data?.Windows.Count ?? 0,
                Length = data?.Length ?? 0,
            },
            Layers = layers,
        };
        return new QuantizedCheckpoint(config, manifest, builder.Tensors);
    }

    private static LayerPrecision[] LayerPrecisions(QuantizationOptions options, int layers)
    {
        if (options.Precision == QuantizationPrecision.W4AX)
        {
            var list = options.LayerPrecisions
                ?? throw new ArgumentException("w4ax needs a per-layer precision list: pass --layers FILE with one line (w4a8 or w4a16) per layer.");
            if (list.Count != layers)
                throw new ArgumentException($"the per-layer precision list has {list.Count} entries; the model has {layers} layers.");
            return list.ToArray();
        }
        if (options.LayerPrecisions is not null)
            throw new ArgumentException($"a per-layer precision list (--layers) only applies to --precision w4ax, not {options.Precision.Name()}.");
        var p = options.Precision switch
        {
            QuantizationPrecision.W8A8 => LayerPrecision.W8A8,
            QuantizationPrecision.W4A8 => LayerPrecision.W4A8,
            _ => LayerPrecision.W4A16,
        };
        return Enumerable.Repeat(p, layers).ToArray();
    }

    private static CalibrationData LoadCalibration(string modelDirectory, QuantizationOptions options)
    {
        string tokenizerPath = Path.Combine(modelDirectory, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
            throw new FileNotFoundException($"{Path.GetFullPath(tokenizerPath)}: calibration tokenizes text with the model's tokenizer.json, which is missing.", tokenizerPath);
        var tokenizer = BpeTokenizer.FromFile(tokenizerPath);
        return CalibrationData.Load(options.CalibrationFile, tokenizer, options.CalibrationSamples, options.CalibrationLength);
    }

    /// <summary>Pass 1 (Quamba2, Mamba2): x channel statistics on the original float model, then sort-and-cluster per layer.</summary>
    private static LayerClustering[] Cluster(string modelDirectory, ModelConfig config, CalibrationData data,
        IProgress<QuantizationProgress>? progress, CancellationToken cancellationToken)
    {
        var statistics = new ChannelStatisticsCollector(config);
        using (var model = MambaModel.Load(modelDirectory))
            CalibrationRunner.Run(model, data, statistics, Report(progress, ChannelStatisticsStage, data.Windows.Count), cancellationToken);
        var result = new LayerClustering[config.NumLayers];
        for (int l = 0; l < result.Length; l++)
            result[l] = SortAndCluster.ClusterLayer(statistics.Statistics(l), config.NumHeads, config.HeadDim, config.NGroups);
        return result;
    }

    /// <summary>
    /// Calibrates the transformed float model. It is materialised as a temporary float checkpoint folder (deleted
    /// afterwards) and loaded by the ordinary float loader, so calibration observes exactly the model being quantized.
    /// </summary>
    internal static void RunOnTransformedModel(FloatCheckpoint floats, CalibrationData data, IActivationObserver observer,
        IProgress<int>? progress, CancellationToken cancellationToken)
    {
        string temporary = Path.Combine(Path.GetTempPath(), "quamba-calibration-" + Guid.NewGuid().ToString("N"));
        try
        {
            floats.Write(temporary);
            using var model = MambaModel.Load(temporary);
            CalibrationRunner.Run(model, data, observer, progress, cancellationToken);
        }
        finally
        {
            try { Directory.Delete(temporary, recursive: true); }
            catch (IOException) { }
        }
    }

    private static IProgress<int>? Report(IProgress<QuantizationProgress>? progress, string stage, int total) =>
        progress is null ? null : new InlineProgress(done => progress.Report(new QuantizationProgress(stage, done, total)));

    /// <summary>Reports synchronously on the calling thread (Progress&lt;T&gt; would post to a thread-pool context).</summary>
    internal sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
