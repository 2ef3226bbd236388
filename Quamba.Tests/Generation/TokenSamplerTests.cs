using Quamba.Model.Generation;
using Quamba.Model.Models;
using Quamba.Model.Tokenization;
using Quamba.Tests.Model;

namespace Quamba.Tests.Generation;

public sealed class TokenSamplerTests
{
    private static readonly float[] Logits = [0.1f, 2.5f, -1f, 2.4f, 0.3f, 2.5f];

    [Fact]
    public void GreedyTakesTheFirstLargestLogit() => Assert.Equal(1, new TokenSampler(SamplingOptions.Greedy).Sample(Logits));

    [Fact]
    public void TopKOfOneIsGreedyWhateverTheTemperature()
    {
        var sampler = new TokenSampler(new SamplingOptions(Temperature: 5f, TopK: 1, Seed: 1));
        for (int i = 0; i < 50; i++) Assert.Contains(sampler.Sample(Logits), new[] { 1, 5 });
    }

    [Fact]
    public void TopKNeverPicksOutsideTheKMostLikely()
    {
        var sampler = new TokenSampler(new SamplingOptions(Temperature: 10f, TopK: 3, Seed: 2));
        for (int i = 0; i < 500; i++) Assert.Contains(sampler.Sample(Logits), new[] { 1, 3, 5 });
    }

    [Fact]
    public void TopPKeepsTheSmallestSetReachingP()
    {
        // Probabilities at T=1: ids 1, 5 (2.5), 3 (2.4) hold ~0.87 of the mass; p = 0.5 keeps ids 1 and 5 only.
        var sampler = new TokenSampler(new SamplingOptions(Temperature: 1f, TopP: 0.5f, Seed: 3));
        var seen = new HashSet<int>();
        for (int i = 0; i < 500; i++) seen.Add(sampler.Sample(Logits));
        Assert.Equal(new HashSet<int> { 1, 5 }, seen);
    }

    [Fact]
    public void SamplingFollowsTheSoftmaxFrequencies()
    {
        float[] logits = [0f, MathF.Log(3f)]; // probabilities 0.25, 0.75
        var sampler = new TokenSampler(new SamplingOptions(Temperature: 1f, Seed: 4));
        int ones = 0;
        const int draws = 20_000;
        for (int i = 0; i < draws; i++) ones += sampler.Sample(logits);
        // Binomial sd = sqrt(n p (1-p)) ~ 61 draws; 5 sd is ~0.015 of the share.
        Assert.InRange(ones / (double)draws, 0.735, 0.765);
    }

    [Fact]
    public void TheSameSeedGivesTheSameSequence()
    {
        var options = new SamplingOptions(Temperature: 1.3f, TopK: 4, TopP: 0.9f, Seed: 42);
        var a = new TokenSampler(options);
        var b = new TokenSampler(options);
        for (int i = 0; i < 100; i++) Assert.Equal(a.Sample(Logits), b.Sample(Logits));
    }

    [Theory]
    [InlineData(-0.5f, 0, 1f, "Temperature")]
    [InlineData(1f, -1, 1f, "TopK")]
    [InlineData(1f, 0, 1.5f, "TopP")]
    [InlineData(1f, 0, float.NaN, "TopP")]
    public void InvalidOptionsAreRejectedByName(float temperature, int topK, float topP, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => new TokenSampler(new SamplingOptions(temperature, topK, topP)));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public async Task GenerationStreamsTokensAndHonoursCancellation()
    {
        using var model = MambaModel.Load(TestModels.Directory("mamba2-tiny"));
        var tokenizer = BpeTokenizer.FromFile(Path.Combine(TestModels.Directory("mamba2-tiny"), "tokenizer.json"));
        var generator = new TextGenerator(model, tokenizer);
        using var cancellation = new CancellationTokenSource();
        int received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (GeneratedToken token in generator.GenerateAsync("In the beginning", new GenerationOptions(MaxNewTokens: 1000, StopAtEndOfText: false), cancellation.Token))
            {
                if (++received == 3) cancellation.Cancel();
            }
        });
        Assert.Equal(3, received);
    }
}
