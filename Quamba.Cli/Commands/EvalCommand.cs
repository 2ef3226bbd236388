using System.CommandLine;
using System.Globalization;
using Quamba.Model.Evaluation;
using Quamba.Model.Models;
using Quamba.Model.Tokenization;
using Spectre.Console;

namespace Quamba.Cli.Commands;

/// <summary><c>quamba eval</c>: windowed perplexity with the protocol of data/README.md.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = CliOptions.Model();
        var data = new Option<string?>("--data", "-d") { Description = $"Evaluation text. Default: {DefaultPaths.DefaultEvalData}" };
        var window = new Option<int>("--window", "-w") { Description = "Tokens per window.", DefaultValueFactory = _ => 512 };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Use at most this many tokens of the stream (the protocol's cap)." };
        var command = new Command("eval", "Compute perplexity over windows of an evaluation text.") { model, data, window, maxTokens };
        command.SetAction((result, cancellationToken) =>
        {
            string directory = CliOptions.ModelDirectory(result, model);
            string dataPath = DefaultPaths.Resolve(result.GetValue(data), DefaultPaths.DefaultEvalData);
            int windowSize = result.GetValue(window);
            if (windowSize < 2) throw new ArgumentException($"--window must be at least 2, got {windowSize}.");
            int? cap = result.GetValue(maxTokens);
            if (cap is < 2) throw new ArgumentException($"--max-tokens must be at least 2, got {cap}.");

            var tokenizer = BpeTokenizer.FromFile(CliOptions.TokenizerPath(directory));
            int[] stream = EvaluationCorpus.TokenizeFile(dataPath, tokenizer);
            using MambaModel mamba = MambaModel.Load(directory);
            PerplexityResult ppl = RunWithProgress(mamba, stream, windowSize, cap ?? stream.Length, cancellationToken);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"model: {directory}\ndata: {dataPath} ({stream.Length} tokens, {ppl.Windows} windows of {windowSize}, {ppl.PredictedTokens} predicted)"));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"perplexity: {ppl.Value:F4}"));
            return Task.FromResult(0);
        });
        return command;
    }

    private static PerplexityResult RunWithProgress(MambaModel model, int[] stream, int window, int cap, CancellationToken cancellationToken)
    {
        if (Console.IsErrorRedirected)
            return Perplexity.Evaluate(model, stream, window, cap, progress: null, cancellationToken: cancellationToken);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        PerplexityResult? outcome = null;
        console.Progress().Start(context =>
        {
            var task = context.AddTask("perplexity windows", maxValue: Math.Max(1, Perplexity.WindowCount(stream.Length, window, cap)));
            var progress = new Progress<int>(done => task.Value = done);
            outcome = Perplexity.Evaluate(model, stream, window, cap, progress: progress, cancellationToken: cancellationToken);
            task.Value = task.MaxValue;
        });
        return outcome!;
    }
}
