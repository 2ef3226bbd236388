using Quamba.Model.Quantization.Clustering;

namespace Quamba.Model.Quantization.Observers;

/// <summary>
/// Quamba2's cross-head scales for x: one scale per (state group, head group, dim group) of a
/// <see cref="CrossHeadGroupTable"/>. A sample is laid out <c>[tokens, H, P]</c> in the reordered channel
/// order; scales come out as <c>[G, HeadGroupCount, DimGroupCount]</c>.
/// </summary>
public sealed class CrossHeadObserver
{
    private readonly GroupedScaleObserver _inner;

    public CrossHeadObserver(CrossHeadGroupTable table, Func<IScaleObserver>? createObserver = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        Table = table;
        _inner = new GroupedScaleObserver(table.BuildChannelGroupMap(), table.GroupCount, createObserver);
    }

    public CrossHeadGroupTable Table { get; }
    public int SampleCount => _inner.SampleCount;

    /// <summary>One calibration sample, <c>[tokens, H, P]</c>.</summary>
    public void Observe(ReadOnlySpan<float> sample) => _inner.Observe(sample);

    /// <summary>[G, HeadGroupCount, DimGroupCount] ranges.</summary>
    public float[] Ranges() => _inner.Ranges();

    /// <summary>[G, HeadGroupCount, DimGroupCount] int8 scales.</summary>
    public float[] Scales() => _inner.Scales();
}
