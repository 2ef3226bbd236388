namespace Quamba.Model.Quantization.Observers;

/// <summary>
/// Percentile clipping with exponential smoothing across samples (Quamba's rule for the SSM input x):
/// for each sample take the <c>alpha</c>-quantile <c>q</c> of |v|; the first sample sets <c>m = q</c>,
/// later ones move it by <c>m &lt;- m + momentum * (q - m)</c>.
/// </summary>
/// <remarks>
/// The quantile interpolates linearly between order statistics at position <c>alpha * (n - 1)</c> of the
/// ascending |v| (the default of <c>torch.quantile</c>, which the reference implementation uses).
/// </remarks>
public sealed class PercentileObserver : IScaleObserver
{
    /// <summary>Quamba's default for the SSM input.</summary>
    public const double DefaultAlpha = 0.9995;
    public const double DefaultMomentum = 0.01;

    private double _smoothed;
    private float[] _buffer = [];

    public PercentileObserver(double alpha = DefaultAlpha, double momentum = DefaultMomentum)
    {
        if (!(alpha > 0 && alpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The percentile alpha must be in (0, 1], e.g. 0.9995 or 0.99999.");
        if (!(momentum > 0 && momentum <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The EMA momentum must be in (0, 1], e.g. 0.01.");
        Alpha = alpha;
        Momentum = momentum;
    }

    public double Alpha { get; }
    public double Momentum { get; }
    public int SampleCount { get; private set; }

    public void Observe(ReadOnlySpan<float> sample)
    {
        ObserverChecks.CheckSample(sample);
        if (_buffer.Length < sample.Length) _buffer = new float[sample.Length];
        var abs = _buffer.AsSpan(0, sample.Length);
        for (int i = 0; i < sample.Length; i++)
        {
            float v = sample[i];
            if (!float.IsFinite(v)) ObserverChecks.ThrowNonFinite(sample);
            abs[i] = MathF.Abs(v);
        }
        double q = Quantile.OfUnordered(abs, Alpha);
        _smoothed = SampleCount == 0 ? q : _smoothed + Momentum * (q - _smoothed);
        SampleCount++;
    }

    public float Range
    {
        get
        {
            ObserverChecks.CheckObserved(SampleCount);
            return (float)_smoothed;
        }
    }
}
