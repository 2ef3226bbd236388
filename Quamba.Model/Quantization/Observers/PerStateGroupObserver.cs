namespace Quamba.Model.Quantization.Observers;

/// <summary>
/// Quamba2's per-state-group scales for B or C: one scale per state group. A sample is laid out
/// <c>[tokens, G, N]</c>; scales come out as <c>[G]</c>. With G = 1 (Mamba1) this is per tensor.
/// </summary>
public sealed class PerStateGroupObserver
{
    private readonly GroupedScaleObserver _inner;

    public PerStateGroupObserver(int stateGroups, int stateSize, Func<IScaleObserver>? createObserver = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stateGroups, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateSize, 1);
        var map = new int[stateGroups * stateSize];
        for (int i = 0; i < map.Length; i++) map[i] = i / stateSize;
        _inner = new GroupedScaleObserver(map, stateGroups, createObserver);
        StateGroups = stateGroups;
        StateSize = stateSize;
    }

    public int StateGroups { get; }
    public int StateSize { get; }
    public int SampleCount => _inner.SampleCount;

    /// <summary>One calibration sample, <c>[tokens, G, N]</c>.</summary>
    public void Observe(ReadOnlySpan<float> sample) => _inner.Observe(sample);

    /// <summary>[G] ranges.</summary>
    public float[] Ranges() => _inner.Ranges();

    /// <summary>[G] int8 scales.</summary>
    public float[] Scales() => _inner.Scales();
}
