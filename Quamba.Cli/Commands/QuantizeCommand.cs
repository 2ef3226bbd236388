using System.CommandLine;
using System.Globalization;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Recipes;
using Spectre.Console;

namespace Quamba.Cli.Commands;

/// <summary>
/// <c>quamba quantize --precision w8a8|w4a8|w4a16|w4ax --out DIR</c>: post-training quantization of a float model folder
/// into a quantized folder that every other command loads.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var model = CliOptions.Model();
        var precision = new Option<string>("--precision") { Description = "w8a8, w4a8, w4a16 or w4ax (per layer, from --layers).", Required = true };
        var recipe = new Option<string>("--recipe") { Description = "naive (ablation), quamba or quamba2.", DefaultValueFactory = _ => "quamba2" };
        var gptq = new Option<bool>("--gptq") { Description = "GPTQ instead of round-to-nearest for the quantized linears." };
        var calib = new Option<string?>("--calib") { Description = $"Calibration text. Default: {DefaultPaths.DefaultCalibrationData}" };
        var samples = new Option<int>("--calib-samples") { Description = "Calibration samples (capped by the text).", DefaultValueFactory = _ => 512 };
        var length = new Option<int>("--calib-length") { Description = "Tokens per calibration sample.", DefaultValueFactory = _ => 512 };
        var layers = new Option<string?>("--layers") { Description = "w4ax: a file with one precision (w4a8 or w4a16) per layer, in order." };
        var output = new Option<string>("--out", "-o") { Description = "Folder to write the quantized model to.", Required = true };
        var command = new Command("quantize", "Quantize a float model (calibration, transforms, weights) into a quantized model folder.")
        {
            model, precision, recipe, gptq, calib, samples, length, layers, output,
        };
        command.SetAction((result, cancellationToken) =>
        {
            string directory = CliOptions.ModelDirectory(result, model);
            string text = result.GetValue(precision)!;
            if (!PrecisionNames.TryParse(text, out QuantizationPrecision p))
                throw new ArgumentException($"--precision '{text}' is not one of w8a8, w4a8, w4a16, w4ax.");
            string recipeText = result.GetValue(recipe)!;
            if (!PrecisionNames.TryParse(recipeText, out QuantizationRecipe r))
                throw new ArgumentException($"--recipe '{recipeText}' is not one of naive, quamba, quamba2.");
            string outDirectory = Path.GetFullPath(result.GetValue(output)!);
            if (string.Equals(outDirectory.TrimEnd('/'), directory.TrimEnd('/'), StringComparison.Ordinal))
                throw new ArgumentException($"--out {outDirectory} is the model folder itself; choose another folder so the float weights are kept.");
            string? layersPath = result.GetValue(layers);
            if (p == QuantizationPrecision.W4AX && layersPath is null)
                throw new ArgumentException("--precision w4ax needs --layers FILE: one line per layer, w4a8 or w4a16.");
            if (p != QuantizationPrecision.W4AX && layersPath is not null)
                throw new ArgumentException($"--layers applies to --precision w4ax only, not {p.Name()}.");
            int layerCount = Quamba.Model.Checkpoints.ModelConfig.Load(directory).NumLayers;

            var options = new QuantizationOptions
            {
                Precision = p,
                Recipe = r,
                Gptq = result.GetValue(gptq),
                CalibrationFile = DefaultPaths.Resolve(result.GetValue(calib), DefaultPaths.DefaultCalibrationData),
                CalibrationSamples = result.GetValue(samples),
                CalibrationLength = result.GetValue(length),
                LayerPrecisions = layersPath is null ? null : LayerPrecisionFile.Read(layersPath, layerCount),
            };
            var started = DateTime.UtcNow;
            QuantizedCheckpoint quantized = RunWithProgress(directory, options, cancellationToken);
            quantized.Save(outDirectory, directory);

            long floatBytes = Quamba.Model.Checkpoints.CheckpointTensors.WeightFiles(directory).Sum(f => new FileInfo(f).Length);
            long bytes = new FileInfo(Path.Combine(outDirectory, QuantizedCheckpoint.WeightsFileName)).Length;
            var m = quantized.Manifest;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"quantized: {directory} -> {outDirectory}\nrecipe: {m.Recipe}, precision: {m.Precision}{(m.Gptq ? ", gptq" : "")}, layers: {string.Join(",", m.Layers.Select(l => l.Precision))}, head: {m.Head.Precision}"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"calibration: {m.Calibration.Samples} samples x {m.Calibration.Length} tokens of {m.Calibration.File} ({(DateTime.UtcNow - started).TotalSeconds:F1} s in all)"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"model.safetensors: {bytes} bytes ({100.0 * bytes / floatBytes:F1}% of the float weights' {floatBytes})"));
            return Task.FromResult(0);
        });
        return command;
    }

    private static QuantizedCheckpoint RunWithProgress(string directory, QuantizationOptions options, CancellationToken cancellationToken)
    {
        if (Console.IsErrorRedirected)
            return ModelQuantizer.Quantize(directory, options, progress: null, cancellationToken);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        QuantizedCheckpoint? outcome = null;
        console.Progress().Start(context =>
        {
            var tasks = new Dictionary<string, ProgressTask>();
            var progress = new StageProgress(update =>
            {
                if (!tasks.TryGetValue(update.Stage, out var task))
                    tasks[update.Stage] = task = context.AddTask(update.Stage, maxValue: Math.Max(1, update.Total));
                task.Value = update.Done;
            });
            outcome = ModelQuantizer.Quantize(directory, options, progress, cancellationToken);
            foreach (var task in tasks.Values) task.Value = task.MaxValue;
        });
        return outcome!;
    }

    private sealed class StageProgress(Action<QuantizationProgress> report) : IProgress<QuantizationProgress>
    {
        public void Report(QuantizationProgress value) => report(value);
    }
}
