namespace Quamba.Model.Generation;

/// <summary>How much to generate and how to choose each token.</summary>
public sealed record GenerationOptions(int MaxNewTokens = 64, SamplingOptions? Sampling = null, bool StopAtEndOfText = true)
{
    public SamplingOptions SamplingOrGreedy => Sampling ?? SamplingOptions.Greedy;
}

/// <summary>One generated token: its id and the text it completes (empty while a multi-byte character is split).</summary>
public readonly record struct GeneratedToken(int Id, string Text);
