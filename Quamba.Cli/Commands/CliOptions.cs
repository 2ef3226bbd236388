using System.CommandLine;

namespace Quamba.Cli.Commands;

/// <summary>Options shared by several commands, so each is spelled and described once.</summary>
internal static class CliOptions
{
    public static Option<string?> Model() => new("--model", "-m")
    {
        Description = $"Model folder (config.json, *.safetensors, tokenizer.json). Default: {DefaultPaths.DefaultModel}",
    };

    public static string ModelDirectory(ParseResult result, Option<string?> option)
    {
        string directory = DefaultPaths.Resolve(result.GetValue(option), DefaultPaths.DefaultModel);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{directory}: model folder not found; give --model a folder with config.json, *.safetensors and tokenizer.json.");
        return directory;
    }

    public static string TokenizerPath(string modelDirectory)
    {
        string path = Path.Combine(modelDirectory, "tokenizer.json");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no tokenizer.json in the model folder; copy the model's tokenizer.json next to its config.json.");
        return path;
    }
}
