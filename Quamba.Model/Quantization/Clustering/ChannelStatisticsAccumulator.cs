namespace Quamba.Model.Quantization.Clustering;

/// <summary>
/// The statistic Quamba2 sorts and clusters by: per calibration sample, each channel's mean |x| over the
/// sample's tokens; across samples, the maximum of those means.
/// </summary>
public sealed class ChannelStatisticsAccumulator
{
    private readonly float[] _max;
    private readonly double[] _sum;

    public ChannelStatisticsAccumulator(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _max = new float[channels];
        _sum = new double[channels];
    }

    public int Channels => _max.Length;
    public int SampleCount { get; private set; }

    /// <summary>One calibration sample, <c>[tokens, Channels]</c> row-major.</summary>
    public void Observe(ReadOnlySpan<float> sample)
    {
        int c = Channels;
        if (sample.IsEmpty || sample.Length % c != 0)
            throw new ArgumentException($"Sample length {sample.Length} must be a positive multiple of the channel count {c} ([tokens, channels]).", nameof(sample));
        int tokens = sample.Length / c;
        Array.Clear(_sum);
        for (int t = 0; t < tokens; t++)
            for (int i = 0; i < c; i++)
            {
                float v = sample[t * c + i];
                if (!float.IsFinite(v))
                    throw new ArgumentException($"sample[{t}, {i}] is {v}; calibration activations must be finite.", nameof(sample));
                _sum[i] += MathF.Abs(v);
            }
        for (int i = 0; i < c; i++)
        {
            float mean = (float)(_sum[i] / tokens);
            _max[i] = SampleCount == 0 ? mean : MathF.Max(_max[i], mean);
        }
        SampleCount++;
    }

    /// <summary>Per-channel statistic, <c>[Channels]</c>.</summary>
    public float[] GetStatistics()
    {
        if (SampleCount == 0)
            throw new InvalidOperationException("No calibration sample observed; call Observe before GetStatistics.");
        return (float[])_max.Clone();
    }
}
