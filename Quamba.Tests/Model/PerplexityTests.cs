using Quamba.Model.Evaluation;
using Quamba.Model.Models;

namespace Quamba.Tests.Model;

public sealed class PerplexityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(112_234, 512, 200_000, 219)] // the counts data/README.md gives for the tiny models
    [InlineData(112_234, 512, 80_000, 156)]
    [InlineData(514, 512, int.MaxValue, 1)]
    [InlineData(513, 512, int.MaxValue, 0)]
    [InlineData(1025, 512, int.MaxValue, 1)] // start 512 needs 512 < 1025 - 513 = 512: no
    [InlineData(1026, 512, int.MaxValue, 2)]
    public void WindowCountFollowsTheProtocol(int length, int window, int cap, int expected) =>
        Assert.Equal(expected, Perplexity.WindowCount(length, window, cap));

    private static int[] Stream(int length, int vocab, int seed)
    {
        // Repetitive text-like stream (a model predicts it better than uniform noise).
        var random = new Random(seed);
        var phrase = Enumerable.Range(0, 23).Select(_ => random.Next(vocab)).ToArray();
        return Enumerable.Range(0, length).Select(i => i % 5 == 0 ? random.Next(vocab) : phrase[i % phrase.Length]).ToArray();
    }

    /// <summary>The protocol written out naively: one window at a time, log-softmax in double.</summary>
    private static double NaiveMeanNll(MambaModel model, int[] tokens, int window, int cap)
    {
        int m = Math.Min(tokens.Length, cap), vocab = model.VocabSize;
        double total = 0;
        long count = 0;
        for (int start = 0; start < m - window - 1; start += window)
        {
            var logits = new float[window * vocab];
            model.Forward(model.CreateState(1), tokens.AsSpan(start, window), window, logits, allPositions: true, Ct);
            for (int t = 0; t + 1 < window; t++)
            {
                var row = logits.AsSpan(t * vocab, vocab);
                double max = double.NegativeInfinity;
                foreach (float v in row) max = Math.Max(max, v);
                double sum = 0;
                foreach (float v in row) sum += Math.Exp(v - max);
                total += max + Math.Log(sum) - row[tokens[start + t + 1]];
                count++;
            }
        }
        return total / count;
    }

    [Theory]
    [InlineData("mamba1-tiny")]
    [InlineData("mamba2-tiny")]
    public void MatchesTheNaiveProtocolForAnyBatchSize(string name)
    {
        using var model = MambaModel.Load(TestModels.Directory(name));
        var tokens = Stream(700, model.VocabSize, seed: 9);
        const int window = 64, cap = 650; // windows at 0, 64, ..., 576 (576 < 650 - 65 = 585): 10 windows
        double naive = NaiveMeanNll(model, tokens, window, cap);

        foreach (int batch in new[] { 1, 4, 10, 16 })
        {
            var reports = new List<int>();
            var result = Perplexity.Evaluate(model, tokens, window, cap, batch, new SynchronousProgress(reports), Ct);
            Assert.Equal(10, result.Windows);
            Assert.Equal(10 * 63, result.PredictedTokens);
            Assert.True(Math.Abs(result.MeanNegativeLogLikelihood - naive) < 1e-5, $"batch {batch}: {result.MeanNegativeLogLikelihood} vs {naive}");
            Assert.Equal(Math.Exp(result.MeanNegativeLogLikelihood), result.Value, 12);
            Assert.Equal(10, reports[^1]);
            Assert.Equal(reports.Order(), reports);
        }
    }

    [Fact]
    public void TooShortStreamAndCancellationAreReported()
    {
        using var model = MambaModel.Load(TestModels.Directory("mamba1-tiny"));
        Assert.Throws<ArgumentException>(() => Perplexity.Evaluate(model, new int[100], window: 512, cancellationToken: Ct));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => Perplexity.Evaluate(model, new int[2000], window: 64, cancellationToken: cts.Token));
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this one records in call order.</summary>
    private sealed class SynchronousProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value) => reports.Add(value);
    }
}
