namespace Quamba.Model.Quantization.Clustering;

/// <summary>
/// Quamba2's grouping of a Mamba2 layer's x channels: state group (G) x head group x dim group.
/// Heads and channels are indexed in the reordered layout (after the sort-and-cluster permutation),
/// where each head group's heads are contiguous and each dim group is a contiguous channel range.
/// </summary>
/// <remarks>
/// Scales for this table are laid out <c>[G, HeadGroupCount, DimGroupCount]</c>, index
/// <c>(g * HeadGroupCount + headGroup) * DimGroupCount + dimGroup</c> (see <see cref="GroupIndex"/>).
/// Head i belongs to state group <c>i / HeadsPerGroup</c> (Mamba2's <c>g(h) = h / (H/G)</c>).
/// </remarks>
public sealed class CrossHeadGroupTable
{
    private readonly int[] _headGroupOfHead;
    private readonly int[] _dimGroupBoundaries;

    /// <param name="headGroupOfHead">[G * headsPerGroup]: the head group (0..headGroupCount-1, local to its state group) of each head.</param>
    /// <param name="dimGroupBoundaries">[G, headGroupCount, dimGroupCount + 1]: strictly increasing channel boundaries per head group, from 0 to headDim.</param>
    public CrossHeadGroupTable(int stateGroups, int headsPerGroup, int headDim, int headGroupCount, int dimGroupCount,
        int[] headGroupOfHead, int[] dimGroupBoundaries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stateGroups, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(headsPerGroup, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(headDim, 1);
        if (headGroupCount < 1 || headGroupCount > headsPerGroup)
            throw new ArgumentOutOfRangeException(nameof(headGroupCount), headGroupCount, $"Need 1..{headsPerGroup} head groups (one state group has {headsPerGroup} heads).");
        if (dimGroupCount < 1 || dimGroupCount > headDim)
            throw new ArgumentOutOfRangeException(nameof(dimGroupCount), dimGroupCount, $"Need 1..{headDim} dim groups (head dim is {headDim}).");
        ArgumentNullException.ThrowIfNull(headGroupOfHead);
        ArgumentNullException.ThrowIfNull(dimGroupBoundaries);
        if (headGroupOfHead.Length != stateGroups * headsPerGroup)
            throw new ArgumentException($"headGroupOfHead has {headGroupOfHead.Length} entries; expected G*headsPerGroup = {stateGroups * headsPerGroup}.", nameof(headGroupOfHead));
        if (dimGroupBoundaries.Length != stateGroups * headGroupCount * (dimGroupCount + 1))
            throw new ArgumentException($"dimGroupBoundaries has {dimGroupBoundaries.Length} entries; expected G*headGroups*(dimGroups+1) = {stateGroups * headGroupCount * (dimGroupCount + 1)}.", nameof(dimGroupBoundaries));

        for (int g = 0; g < stateGroups; g++)
        {
            var used = new bool[headGroupCount];
            for (int h = 0; h < headsPerGroup; h++)
            {
                int hg = headGroupOfHead[g * headsPerGroup + h];
                if (hg < 0 || hg >= headGroupCount)
                    throw new ArgumentException($"Head {g * headsPerGroup + h} has head group {hg}; it must be in [0, {headGroupCount}).", nameof(headGroupOfHead));
                used[hg] = true;
            }
            for (int hg = 0; hg < headGroupCount; hg++)
            {
                if (!used[hg])
                    throw new ArgumentException($"State group {g} has no head in head group {hg}; every head group needs at least one head.", nameof(headGroupOfHead));
                int b = (g * headGroupCount + hg) * (dimGroupCount + 1);
                if (dimGroupBoundaries[b] != 0 || dimGroupBoundaries[b + dimGroupCount] != headDim)
                    throw new ArgumentException($"Dim-group boundaries of (state group {g}, head group {hg}) must start at 0 and end at {headDim}.", nameof(dimGroupBoundaries));
                for (int d = 0; d < dimGroupCount; d++)
                    if (dimGroupBoundaries[b + d + 1] <= dimGroupBoundaries[b + d])
                        throw new ArgumentException($"Dim-group boundaries of (state group {g}, head group {hg}) must be strictly increasing (each dim group non-empty).", nameof(dimGroupBoundaries));
            }
        }

        StateGroups = stateGroups;
        HeadsPerGroup = headsPerGroup;
        HeadDim = headDim;
        HeadGroupCount = headGroupCount;
        DimGroupCount = dimGroupCount;
        _headGroupOfHead = (int[])headGroupOfHead.Clone();
        _dimGroupBoundaries = (int[])dimGroupBoundaries.Clone();
    }

    public int StateGroups { get; }
    public int HeadsPerGroup { get; }
    public int HeadDim { get; }
    public int HeadGroupCount { get; }
    public int DimGroupCount { get; }
    public int Heads => StateGroups * HeadsPerGroup;
    public int Channels => Heads * HeadDim;

    /// <summary>Number of scales: G * HeadGroupCount * DimGroupCount.</summary>
    public int GroupCount => StateGroups * HeadGroupCount * DimGroupCount;

    public ReadOnlySpan<int> HeadGroupOfHead => _headGroupOfHead;
    public ReadOnlySpan<int> DimGroupBoundaries => _dimGroupBoundaries;

    /// <summary>The scale index of channel <paramref name="channel"/> (0..HeadDim-1) of head <paramref name="head"/>.</summary>
    public int GroupIndex(int head, int channel)
    {
        if ((uint)head >= (uint)Heads) throw new ArgumentOutOfRangeException(nameof(head), head, $"Head must be in [0, {Heads}).");
        if ((uint)channel >= (uint)HeadDim) throw new ArgumentOutOfRangeException(nameof(channel), channel, $"Channel must be in [0, {HeadDim}).");
        int g = head / HeadsPerGroup;
        int hg = _headGroupOfHead[head];
        int b = (g * HeadGroupCount + hg) * (DimGroupCount + 1);
        int d = 0;
        while (channel >= _dimGroupBoundaries[b + d + 1]) d++;
        return (g * HeadGroupCount + hg) * DimGroupCount + d;
    }

    /// <summary>The scale index of every x channel, [Heads * HeadDim] in head-major order.</summary>
    public int[] BuildChannelGroupMap()
    {
        var map = new int[Channels];
        for (int h = 0; h < Heads; h++)
            for (int p = 0; p < HeadDim; p++)
                map[h * HeadDim + p] = GroupIndex(h, p);
        return map;
    }
}
