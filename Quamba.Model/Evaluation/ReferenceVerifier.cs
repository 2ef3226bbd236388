using Quamba.Model.Checkpoints;
using Quamba.Model.Generation;
using Quamba.Model.Models;

namespace Quamba.Model.Evaluation;

/// <summary>The comparison of one reference prompt with the model.</summary>
public sealed record PromptVerification(string Prompt, int PromptTokens, float MaxAbsoluteLogitError, int GreedyTokens, int FirstGreedyMismatch)
{
    /// <summary>-1 when every greedy id matched.</summary>
    public bool GreedyMatches => FirstGreedyMismatch < 0;
}

/// <summary>
/// Runs every <c>promptK.input_ids</c> of a reference file (as written by the reference implementation) and
/// compares the logits of every position and the greedy continuation (<c>promptK.greedy_ids</c>).
/// </summary>
public static class ReferenceVerifier
{
    public static IReadOnlyList<PromptVerification> Verify(MambaModel model, string referencePath, CancellationToken cancellationToken = default)
    {
        using SafetensorsFile reference = SafetensorsFile.Open(referencePath);
        var prompts = reference.Tensors
            .Select(t => t.Name)
            .Where(n => n.EndsWith(".input_ids", StringComparison.Ordinal))
            .Select(n => n[..^".input_ids".Length])
            .Order(StringComparer.Ordinal)
            .ToList();
        if (prompts.Count == 0)
            throw new CheckpointFormatException(referencePath, null, "no 'promptK.input_ids' tensors: this is not a reference file (see models/README.md for the layout).");

        var results = new List<PromptVerification>();
        foreach (string prompt in prompts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(VerifyPrompt(model, reference, referencePath, prompt, cancellationToken));
        }
        return results;
    }

    private static PromptVerification VerifyPrompt(MambaModel model, SafetensorsFile reference, string path, string prompt, CancellationToken cancellationToken)
    {
        int[] ids = reference[prompt + ".input_ids"].ToArray<int>();
        float[] expectedLogits = reference[prompt + ".logits"].ToFloat32Array();
        int vocab = model.VocabSize;
        if (expectedLogits.Length != ids.Length * vocab && expectedLogits.Length % ids.Length == 0)
            vocab = expectedLogits.Length / ids.Length; // a reference written for the unpadded vocabulary
        if (expectedLogits.Length != ids.Length * vocab)
            throw new CheckpointFormatException(path, prompt + ".logits", $"has {expectedLogits.Length} values, expected {ids.Length} x {model.VocabSize}.");

        var logits = new float[ids.Length * model.VocabSize];
        InferenceState state = model.CreateState(1);
        model.Forward(state, ids, ids.Length, logits, allPositions: true, cancellationToken);
        float maxError = 0f;
        for (int t = 0; t < ids.Length; t++)
            for (int v = 0; v < vocab; v++)
                maxError = MathF.Max(maxError, MathF.Abs(logits[t * model.VocabSize + v] - expectedLogits[t * vocab + v]));

        int firstMismatch = -1;
        int generated = 0;
        string greedyName = prompt + ".greedy_ids";
        if (reference.Contains(greedyName))
        {
            int[] expectedGreedy = reference[greedyName].ToArray<int>();
            int[] actual = GreedyContinuation(model, ids, expectedGreedy.Length - ids.Length, cancellationToken);
            generated = actual.Length;
            for (int i = 0; i < actual.Length && firstMismatch < 0; i++)
                if (actual[i] != expectedGreedy[ids.Length + i]) firstMismatch = i;
        }
        return new PromptVerification(prompt, ids.Length, maxError, generated, firstMismatch);
    }

    /// <summary>Greedy ids after the prompt: prefill once, then one decode step per token, as generate() does.</summary>
    public static int[] GreedyContinuation(MambaModel model, int[] promptIds, int count, CancellationToken cancellationToken = default)
    {
        var result = new int[Math.Max(0, count)];
        if (result.Length == 0) return result;
        InferenceState state = model.CreateState(1);
        var logits = new float[model.VocabSize];
        model.Forward(state, promptIds, promptIds.Length, logits, allPositions: false, cancellationToken);
        var step = new int[1];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = TokenSampler.ArgMax(logits);
            if (i + 1 == result.Length) break;
            step[0] = result[i];
            model.Forward(state, step, 1, logits, allPositions: false, cancellationToken);
        }
        return result;
    }
}
