using Quamba.Model.Checkpoints;
using Quamba.Model.Models;

namespace Quamba.Tests.Model;

/// <summary>
/// Paths that must agree with each other: batched vs alone, chunked SSD prefill (several chunks, any chunk size, split
/// across calls) vs the token-by-token recurrence, state continuation, state helpers. The prefill and decode paths
/// share no SSM code, so agreement checks both. Tolerances: 1e-5 where the per-element arithmetic is the same and
/// only work partitioning differs; 2e-3 where the summation order differs (chunked vs recurrent scan over 150+
/// tokens accumulates float32 rounding).
/// </summary>
public sealed class ForwardConsistencyTests
{
    private const float SameArithmetic = 1e-5f;
    private const float DifferentOrder = 2e-3f;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Models => new() { "mamba1-tiny", "mamba2-tiny" };

    private static int[] RandomTokens(int count, int vocab, int seed)
    {
        var random = new Random(seed);
        var tokens = new int[count];
        for (int i = 0; i < count; i++) tokens[i] = random.Next(vocab);
        return tokens;
    }

    private static float[] Prefill(MambaModel model, int[] tokens)
    {
        var logits = new float[tokens.Length * model.VocabSize];
        model.Forward(model.CreateState(1), tokens, tokens.Length, logits, allPositions: true, Ct);
        return logits;
    }

