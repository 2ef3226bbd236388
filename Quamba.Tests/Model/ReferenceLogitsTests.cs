using Quamba.Model.Models;

namespace Quamba.Tests.Model;

/// <summary>
/// The float models against the transformers reference (models/*/reference.safetensors). Tolerance 1e-2 absolute on
/// every logit: both sides compute in float32, so the expected gap is summation-order noise (about 1e-4 on logits of
/// magnitude ~10); 1e-2 is far below anything a wrong formula produces (those are off by 0.1 to 10) while leaving
/// room for a different but valid reduction order. The maximum error actually seen is written to the test output.
/// </summary>
public sealed class ReferenceLogitsTests
{
    private const float Tolerance = 1e-2f;

    public static TheoryData<string, int> Cases => new()
    {
        { "mamba1-tiny", 0 }, { "mamba1-tiny", 1 }, { "mamba2-tiny", 0 }, { "mamba2-tiny", 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrefillMatchesReferenceLogits(string model, int prompt)
    {
        var reference = TestModels.ReadPrompt(model, prompt);
        using var m = MambaModel.Load(TestModels.Directory(model));
        int length = reference.InputIds.Length;
        var logits = new float[length * m.VocabSize];

        m.Forward(m.CreateState(1), reference.InputIds, length, logits, allPositions: true, TestContext.Current.CancellationToken);

        float max = MaxAbsDifference(reference.Logits, logits);
        TestContext.Current.TestOutputHelper?.WriteLine($"{model} prompt{prompt}: prefill max |logit error| = {max:E3} over {length} positions");
        Assert.True(max < Tolerance, $"max |logit error| {max} >= {Tolerance}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TokenByTokenDecodeMatchesReferenceLogits(string model, int prompt)
    {
        var reference = TestModels.ReadPrompt(model, prompt);
        using var m = MambaModel.Load(TestModels.Directory(model));
        int vocab = m.VocabSize;
        var state = m.CreateState(1);
        var step = new float[vocab];
        float max = 0;
        for (int t = 0; t < reference.InputIds.Length; t++)
        {
            m.Forward(state, reference.InputIds.AsSpan(t, 1), 1, step, allPositions: false, TestContext.Current.CancellationToken);
            max = Math.Max(max, MaxAbsDifference(reference.Logits.AsSpan(t * vocab, vocab), step));
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{model} prompt{prompt}: decode max |logit error| = {max:E3}");
        Assert.True(max < Tolerance, $"max |logit error| {max} >= {Tolerance}");
        Assert.Equal(reference.InputIds.Length, state.Position);
    }

    /// <summary>transformers' generate: up to 32 new argmax tokens, stopping after the end-of-sequence token.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void GreedyContinuationMatchesReference(string model, int prompt)
    {
        var reference = TestModels.ReadPrompt(model, prompt);
        using var m = MambaModel.Load(TestModels.Directory(model));
        int eos = TestModels.EosTokenId(model);
        const int maxNewTokens = 32;

        var state = m.CreateState(1);
        var logits = new float[m.VocabSize];
        var ids = new List<int>(reference.InputIds);
        m.Forward(state, reference.InputIds, reference.InputIds.Length, logits, allPositions: false, TestContext.Current.CancellationToken);
        for (int i = 0; i < maxNewTokens; i++)
        {
            int next = ArgMax(logits);
            ids.Add(next);
            if (next == eos) break;
            m.Forward(state, [next], 1, logits, allPositions: false, TestContext.Current.CancellationToken);
        }

        Assert.Equal(reference.GreedyIds, ids.ToArray());
    }

    internal static float MaxAbsDifference(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            float diff = MathF.Abs(expected[i] - actual[i]);
            if (float.IsNaN(diff)) return float.NaN;
            max = Math.Max(max, diff);
        }
        return max;
    }

    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
