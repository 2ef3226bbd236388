using Quamba.Model.Evaluation;
using Quamba.Model.Models;
using Quamba.Model.Tokenization;

namespace Quamba.Tests.Model;

/// <summary>
/// The full perplexity protocol of data/README.md on data/eval.txt, against the numbers models/README.md reports
/// (mamba1-tiny 36.21 with cap 80,000; mamba2-tiny 41.90 with cap 200,000): tokenizer, model and protocol together.
/// Both run in the normal suite (about 5 and 12 seconds on 2 cores).
/// </summary>
public sealed class EvalPerplexityTests
{
    /// <summary>mamba1-tiny: 156 windows.</summary>
    [Fact]
    public void Mamba1TinyEvalPerplexity() => EvalPerplexityMatchesTheTrainingReport("mamba1-tiny", 80_000, 156, 36.21226815574995);

    /// <summary>mamba2-tiny: 219 windows over the whole 112k-token stream.</summary>
    [Fact]
    public void Mamba2TinyEvalPerplexity() => EvalPerplexityMatchesTheTrainingReport("mamba2-tiny", 200_000, 219, 41.899206054989996);

    private static void EvalPerplexityMatchesTheTrainingReport(string name, int cap, int windows, double expected)
    {
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(TestModels.Directory(name), "tokenizer.json"));
        int[] stream = EvaluationCorpus.TokenizeFile(Path.Combine(TestModels.RepositoryRoot, "data", "eval.txt"), tokenizer);
        Assert.Equal(112_234, stream.Length);

        using var model = MambaModel.Load(TestModels.Directory(name));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Perplexity.Evaluate(model, stream, window: 512, cap: cap, batchSize: 8, cancellationToken: TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine($"{name}: perplexity {result.Value:F6} over {result.Windows} windows (reference {expected:F6}), {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(windows, result.Windows);
        // Both sides float32; seen: 1e-7 relative. 1e-5 leaves room for summation order, far below any modelling error.
        Assert.True(Math.Abs(result.Value / expected - 1) < 1e-5, $"perplexity {result.Value} vs {expected}");
    }
}
