using System.CommandLine;
using System.Globalization;
using Quamba.Model.Evaluation;
using Quamba.Model.Quantization.Recipes;
using Quamba.Model.Tokenization;

namespace Quamba.Cli.Commands;

/// <summary>
/// <c>quamba ablate</c>: which tensor's quantization costs what. Quantizes as <c>quamba quantize</c> would, then
/// measures perplexity with one weight class or one activation site quantized at a time (simulated on the float model),
/// and the real quantized model last; prints a Markdown table.
/// </summary>
internal static class AblateCommand
{
    public static Command Create()
    {
        var shared = new QuantizationCliOptions();
        var data = new Option<string?>("--data", "-d") { Description = $"Evaluation text. Default: {DefaultPaths.DefaultEvalData}" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Use at most this many tokens of the stream (the protocol's cap)." };
        var command = new Command("ablate", "Perplexity with one weight class or activation site quantized at a time (simulated), then the quantized model.");
        shared.AddTo(command);
        command.Options.Add(data);
        command.Options.Add(maxTokens);
        command.SetAction((result, cancellationToken) =>
        {
            string directory = CliOptions.ModelDirectory(result, shared.Model);
            var options = shared.Parse(result, directory);
            string dataPath = DefaultPaths.Resolve(result.GetValue(data), DefaultPaths.DefaultEvalData);
            int[] stream = EvaluationCorpus.TokenizeFile(dataPath, BpeTokenizer.FromFile(CliOptions.TokenizerPath(directory)));
            int cap = result.GetValue(maxTokens) ?? stream.Length;
            var rows = QuantizationCliOptions.WithProgress(progress => QuantizationAblation.Run(directory, options, stream, 512, cap, progress, cancellationToken));
            double reference = rows[0].Perplexity;
            Console.Out.WriteLine($"{QuantizationCliOptions.Describe(options)}; rows marked * are simulated (quantize-dequantize in the float model)");
            Console.Out.WriteLine("| quantized | perplexity | vs float |\n|---|---:|---:|");
            foreach (var row in rows)
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {row.What}{(row.Simulated ? " *" : "")} | {row.Perplexity:F3} | {100 * (row.Perplexity / reference - 1):+0.00;-0.00;0.00}% |"));
            return Task.FromResult(0);
        });
        return command;
    }
}
