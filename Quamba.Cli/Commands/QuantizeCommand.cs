using System.CommandLine;
using System.Globalization;
using Quamba.Model.Checkpoints;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Recipes;

namespace Quamba.Cli.Commands;

/// <summary>
/// <c>quamba quantize --precision w8a8|w4a8|w4a16|w4ax --out DIR</c>: post-training quantization of a float model folder
/// into a quantized folder that every other command loads.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var shared = new QuantizationCliOptions();
        var output = new Option<string>("--out", "-o") { Description = "Folder to write the quantized model to.", Required = true };
        var command = new Command("quantize", "Quantize a float model (calibration, transforms, weights) into a quantized model folder.");
        shared.AddTo(command);
        command.Options.Add(output);
        command.SetAction((result, cancellationToken) =>
        {
            string directory = CliOptions.ModelDirectory(result, shared.Model);
            string outDirectory = Path.GetFullPath(result.GetValue(output)!);
            if (string.Equals(outDirectory.TrimEnd('/'), directory.TrimEnd('/'), StringComparison.Ordinal))
                throw new ArgumentException($"--out {outDirectory} is the model folder itself; choose another folder so the float weights are kept.");
            var options = shared.Parse(result, directory);
            var started = DateTime.UtcNow;
            var quantized = QuantizationCliOptions.WithProgress(progress => ModelQuantizer.Quantize(directory, options, progress, cancellationToken));
            quantized.Save(outDirectory, directory);

            long floatBytes = CheckpointTensors.WeightFiles(directory).Sum(f => new FileInfo(f).Length);
            long bytes = new FileInfo(Path.Combine(outDirectory, QuantizedCheckpoint.WeightsFileName)).Length;
            var m = quantized.Manifest;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"quantized: {directory} -> {outDirectory}\nrecipe: {m.Recipe}, precision: {m.Precision}{(m.Gptq ? ", gptq" : "")}, layers: {string.Join(",", m.Layers.Select(l => l.Precision))}, head: {m.Head.Precision}"));
            Console.Out.WriteLine(WeightSummary(m));
            string seconds = ((DateTime.UtcNow - started).TotalSeconds).ToString("F1", CultureInfo.InvariantCulture);
            Console.Out.WriteLine(m.Calibration.Samples == 0
                ? $"calibration: none (round-to-nearest weights with float activations need no scales; {seconds} s in all)"
                : $"calibration: {m.Calibration.Samples} samples x {m.Calibration.Length} tokens of {m.Calibration.File} ({seconds} s in all)");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"model.safetensors: {bytes} bytes ({100.0 * bytes / floatBytes:F1}% of the float weights' {floatBytes})"));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>How the weights were quantized, e.g. "weights: gptq (act-order), clip-searched scales; layers int4 groups of 128; embedding int4 groups of 128, gptq".</summary>
    private static string WeightSummary(QuantizationManifest m)
    {
        var method = new List<string>();
        if (m.Gptq) method.Add(m.ActOrder ? m.SequentialGptq ? "gptq (act-order, sequential)" : "gptq (act-order)" : m.SequentialGptq ? "gptq (sequential)" : "gptq");
        else method.Add("round to nearest");
        if (m.ScaleSearch) method.Add("clip-searched scales");
        static string Format(LinearManifest l) => l.Format == "int4" ? $"int4 groups of {l.GroupSize}" : $"int8 {l.Granularity?.Replace('_', ' ')}";
        var layerFormats = m.Layers.SelectMany(l => new[] { l.Linears["in_proj"], l.Linears["out_proj"] }).Select(Format).Distinct();
        return $"weights: {string.Join(", ", method)}; in_proj/out_proj {string.Join(" / ", layerFormats)}; embedding {Format(m.Head.Embedding)}, {m.Head.Embedding.Method}";
    }
}
