namespace Quamba.Model.Quantization.Observers;

/// <summary>
/// One scale per group, where the group of each value depends only on its offset within a repeating
/// period (e.g. a token's <c>[G, N]</c> slice of B). Each group keeps its own scalar observer (abs-max or
/// percentile), fed per calibration sample with that group's values.
/// </summary>
public sealed class GroupedScaleObserver
{
    private readonly int[] _groupOfOffset;
    private readonly int[] _groupSizePerPeriod;
    private readonly IScaleObserver[] _observers;
    private float[][] _gather = [];

    /// <param name="groupOfOffset">For each offset within one period, its group in [0, groupCount).</param>
    /// <param name="createObserver">Makes the per-group observer; null means <see cref="AbsMaxObserver"/>.</param>
    public GroupedScaleObserver(int[] groupOfOffset, int groupCount, Func<IScaleObserver>? createObserver = null)
    {
        ArgumentNullException.ThrowIfNull(groupOfOffset);
        if (groupOfOffset.Length == 0) throw new ArgumentException("The period must have at least one offset.", nameof(groupOfOffset));
        ArgumentOutOfRangeException.ThrowIfLessThan(groupCount, 1);
        _groupSizePerPeriod = new int[groupCount];
        foreach (int g in groupOfOffset)
        {
            if ((uint)g >= (uint)groupCount)
                throw new ArgumentException($"Group index {g} is outside [0, {groupCount}).", nameof(groupOfOffset));
            _groupSizePerPeriod[g]++;
        }
        for (int g = 0; g < groupCount; g++)
            if (_groupSizePerPeriod[g] == 0)
                throw new ArgumentException($"Group {g} has no offset in the period; every group needs values.", nameof(groupOfOffset));
        _groupOfOffset = (int[])groupOfOffset.Clone();
        createObserver ??= static () => new AbsMaxObserver();
        _observers = new IScaleObserver[groupCount];
        for (int g = 0; g < groupCount; g++) _observers[g] = createObserver();
    }

    public int Period => _groupOfOffset.Length;
    public int GroupCount => _observers.Length;
    public int SampleCount { get; private set; }

    /// <summary>Observes one calibration sample: a whole number of periods (e.g. all tokens of a sequence).</summary>
    public void Observe(ReadOnlySpan<float> sample)
    {
        if (sample.IsEmpty || sample.Length % Period != 0)
            throw new ArgumentException($"Sample length {sample.Length} must be a positive multiple of the period {Period} (e.g. tokens x groups x state size).", nameof(sample));
        int periods = sample.Length / Period;
        if (_gather.Length != GroupCount) _gather = new float[GroupCount][];
        var fill = new int[GroupCount];
        for (int g = 0; g < GroupCount; g++)
        {
            int need = _groupSizePerPeriod[g] * periods;
            if (_gather[g] is null || _gather[g].Length < need) _gather[g] = new float[need];
        }
        for (int t = 0; t < periods; t++)
        {
            var slice = sample.Slice(t * Period, Period);
            for (int o = 0; o < slice.Length; o++)
            {
                int g = _groupOfOffset[o];
                _gather[g][fill[g]++] = slice[o];
            }
        }
        for (int g = 0; g < GroupCount; g++) _observers[g].Observe(_gather[g].AsSpan(0, fill[g]));
        SampleCount++;
    }

    public float[] Ranges()
    {
        ObserverChecks.CheckObserved(SampleCount);
        return Array.ConvertAll(_observers, o => o.Range);
    }

    public float[] Scales()
    {
        ObserverChecks.CheckObserved(SampleCount);
        return Array.ConvertAll(_observers, o => o.Scale);
    }
}
