using Quamba.Model.Models;

namespace Quamba.Model.Quantization.Calibration;

/// <summary>
/// An observer that needs only part of each forward pass (e.g. the activations of the first layers): once it is
/// <see cref="Satisfied"/> the runner stops that Forward call at the next layer boundary.
/// </summary>
internal interface IPartialActivationObserver : IActivationObserver
{
    /// <summary>A Forward call over <paramref name="rows"/> token rows (batch x length) begins.</summary>
    void BeginForward(int rows);

    /// <summary>Everything needed from the current Forward call has been observed.</summary>
    bool Satisfied { get; }
}

/// <summary>Runs a float model over the calibration windows with an observer attached to its forward pass.</summary>
internal static class CalibrationRunner
{
    /// <summary>Windows per Forward call: enough to keep both cores busy, small enough for modest logit buffers.</summary>
    private const int BatchSize = 4;

    /// <param name="progress">Receives the number of windows done after each batch.</param>
    public static void Run(MambaModel model, CalibrationData data, IActivationObserver observer, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        int length = data.Length, vocab = model.VocabSize;
        int batch = Math.Min(BatchSize, data.Windows.Count);
        // allPositions: lm_head's input is observed on every row, not only the last one.
        var logits = new float[(long)batch * length * vocab];
        var tokens = new int[batch * length];
        var partial = observer as IPartialActivationObserver;
        try
        {
            for (int first = 0; first < data.Windows.Count; first += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(batch, data.Windows.Count - first);
                for (int b = 0; b < count; b++) data.Windows[first + b].CopyTo(tokens, b * length);
                var state = model.CreateState(count);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                partial?.BeginForward(count * length);
                model.ActivationObserver = partial is null ? observer : new Stopping(partial, stop);
                try
                {
                    model.Forward(state, tokens.AsSpan(0, count * length), length, logits.AsSpan(0, count * length * vocab), allPositions: true, stop.Token);
                }
                catch (OperationCanceledException) when (partial is { Satisfied: true } && !cancellationToken.IsCancellationRequested)
                {
                    // The observer has what it needs; the rest of this forward pass is skipped.
                }
                progress?.Report(first + count);
            }
        }
        finally
        {
            model.ActivationObserver = null;
        }
    }

    /// <summary>Forwards to the observer, then cancels the current Forward once the observer is satisfied.</summary>
    private sealed class Stopping(IPartialActivationObserver inner, CancellationTokenSource stop) : IActivationObserver
    {
        public void Observe(ActivationSite site, int layer, ActivationBlock block)
        {
            inner.Observe(site, layer, block);
            if (inner.Satisfied) stop.Cancel();
        }
    }
}
