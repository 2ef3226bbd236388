namespace Quamba.Model.Quantization.Observers;

/// <summary>Argument checks shared by the observers, so every one reports bad input the same way.</summary>
internal static class ObserverChecks
{
    public static void CheckSample(ReadOnlySpan<float> sample)
    {
        if (sample.IsEmpty)
            throw new ArgumentException("A calibration sample must contain at least one value; skip empty samples before observing.", nameof(sample));
    }

    public static void ThrowNonFinite(ReadOnlySpan<float> sample)
    {
        for (int i = 0; i < sample.Length; i++)
            if (!float.IsFinite(sample[i]))
                throw new ArgumentException($"Calibration sample value at index {i} is {sample[i]}; observers need finite values (the float model produced a NaN or Inf upstream).", nameof(sample));
        throw new ArgumentException("Calibration sample contains a non-finite value.", nameof(sample));
    }

    public static void CheckObserved(int sampleCount)
    {
        if (sampleCount == 0)
            throw new InvalidOperationException("No calibration sample has been observed yet; call Observe at least once before reading the range or scale.");
    }
}
