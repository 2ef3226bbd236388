using System.CommandLine;
using Quamba.Model.Generation;
using Quamba.Model.Models;
using Quamba.Model.Tokenization;

namespace Quamba.Cli.Commands;

/// <summary><c>quamba generate --prompt TEXT</c>: streams the prompt's continuation to stdout.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = CliOptions.Model();
        var prompt = new Option<string>("--prompt", "-p") { Description = "Text to continue.", Required = true };
        var maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Largest number of tokens to generate.", DefaultValueFactory = _ => 64 };
        var temperature = new Option<float>("--temperature") { Description = "0 = greedy; otherwise the softmax temperature.", DefaultValueFactory = _ => 0f };
        var topK = new Option<int>("--top-k") { Description = "Sample among the K most likely tokens (0 = all).", DefaultValueFactory = _ => 0 };
        var topP = new Option<float>("--top-p") { Description = "Sample among the smallest set of tokens whose probability reaches P.", DefaultValueFactory = _ => 1f };
        var seed = new Option<int?>("--seed") { Description = "Seed of the sampler, for repeatable output." };
        var command = new Command("generate", "Continue a prompt, streaming tokens as they are generated.")
        {
            model, prompt, maxTokens, temperature, topK, topP, seed,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            string directory = CliOptions.ModelDirectory(result, model);
            var sampling = new SamplingOptions(result.GetValue(temperature), result.GetValue(topK), result.GetValue(topP), result.GetValue(seed));
            sampling.Validate();
            int max = result.GetValue(maxTokens);
            if (max < 0) throw new ArgumentException($"--max-tokens must be zero or more, got {max}.");

            var tokenizer = BpeTokenizer.FromFile(CliOptions.TokenizerPath(directory));
            using MambaModel mamba = MambaModel.Load(directory);
            var generator = new TextGenerator(mamba, tokenizer);
            string text = result.GetRequiredValue(prompt);
            Console.Out.Write(text);
            await foreach (GeneratedToken token in generator.GenerateAsync(text, new GenerationOptions(max, sampling), cancellationToken))
            {
                Console.Out.Write(token.Text);
                Console.Out.Flush();
            }
            Console.Out.WriteLine();
            return 0;
        });
        return command;
    }
}
