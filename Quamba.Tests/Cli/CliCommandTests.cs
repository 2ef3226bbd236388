using System.Globalization;
using Quamba.Model.Tokenization;
using Quamba.Tests.Model;

namespace Quamba.Tests.Cli;

public sealed class CliCommandTests
{
    [Fact]
    public void TokenizePrintsTheTokenizerIdsAsAJsonArray()
    {
        const string text = "In the beginning 🙂 naïve";
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(TestModels.Directory("mamba2-tiny"), "tokenizer.json"));
        var result = CliRunner.Run("tokenize", "--text", text);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("[" + string.Join(",", tokenizer.Encode(text)) + "]", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("mamba1-tiny")]
    [InlineData("mamba2-tiny")]
    public void VerifyPassesOnTheTinyModels(string name)
    {
        var result = CliRunner.Run("verify", "--model", TestModels.Directory(name));
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("verify: ok", result.StdoutLines[^1]);
        Assert.Contains(result.StdoutLines, l => l.StartsWith("max abs logit error: ", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyFailsWhenTheReferenceBelongsToAnotherModel()
    {
        // mamba1-tiny's reference has the same prompts and vocabulary, but other logits: a mismatch, exit 1.
        var result = CliRunner.Run("verify", "--model", TestModels.Directory("mamba2-tiny"),
            "--reference", Path.Combine(TestModels.Directory("mamba1-tiny"), "reference.safetensors"));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("verify: MISMATCH", result.StdoutLines[^1]);
    }

    [Fact]
    public void EvalPrintsPerplexityAsItsLastLine()
    {
        var result = CliRunner.Run("eval", "--model", TestModels.Directory("mamba1-tiny"), "--window", "128", "--max-tokens", "2000");
        Assert.True(result.ExitCode == 0, result.Stderr);
        string last = result.StdoutLines[^1];
        Assert.StartsWith("perplexity: ", last, StringComparison.Ordinal);
        double value = double.Parse(last["perplexity: ".Length..], CultureInfo.InvariantCulture);
        // A trained model on in-domain text: far better than uniform over 4096 tokens, never below 1.
        Assert.InRange(value, 1.0, 500.0);
    }

    [Fact]
    public void GenerateWithASeedIsRepeatableAndStartsWithThePrompt()
    {
        string[] args = ["generate", "--prompt", "And God said", "--max-tokens", "12", "--temperature", "0.9", "--top-k", "50", "--top-p", "0.95", "--seed", "3"];
        var first = CliRunner.Run(args);
        var second = CliRunner.Run(args);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.StartsWith("And God said", first.Stdout, StringComparison.Ordinal);
        Assert.True(first.Stdout.Length > "And God said".Length + 5, first.Stdout);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public void GreedyGenerateMatchesTheReferenceContinuation()
    {
        // The reference's first prompt continues greedily with these words (reference.safetensors greedy_ids).
        var result = CliRunner.Run("generate", "--prompt", "In the beginning God created the heaven and the earth.", "--max-tokens", "8");
        Assert.Equal(0, result.ExitCode);
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(TestModels.Directory("mamba2-tiny"), "tokenizer.json"));
        using var reference = Quamba.Model.Checkpoints.SafetensorsFile.Open(Path.Combine(TestModels.Directory("mamba2-tiny"), "reference.safetensors"));
        int[] ids = reference["prompt0.input_ids"].ToArray<int>();
        int[] greedy = reference["prompt0.greedy_ids"].ToArray<int>();
        string expected = tokenizer.Decode(greedy.AsSpan(0, ids.Length + 8));
        Assert.Equal(expected, result.Stdout.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("generate --prompt x --model /no/such/folder", "model folder not found")]
    [InlineData("generate --prompt x --temperature -1", "temperature")]
    [InlineData("generate --prompt x --top-p 0", "top-p")]
    [InlineData("eval --data /no/such/file.txt", "evaluation text not found")]
    [InlineData("random-model --arch mamba2 --shape mamba2-9b --out /tmp/quamba-never-written", "mamba2-2.7b")]
    public void BadInputGivesOneClearLineAndExitCode1(string commandLine, string expectedFragment)
    {
        var result = CliRunner.Run(commandLine.Split(' '));
        Assert.Equal(1, result.ExitCode);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("quamba: error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expectedFragment, lines[0], StringComparison.Ordinal);
    }
}
