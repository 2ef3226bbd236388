using Quamba.Model.Quantization.Clustering;

namespace Quamba.Model.Quantization.Observers;

/// <summary>
/// Scales that keep the SSM state index n apart (Quamba2's state cache scales).
/// Without a table: a sample is <c>[rows, N]</c> and scales are <c>[N]</c>.
/// With a <see cref="CrossHeadGroupTable"/>: a sample is the state <c>[batch, H, P, N]</c> (reordered heads
/// and channels) and scales are <c>[G, HeadGroupCount, DimGroupCount, N]</c>.
/// </summary>
public sealed class PerStateIndexObserver
{
    private readonly GroupedScaleObserver _inner;

    public PerStateIndexObserver(int stateSize, Func<IScaleObserver>? createObserver = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stateSize, 1);
        var map = new int[stateSize];
        for (int n = 0; n < stateSize; n++) map[n] = n;
        _inner = new GroupedScaleObserver(map, stateSize, createObserver);
        StateSize = stateSize;
    }

    public PerStateIndexObserver(CrossHeadGroupTable table, int stateSize, Func<IScaleObserver>? createObserver = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateSize, 1);
        int[] channelGroup = table.BuildChannelGroupMap();
        var map = new int[channelGroup.Length * stateSize];
        for (int c = 0; c < channelGroup.Length; c++)
            for (int n = 0; n < stateSize; n++)
                map[c * stateSize + n] = channelGroup[c] * stateSize + n;
        _inner = new GroupedScaleObserver(map, table.GroupCount * stateSize, createObserver);
        StateSize = stateSize;
        Table = table;
    }

    public int StateSize { get; }
    public CrossHeadGroupTable? Table { get; }
    public int SampleCount => _inner.SampleCount;

    /// <summary>One calibration sample: <c>[rows, N]</c>, or <c>[batch, H, P, N]</c> with a table.</summary>
    public void Observe(ReadOnlySpan<float> sample) => _inner.Observe(sample);

    public float[] Ranges() => _inner.Ranges();

    public float[] Scales() => _inner.Scales();
}