    private static float[] DecodeOneByOne(MambaModel model, int[] tokens)
    {
        int vocab = model.VocabSize;
        var logits = new float[tokens.Length * vocab];
        var state = model.CreateState(1);
        for (int t = 0; t < tokens.Length; t++)
            model.Forward(state, tokens.AsSpan(t, 1), 1, logits.AsSpan(t * vocab, vocab), allPositions: false, Ct);
        return logits;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void BatchOfTwoEqualsEachAlone(string name)
    {
        using var model = MambaModel.Load(TestModels.Directory(name));
        var a = TestModels.ReadPrompt(name, 0).InputIds;
        var b = TestModels.ReadPrompt(name, 1).InputIds[..a.Length];
        int length = a.Length, vocab = model.VocabSize;

        var batched = new float[2 * length * vocab];
        var state = model.CreateState(2);
        model.Forward(state, [.. a, .. b], length, batched, allPositions: true, Ct);
        Assert.True(ReferenceLogitsTests.MaxAbsDifference(Prefill(model, a), batched.AsSpan(0, length * vocab)) <= SameArithmetic);
        Assert.True(ReferenceLogitsTests.MaxAbsDifference(Prefill(model, b), batched.AsSpan(length * vocab)) <= SameArithmetic);

        // Decode continues both sequences independently too.
        var step = new float[2 * vocab];
        model.Forward(state, [5, 7], 1, step, allPositions: false, Ct);
        var aloneState = model.CreateState(1);
        var alone = new float[vocab];
        model.Forward(aloneState, b, length, new float[vocab], allPositions: false, Ct);
        model.Forward(aloneState, [7], 1, alone, allPositions: false, Ct);
        Assert.True(ReferenceLogitsTests.MaxAbsDifference(alone, step.AsSpan(vocab)) <= SameArithmetic);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void LongPrefillMatchesTokenByTokenDecode(string name)
    {
        using var model = MambaModel.Load(TestModels.Directory(name));
        var tokens = RandomTokens(150, model.VocabSize, seed: 1); // mamba2-tiny: chunk 64, so 3 chunks, the last partial
        float max = ReferenceLogitsTests.MaxAbsDifference(DecodeOneByOne(model, tokens), Prefill(model, tokens));
        TestContext.Current.TestOutputHelper?.WriteLine($"{name}: prefill vs decode over 150 tokens, max diff {max:E3}");
        Assert.True(max <= DifferentOrder, $"max diff {max}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(200)]
    public void Mamba2ChunkSizeDoesNotChangeTheResult(int chunk)
    {
        string dir = TestModels.Directory("mamba2-tiny");
        using var reference = MambaModel.Load(dir);
        var config = ModelConfig.Load(dir) with { ChunkSize = chunk };
        using var model = MambaModel.Load(dir, config, maxDegreeOfParallelism: 0);
        var tokens = RandomTokens(130, model.VocabSize, seed: 2);
        float max = ReferenceLogitsTests.MaxAbsDifference(Prefill(reference, tokens), Prefill(model, tokens));
        Assert.True(max <= DifferentOrder, $"chunk {chunk}: max diff {max}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void PrefillInPiecesEqualsOnePrefill(string name)
    {
        using var model = MambaModel.Load(TestModels.Directory(name));
        int vocab = model.VocabSize;
        var tokens = RandomTokens(100, vocab, seed: 3);
        var whole = Prefill(model, tokens);

        var pieces = new float[tokens.Length * vocab];
        var state = model.CreateState(1);
        int[] cuts = [0, 37, 38, 90, 100]; // uneven pieces, including one of a single token (decode path)
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            int begin = cuts[i], len = cuts[i + 1] - cuts[i];
            model.Forward(state, tokens.AsSpan(begin, len), len, pieces.AsSpan(begin * vocab, len * vocab), allPositions: true, Ct);
        }
        Assert.True(ReferenceLogitsTests.MaxAbsDifference(whole, pieces) <= DifferentOrder);
        Assert.Equal(100, state.Position);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void LongInputsSplitIntoPassesGiveTheSameLogits(string name)
    {
        using var model = MambaModel.Load(TestModels.Directory(name));
        var tokens = RandomTokens(200, model.VocabSize, seed: 4);
        var whole = Prefill(model, tokens);
        model.ScratchBytesPerPass = 1; // forces the smallest passes: 1 token (Mamba1) or one chunk (Mamba2)
        var split = Prefill(model, tokens);
        Assert.True(ReferenceLogitsTests.MaxAbsDifference(whole, split) <= DifferentOrder);

        var last = new float[model.VocabSize];
        model.Forward(model.CreateState(1), tokens, tokens.Length, last, allPositions: false, Ct);
        Assert.True(ReferenceLogitsTests.MaxAbsDifference(whole.AsSpan((tokens.Length - 1) * model.VocabSize), last) <= DifferentOrder);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void CloneAndCopySequenceCarryTheCaches(string name)
    {
        using var model = MambaModel.Load(TestModels.Directory(name));
        int vocab = model.VocabSize;
        var prompt = TestModels.ReadPrompt(name, 0).InputIds;
        var state = model.CreateState(1);
        model.Forward(state, prompt, prompt.Length, new float[vocab], allPositions: false, Ct);

        var clone = state.Clone();
        var pair = model.CreateState(2);
        state.CopySequenceTo(0, pair, 1);
        var fromOriginal = new float[vocab];
        var fromClone = new float[vocab];
        var fromPair = new float[2 * vocab];
        model.Forward(state, [42], 1, fromOriginal, allPositions: false, Ct);
        model.Forward(clone, [42], 1, fromClone, allPositions: false, Ct);
        model.Forward(pair, [42, 42], 1, fromPair, allPositions: false, Ct);
        Assert.Equal(fromOriginal, fromClone);
        Assert.True(ReferenceLogitsTests.MaxAbsDifference(fromOriginal, fromPair.AsSpan(vocab)) <= SameArithmetic);
        // Slot 0 of the pair started empty, so it must differ from the continued sequence.
        Assert.True(ReferenceLogitsTests.MaxAbsDifference(fromOriginal, fromPair.AsSpan(0, vocab)) > 1e-2f);

        state.Reset();
        Assert.Equal(0, state.Position);
        var fresh = new float[vocab];
        var afterReset = new float[vocab];
        model.Forward(model.CreateState(1), [42], 1, fresh, allPositions: false, Ct);
        model.Forward(state, [42], 1, afterReset, allPositions: false, Ct);
        Assert.Equal(fresh, afterReset);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        using var m1 = MambaModel.Load(TestModels.Directory("mamba1-tiny"));
        using var m2 = MambaModel.Load(TestModels.Directory("mamba2-tiny"));
        var logits = new float[2 * m1.VocabSize];
        Assert.Throws<ArgumentException>(() => m1.Forward(m2.CreateState(1), [1], 1, logits, false, Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => m1.Forward(m1.CreateState(1), [m1.VocabSize], 1, logits, false, Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => m1.Forward(m1.CreateState(1), [-1], 1, logits, false, Ct));
        Assert.Throws<ArgumentException>(() => m1.Forward(m1.CreateState(2), [1, 2, 3], 1, logits, false, Ct));
        Assert.Throws<ArgumentException>(() => m1.Forward(m1.CreateState(1), [1, 2], 2, new float[m1.VocabSize], true, Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => m1.CreateState(0));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => m1.Forward(m1.CreateState(1), [1, 2], 2, logits, false, cts.Token));
        m1.Dispose();
        Assert.Throws<ObjectDisposedException>(() => m1.Forward(m1.CreateState(1), [1], 1, logits, false, Ct));
    }
}
