using System.CommandLine;
using System.Globalization;
using Quamba.Model.Evaluation;
using Quamba.Model.Models;

namespace Quamba.Cli.Commands;

/// <summary><c>quamba verify</c>: compares the model with a reference file's logits and greedy ids.</summary>
internal static class VerifyCommand
{
    /// <summary>Largest absolute logit difference accepted. A float32 implementation of the same math lands
    /// near 1e-4; 1e-2 leaves room for a different summation order without hiding a wrong formula.</summary>
    public const float LogitTolerance = 1e-2f;

    public static Command Create()
    {
        var model = CliOptions.Model();
        var reference = new Option<string?>("--reference", "-r") { Description = "Reference file (default: reference.safetensors in the model folder)." };
        var command = new Command("verify", "Compare logits and greedy ids with a reference file; exit 1 on a mismatch.") { model, reference };
        command.SetAction((result, cancellationToken) =>
        {
            string directory = CliOptions.ModelDirectory(result, model);
            string referencePath = result.GetValue(reference) is string given ? Path.GetFullPath(given) : Path.Combine(directory, "reference.safetensors");
            using MambaModel mamba = MambaModel.Load(directory);
            var report = ReferenceVerifier.Verify(mamba, referencePath, cancellationToken);
            bool ok = true;
            foreach (PromptVerification p in report)
            {
                bool promptOk = p.GreedyMatches && p.MaxAbsoluteLogitError <= LogitTolerance;
                ok &= promptOk;
                string greedy = p.GreedyMatches ? $"{p.GreedyTokens} greedy ids match" : $"greedy id {p.FirstGreedyMismatch} of {p.GreedyTokens} differs";
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{p.Prompt}: {p.PromptTokens} tokens, max |logit error| {p.MaxAbsoluteLogitError:E3}, {greedy}: {(promptOk ? "ok" : "MISMATCH")}"));
            }
            float worst = report.Max(p => p.MaxAbsoluteLogitError);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max abs logit error: {worst:E3} (tolerance {LogitTolerance:E0})"));
            Console.Out.WriteLine(ok ? "verify: ok" : "verify: MISMATCH");
            return Task.FromResult(ok ? 0 : 1);
        });
        return command;
    }
}
