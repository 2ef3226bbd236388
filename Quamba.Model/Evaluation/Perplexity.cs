using System.Runtime.Intrinsics;
using Quamba.Model.Backends.Cpu;
using Quamba.Model.Models;

namespace Quamba.Model.Evaluation;

/// <summary>Result of <see cref="Perplexity.Evaluate"/>.</summary>
/// <param name="Value">exp(mean negative log-likelihood).</param>
/// <param name="MeanNegativeLogLikelihood">Mean next-token NLL in nats over all predicted positions.</param>
/// <param name="Windows">Windows evaluated.</param>
/// <param name="PredictedTokens">Positions scored: Windows x (window - 1).</param>
public sealed record PerplexityResult(double Value, double MeanNegativeLogLikelihood, int Windows, long PredictedTokens);

/// <summary>
/// Windowed perplexity (data/README.md): over the first M = min(stream length, cap) tokens, windows of
/// <c>window</c> tokens start at 0, window, 2*window, ... for every start &lt; M - window - 1. Each window is an
/// independent sequence from an empty state; its window - 1 next-token predictions are scored; perplexity is
/// exp of the mean NLL over all scored positions. Several windows run as one batch per Forward call.
/// </summary>
public static class Perplexity
{
    /// <summary>Logits buffers are kept under this many floats by shrinking the batch for large vocabularies.</summary>
    private const long MaxLogitFloats = 64L * 1024 * 1024;

    /// <summary>Number of windows the protocol evaluates.</summary>
    public static int WindowCount(int streamLength, int window, int cap = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        long limit = (long)Math.Min(streamLength, cap) - window - 1; // starts must be < limit
        return limit <= 0 ? 0 : (int)((limit + window - 1) / window);
    }

    /// <param name="progress">Receives the number of windows finished so far, after each batch.</param>
    public static PerplexityResult Evaluate(MambaModel model, ReadOnlySpan<int> tokens, int window = 512, int cap = int.MaxValue,
        int batchSize = 8, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int windows = WindowCount(tokens.Length, window, cap);
        if (windows == 0)
            throw new ArgumentException($"the stream has {tokens.Length} tokens (cap {cap}); at least {window + 2} are needed for one window of {window}", nameof(tokens));

        int vocab = model.VocabSize;
        int batch = (int)Math.Clamp(MaxLogitFloats / ((long)window * vocab), 1, Math.Min(batchSize, windows));
        var logits = new float[(long)batch * window * vocab];
        var input = new int[batch * window];
        var rowNll = new double[batch * (window - 1)];
        InferenceState? state = null;

        double total = 0;
        for (int first = 0; first < windows; first += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(batch, windows - first);
            if (state is null || state.BatchSize != count) state = model.CreateState(count);
            else state.Reset();
            for (int b = 0; b < count; b++)
                tokens.Slice((first + b) * window, window).CopyTo(input.AsSpan(b * window, window));

            model.Forward(state, input.AsSpan(0, count * window), window, logits.AsSpan(0, count * window * vocab), allPositions: true, cancellationToken);

            int scored = window - 1;
            model.Parallel.For(count * scored, (item, worker) =>
            {
                int b = item / scored, t = item % scored;
                int target = input[b * window + t + 1];
                var row = logits.AsSpan((b * window + t) * vocab, vocab);
                rowNll[item] = LogSumExp(row) - row[target];
            });
            // Summed in a fixed order: the result does not depend on the thread count.
            for (int i = 0; i < count * scored; i++) total += rowNll[i];
            progress?.Report(first + count);
        }

        long predicted = (long)windows * (window - 1);
        double mean = total / predicted;
        return new PerplexityResult(Math.Exp(mean), mean, windows, predicted);
    }

    /// <summary>log(sum exp(row)), shifted by the maximum for stability (16 float partial sums, then double).</summary>
    private static double LogSumExp(ReadOnlySpan<float> row)
    {
        float max = System.Numerics.Tensors.TensorPrimitives.Max(row);
        double sum = 0;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var shift = Vector512.Create(max);
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= row.Length; i += 16)
                acc += VectorTranscendentals.Exp(Vector512.Create(row.Slice(i, 16)) - shift);
            sum = Vector512.Sum(acc);
        }
        for (; i < row.Length; i++) sum += Math.Exp(row[i] - max);
        return max + Math.Log(sum);
    }
}
