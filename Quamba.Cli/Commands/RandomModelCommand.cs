using System.CommandLine;
using Quamba.Model.Checkpoints;

namespace Quamba.Cli.Commands;

/// <summary><c>quamba random-model</c>: a random-weight checkpoint of a published shape, for speed measurements.</summary>
internal static class RandomModelCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "mamba1 or mamba2.", Required = true };
        arch.AcceptOnlyFromAmong("mamba1", "mamba2");
        var shape = new Option<string>("--shape") { Description = "Published shape, e.g. mamba-130m, mamba-2.8b, mamba2-2.7b, mamba2-8b.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder to write config.json and model.safetensors into.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var command = new Command("random-model", "Write a random-weight checkpoint of a published Mamba shape.") { arch, shape, output, seed };
        command.SetAction(result =>
        {
            string outDir = Path.GetFullPath(result.GetRequiredValue(output));
            RandomCheckpoint.Write(result.GetRequiredValue(arch), result.GetRequiredValue(shape), outDir, result.GetValue(seed));
            Console.Out.WriteLine($"wrote {outDir}");
            return 0;
        });
        return command;
    }
}
