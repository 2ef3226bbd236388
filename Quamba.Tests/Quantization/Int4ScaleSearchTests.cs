using Quamba.Model.Quantization.Weights;

namespace Quamba.Tests.Quantization;

public class Int4ScaleSearchTests
{
    [Fact]
    public void NeverWorseThanTheAbsMaxScaleOnTheGroupsSquaredError()
    {
        int better = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            // Gaussian groups, some with one outlier, of full and short lengths.
            int length = seed % 3 == 0 ? 37 : 128;
            var group = QuantTestData.Gaussian(length, seed);
            if (seed % 2 == 0) group[seed % length] *= 6;
            var importance = seed % 5 == 0 ? QuantTestData.Gaussian(length, seed + 1000).Select(MathF.Abs).ToArray() : [];
            float absMax = group.Max(MathF.Abs);
            float absMaxScale = Int4Quantization.ScaleFromAbsMax(absMax);
            float searched = Int4ScaleSearch.Default.Scale(group, importance);
            double eAbsMax = Int4ScaleSearch.Error(group, importance, absMaxScale), eSearched = Int4ScaleSearch.Error(group, importance, searched);
            Assert.True(eSearched <= eAbsMax, $"seed {seed}: searched scale {searched} error {eSearched} > abs-max {absMaxScale} error {eAbsMax}");
            Assert.InRange(searched, absMax / 15, absMaxScale); // within the candidates' range: half the abs-max scale and up
            if (eSearched < eAbsMax) better++;
        }
        // Clipping pays off for most Gaussian groups of 4-bit codes (not a bound: a sanity check that the search searches).
        Assert.True(better > 100, $"the search improved only {better} of 200 groups");
    }

    [Fact]
    public void RoundToNearestWithTheSearchHasNoGroupWorseThanAbsMax()
    {
        const int rows = 16, columns = 300, groupSize = 128;
        var w = QuantTestData.Gaussian(rows * columns, 7);
        var absMax = Int4WeightQuantizer.RoundToNearest(w, rows, columns, groupSize);
        var searched = Int4WeightQuantizer.RoundToNearest(w, rows, columns, groupSize, Int4ScaleSearch.Default);
        Assert.Equal(absMax.Packed.Length, searched.Packed.Length);
        var a = absMax.Dequantize();
        var s = searched.Dequantize();
        double totalA = 0, totalS = 0;
        for (int r = 0; r < rows; r++)
            for (int g = 0; g < absMax.GroupsPerRow; g++)
            {
                double ea = 0, es = 0;
                for (int c = g * groupSize; c < Math.Min(columns, (g + 1) * groupSize); c++)
                {
                    int i = r * columns + c;
                    ea += (w[i] - a[i]) * (double)(w[i] - a[i]);
                    es += (w[i] - s[i]) * (double)(w[i] - s[i]);
                }
                Assert.True(es <= ea, $"row {r} group {g}: {es} > {ea}");
                totalA += ea;
                totalS += es;
            }
        Assert.True(totalS < 0.95 * totalA, $"the search's squared error {totalS} is not 5% below abs-max's {totalA}");
    }

    [Fact]
    public void AZeroGroupKeepsScaleOneAndBadSettingsAreClearErrors()
    {
        Assert.Equal(1f, Int4ScaleSearch.Default.Scale(new float[8], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Int4ScaleSearch { Steps = 0 }.Scale([1f], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Int4ScaleSearch { MaxShrink = 1 }.Scale([1f], []));
        var e = Assert.Throws<ArgumentException>(() => Int4ScaleSearch.Default.Scale([1f, 2f], [1f]));
        Assert.Contains("importance", e.Message);
    }
}
