using System.Globalization;
using Quamba.Tests.Checkpoints;
using Quamba.Tests.Model;

namespace Quamba.Tests.Cli;

/// <summary>`quamba quantize` as a user runs it (small calibration so it is fast), and the other commands on its output.</summary>
public sealed class QuantizeCommandTests
{
    [Fact]
    public void QuantizeW4AXWritesAFolderThatEvalAndGenerateRun()
    {
        using var folder = new TempDirectory();
        string layers = folder.File("layers.txt");
        File.WriteAllLines(layers, ["w4a8", "w4a8", "w4a8", "w4a8", "w4a16", "w4a16"]);
        string output = Path.Combine(folder.Path, "mamba1-w4ax");
        var result = CliRunner.Run("quantize", "--model", TestModels.Directory("mamba1-tiny"), "--precision", "w4ax", "--layers", layers,
            "--gptq", "--calib-samples", "2", "--calib-length", "64", "--out", output);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("recipe: quamba2, precision: w4ax, gptq, layers: w4a8,w4a8,w4a8,w4a8,w4a16,w4a16, head: w4a16", result.Stdout);
        Assert.Contains("calibration: 2 samples x 64 tokens of calib.txt", result.Stdout);
        Assert.Contains("weights: gptq (act-order), clip-searched scales; in_proj/out_proj int4 groups of 128; embedding int4 groups of 128, gptq", result.Stdout);
        foreach (string file in (string[])["model.safetensors", "quantization.json", "config.json", "tokenizer.json"])
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        // 4-bit codes with group scales: well under a fifth of the float file.
        Assert.Contains(result.StdoutLines, l => l.StartsWith("model.safetensors: ", StringComparison.Ordinal));
        long bytes = new FileInfo(Path.Combine(output, "model.safetensors")).Length;
        long floatBytes = new FileInfo(Path.Combine(TestModels.Directory("mamba1-tiny"), "model.safetensors")).Length;
        Assert.InRange((double)bytes / floatBytes, 0.05, 0.20);

        var eval = CliRunner.Run("eval", "--model", output, "--window", "128", "--max-tokens", "2000");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        double perplexity = double.Parse(eval.StdoutLines[^1]["perplexity: ".Length..], CultureInfo.InvariantCulture);
        Assert.InRange(perplexity, 1.0, 100.0); // the float model gives ~37 here; a broken quantized path gives hundreds+

        var generate = CliRunner.Run("generate", "--model", output, "--prompt", "And God said", "--max-tokens", "8");
        Assert.True(generate.ExitCode == 0, generate.Stderr);
        Assert.StartsWith("And God said", generate.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--precision w5a8", "--precision 'w5a8' is not one of w8a8, w4a8, w4a16, w4ax")]
    [InlineData("--precision w8a8 --recipe fancy", "--recipe 'fancy' is not one of naive, quamba, quamba2")]
    [InlineData("--precision w4ax", "--precision w4ax needs --layers FILE")]
    [InlineData("--precision w8a8 --calib /no/such/calib.txt", "/no/such/calib.txt: calibration text not found")]
    [InlineData("--precision w8a8 --calib-length 1000000", "fewer than one sample of 1000000")]
    [InlineData("--precision w4a16 --embedding-bits 6", "--embedding-bits must be 4 or 8, got 6")]
    [InlineData("--precision w4a16 --embedding-group-size 33", "--embedding-group-size must be even and at least 2, got 33")]
    [InlineData("--precision w4a16 --gptq --embedding-damp -1", "--embedding-damp must be a finite fraction >= 0")]
    public void BadQuantizeInputGivesOneClearLineAndExitCode1(string arguments, string expectedFragment)
    {
        using var folder = new TempDirectory();
        var result = CliRunner.Run(["quantize", "--model", TestModels.Directory("mamba2-tiny"), .. arguments.Split(' '), "--out", folder.File("out")]);
        Assert.Equal(1, result.ExitCode);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("quamba: error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expectedFragment, lines[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.File("out")));
    }
}
