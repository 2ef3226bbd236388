namespace Quamba.Model.Quantization.Observers;

/// <summary>
/// Watches calibration values, one <see cref="Observe"/> call per calibration sample, and produces the
/// static range and int8 scale they imply.
/// </summary>
public interface IScaleObserver
{
    /// <summary>How many samples have been observed.</summary>
    int SampleCount { get; }

    /// <summary>Accumulates one calibration sample (any number of values, at least one, all finite).</summary>
    void Observe(ReadOnlySpan<float> sample);

    /// <summary>The quantization range (abs-max or clipped max) so far; throws before the first sample.</summary>
    float Range { get; }

    /// <summary>The int8 scale <c>Range / 127</c> (see <see cref="Int8Quantization.ScaleFromRange"/>).</summary>
    float Scale => Int8Quantization.ScaleFromRange(Range);
}
