using System.Numerics.Tensors;

namespace Quamba.Model.Quantization.Observers;

/// <summary>Running abs-max: the range is the largest |v| seen in any sample.</summary>
public sealed class AbsMaxObserver : IScaleObserver
{
    private float _absMax;

    public int SampleCount { get; private set; }

    public void Observe(ReadOnlySpan<float> sample)
    {
        ObserverChecks.CheckSample(sample);
        float m = MathF.Abs(TensorPrimitives.MaxMagnitude(sample)); // NaN if any value is NaN
        if (!float.IsFinite(m)) ObserverChecks.ThrowNonFinite(sample);
        _absMax = SampleCount == 0 ? m : MathF.Max(_absMax, m);
        SampleCount++;
    }

    public float Range
    {
        get
        {
            ObserverChecks.CheckObserved(SampleCount);
            return _absMax;
        }
    }
}
