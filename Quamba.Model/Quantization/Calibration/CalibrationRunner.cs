using Quamba.Model.Models;

namespace Quamba.Model.Quantization.Calibration;

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
        model.ActivationObserver = observer;
        try
        {
            for (int first = 0; first < data.Windows.Count; first += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(batch, data.Windows.Count - first);
                for (int b = 0; b < count; b++) data.Windows[first + b].CopyTo(tokens, b * length);
                var state = model.CreateState(count);
                model.Forward(state, tokens.AsSpan(0, count * length), length, logits.AsSpan(0, count * length * vocab), allPositions: true, cancellationToken);
                progress?.Report(first + count);
            }
        }
        finally
        {
            model.ActivationObserver = null;
        }
    }
}
