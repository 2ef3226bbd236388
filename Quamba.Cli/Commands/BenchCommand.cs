using System.CommandLine;
using Quamba.Model.Benchmarks;
using Quamba.Model.Models;

namespace Quamba.Cli.Commands;

/// <summary>
/// <c>quamba bench</c>: prefill (pp N) and decode (tg N) tokens/s with random prompt ids, one warm-up and
/// repeated runs (docs/cpu-performance.md), printed as a Markdown row so results paste into docs/.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = CliOptions.Model();
        var prompt = new Option<int>("--prompt-tokens", "-p") { Description = "Prompt length for the prefill measurement (pp N).", DefaultValueFactory = _ => 512 };
        var generate = new Option<int>("--gen-tokens", "-n") { Description = "Decode steps for the generation measurement (tg N).", DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch") { Description = "Sequences processed together.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads", "-t") { Description = "CPU threads (0 = all cores).", DefaultValueFactory = _ => 0 };
        var repetitions = new Option<int>("--repetitions", "-r") { Description = "Measured repetitions after one warm-up.", DefaultValueFactory = _ => 5 };
        var command = new Command("bench", "Measure prefill and decode tokens/s on the CPU.") { model, prompt, generate, batch, threads, repetitions };
        command.SetAction((result, cancellationToken) =>
        {
            string directory = CliOptions.ModelDirectory(result, model);
            using MambaModel mamba = MambaModel.Load(directory, result.GetValue(threads));
            CpuThroughputResult measured = CpuThroughput.Measure(mamba, Path.GetFileName(directory.TrimEnd('/')),
                result.GetValue(prompt), result.GetValue(generate), result.GetValue(batch), result.GetValue(repetitions),
                cancellationToken: cancellationToken);
            Console.Out.WriteLine($"processor: {measured.Processor}");
            Console.Out.WriteLine(CpuThroughputResult.MarkdownHeader);
            Console.Out.WriteLine(measured.ToMarkdownRow());
            return Task.FromResult(0);
        });
        return command;
    }
}
