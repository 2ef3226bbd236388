using System.CommandLine;
using Quamba.Model.Tokenization;

namespace Quamba.Cli.Commands;

/// <summary><c>quamba tokenize --text TEXT</c>: prints the token ids as a JSON array.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var model = CliOptions.Model();
        var text = new Option<string>("--text", "-t") { Description = "Text to tokenize.", Required = true };
        var command = new Command("tokenize", "Print the token ids of a text as a JSON array.") { model, text };
        command.SetAction(result =>
        {
            var tokenizer = BpeTokenizer.FromFile(CliOptions.TokenizerPath(CliOptions.ModelDirectory(result, model)));
            int[] ids = tokenizer.Encode(result.GetRequiredValue(text));
            Console.Out.WriteLine("[" + string.Join(",", ids) + "]");
            return 0;
        });
        return command;
    }
}
