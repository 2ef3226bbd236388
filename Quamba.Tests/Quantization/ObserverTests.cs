using Quamba.Model.Quantization.Clustering;
using Quamba.Model.Quantization.Observers;

namespace Quamba.Tests.Quantization;

public class ObserverTests
{
    [Fact]
    public void AbsMaxKeepsLargestMagnitudeOverSamples()
    {
        var o = new AbsMaxObserver();
        o.Observe([1f, -3f, 2f]);
        o.Observe([0.5f, 2.5f]);
        Assert.Equal(3f, o.Range);
        o.Observe([-7f]);
        Assert.Equal(7f, o.Range);
        Assert.Equal(7f / 127f, ((IScaleObserver)o).Scale);
        Assert.Equal(3, o.SampleCount);
    }

    [Fact]
    public void ObserversRejectNonFiniteValuesAndEmptyState()
    {
        Assert.Throws<InvalidOperationException>(() => new AbsMaxObserver().Range);
        Assert.Throws<InvalidOperationException>(() => new PercentileObserver().Range);
        var e = Assert.Throws<ArgumentException>(() => new AbsMaxObserver().Observe([1f, float.NaN]));
        Assert.Contains("index 1", e.Message);
        Assert.Throws<ArgumentException>(() => new PercentileObserver().Observe([float.PositiveInfinity]));
        Assert.Throws<ArgumentException>(() => new AbsMaxObserver().Observe([]));
    }

    [Fact]
    public void PercentileInterpolatesLinearlyBetweenOrderStatistics()
    {
        // |v| = 0..999 shuffled: position 0.9995 * 999 = 998.5005, so the quantile is 998.5005.
        var values = Enumerable.Range(0, 1000).Select(i => (float)(i % 2 == 0 ? i : -i)).ToArray();
        new Random(5).Shuffle(values);
        var o = new PercentileObserver(0.9995);
        o.Observe(values);
        Assert.Equal((float)998.5005, o.Range);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.9995)]
    [InlineData(0.99999)]
    [InlineData(1.0)]
    public void PercentileEqualsSortBasedQuantile(double alpha)
    {
        // The selection result must equal the formula on fully sorted data exactly: same order statistics, same arithmetic.
        var v = QuantTestData.Gaussian(12345, 9);
        var sorted = v.Select(MathF.Abs).OrderBy(x => x).ToArray();
        double pos = alpha * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        double frac = pos - lo;
        double expected = frac == 0 || lo + 1 >= sorted.Length ? sorted[lo] : sorted[lo] + frac * ((double)sorted[lo + 1] - sorted[lo]);
        var o = new PercentileObserver(alpha);
        o.Observe(v);
        Assert.Equal((float)expected, o.Range);
    }

    [Fact]
    public void PercentileSmoothsSamplesWithEma()
    {
        // One-value samples make each sample's quantile the value itself: 4, then 10, then 0.
        var o = new PercentileObserver(0.9995, 0.01);
        o.Observe([4f]);
        Assert.Equal(4f, o.Range);
        o.Observe([10f]);
        double m = 4 + 0.01 * (10 - 4);
        Assert.Equal((float)m, o.Range);
        o.Observe([0f]);
        m += 0.01 * (0 - m);
        Assert.Equal((float)m, o.Range);
    }

    [Fact]
    public void PerStateGroupObserverGivesOneScalePerGroup()
    {
        // [tokens = 2, G = 2, N = 3]
        var o = new PerStateGroupObserver(2, 3);
        o.Observe([1, 2, -5, 0.5f, 9, 1, /* token 2 */ 0, 4, 1, -2, 3, 0]);
        Assert.Equal([5f, 9f], o.Ranges());
        o.Observe([6, 0, 0, 0, 0, 0]);
        Assert.Equal([6f, 9f], o.Ranges());
        Assert.Equal([6f / 127f, 9f / 127f], o.Scales());
        Assert.Throws<ArgumentException>(() => o.Observe(new float[5]));
    }

    [Fact]
    public void GroupedObserverUsesTheGivenPerGroupStatistic()
    {
        var o = new PerStateGroupObserver(2, 1, () => new PercentileObserver(0.5));
        // Group 0 sees 1, 2, 3 (median 2); group 1 sees 10, 20, 30 (median 20).
        o.Observe([1, 10, 2, 20, 3, 30]);
        Assert.Equal([2f, 20f], o.Ranges());
    }

    private static CrossHeadGroupTable SmallTable() =>
        // G = 2 state groups, 3 heads each, P = 4; 2 head groups, 2 dim groups.
        new(2, 3, 4, 2, 2,
            headGroupOfHead: [0, 0, 1, 0, 1, 1],
            dimGroupBoundaries: [0, 1, 4, 0, 2, 4, /* g1 */ 0, 3, 4, 0, 1, 4]);

    [Fact]
    public void CrossHeadObserverMatchesBruteForceGrouping()
    {
        var table = SmallTable();
        var o = new CrossHeadObserver(table);
        var expected = new float[table.GroupCount];
        for (int s = 0; s < 3; s++)
        {
            var sample = QuantTestData.Gaussian(5 * table.Channels, 100 + s); // [tokens = 5, H = 6, P = 4]
            o.Observe(sample);
            for (int t = 0; t < 5; t++)
                for (int h = 0; h < 6; h++)
                    for (int p = 0; p < 4; p++)
                    {
                        int g = table.GroupIndex(h, p);
                        expected[g] = MathF.Max(expected[g], MathF.Abs(sample[(t * 6 + h) * 4 + p]));
                    }
        }
        Assert.Equal(expected, o.Ranges());
        // Spot-check the index layout [G, HG, DG]: head 4 (state group 1, head group 1), channel 0 -> dim group 0.
        Assert.Equal((1 * 2 + 1) * 2 + 0, table.GroupIndex(4, 0));
        Assert.Equal((0 * 2 + 0) * 2 + 1, table.GroupIndex(1, 1));
    }

    [Fact]
    public void PerStateIndexObserverKeepsStateIndicesApart()
    {
        var o = new PerStateIndexObserver(3);
        o.Observe([1, -2, 3, -4, 0.5f, 1]);
        Assert.Equal([4f, 2f, 3f], o.Ranges());

        var table = SmallTable();
        int n = 3;
        var grouped = new PerStateIndexObserver(table, n);
        var state = QuantTestData.Gaussian(table.Channels * n * 2, 77); // [batch = 2, H, P, N]
        grouped.Observe(state);
        var expected = new float[table.GroupCount * n];
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < table.Heads; h++)
                for (int p = 0; p < table.HeadDim; p++)
                    for (int s = 0; s < n; s++)
                    {
                        int idx = table.GroupIndex(h, p) * n + s;
                        expected[idx] = MathF.Max(expected[idx], MathF.Abs(state[((b * table.Heads + h) * table.HeadDim + p) * n + s]));
                    }
        Assert.Equal(expected, grouped.Ranges());
    }

    [Fact]
    public void GroupTableRejectsInconsistentGroups()
    {
        // Head group 1 of state group 0 is empty.
        Assert.Throws<ArgumentException>(() => new CrossHeadGroupTable(1, 2, 4, 2, 1, [0, 0], [0, 4, 0, 4]));
        // Boundaries not increasing.
        Assert.Throws<ArgumentException>(() => new CrossHeadGroupTable(1, 1, 4, 1, 2, [0], [0, 0, 4]));
    }
}
