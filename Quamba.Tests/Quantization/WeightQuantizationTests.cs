using Quamba.Model.Quantization;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Tests.Quantization;

public class WeightQuantizationTests
{
    // Bound s/2 per element, plus 1e-5 s for the float rounding of w / s and code * s (|w / s| <= 127).
    private const float Slack = 1e-5f;

    [Fact]
    public void Int8PerTensorRoundTripWithinHalfScale()
    {
        var w = QuantTestData.Gaussian(13 * 37, 1);
        var q = Int8WeightQuantizer.QuantizePerTensor(w, 13, 37);
        Assert.Single(q.Scales);
        Assert.Equal(MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(w)) / 127f, q.Scales[0]);
        AssertWithinHalfScale(w, q.Dequantize(), i => q.ScaleOfRow(i / 37));
    }

    [Fact]
    public void Int8PerChannelHasOneScalePerRow()
    {
        var w = QuantTestData.Gaussian(9 * 20, 2);
        for (int c = 0; c < 20; c++) w[3 * 20 + c] *= 100; // one loud row must not coarsen the others
        var q = Int8WeightQuantizer.QuantizePerOutputChannel(w, 9, 20);
        Assert.Equal(9, q.Scales.Length);
        for (int r = 0; r < 9; r++)
            Assert.Equal(MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(w.AsSpan(r * 20, 20))) / 127f, q.Scales[r]);
        AssertWithinHalfScale(w, q.Dequantize(), i => q.ScaleOfRow(i / 20));
    }

    [Fact]
    public void Int8PerSegmentUsesOneScalePerRowRange()
    {
        var w = QuantTestData.Gaussian(10 * 8, 3);
        RowRange[] segments = [new(0, 4), new(4, 1), new(5, 5)];
        var q = Int8WeightQuantizer.QuantizePerOutputSegment(w, 10, 8, segments);
        Assert.Equal(3, q.Scales.Length);
        Assert.Equal(q.Scales[0], q.ScaleOfRow(3));
        Assert.Equal(q.Scales[1], q.ScaleOfRow(4));
        Assert.Equal(q.Scales[2], q.ScaleOfRow(9));
        Assert.Equal(MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(w.AsSpan(5 * 8, 5 * 8))) / 127f, q.Scales[2]);
        AssertWithinHalfScale(w, q.Dequantize(), i => q.ScaleOfRow(i / 8));
    }

    [Fact]
    public void Int8SegmentsMustPartitionTheRows()
    {
        var w = new float[10 * 2];
        var gap = Assert.Throws<ArgumentException>(() => Int8WeightQuantizer.QuantizePerOutputSegment(w, 10, 2, [new(0, 4), new(5, 5)]));
        Assert.Contains("partition", gap.Message);
        Assert.Throws<ArgumentException>(() => Int8WeightQuantizer.QuantizePerOutputSegment(w, 10, 2, [new(0, 4)]));
        Assert.Throws<ArgumentException>(() => Int8WeightQuantizer.Quantize(w, 10, 2, Int8WeightGranularity.PerTensor, [new(0, 10)]));
    }

    [Theory]
    [InlineData(5, 256, 128)]
    [InlineData(3, 300, 128)] // a short last group
    [InlineData(4, 301, 128)] // odd column count: a padding nibble
    [InlineData(2, 7, 2)]
    public void Int4RoundToNearestWithinHalfGroupScale(int rows, int columns, int groupSize)
    {
        var w = QuantTestData.Gaussian(rows * columns, rows * 1000 + columns);
        var q = Int4WeightQuantizer.RoundToNearest(w, rows, columns, groupSize);
        int groups = (columns + groupSize - 1) / groupSize;
        Assert.Equal(groups, q.GroupsPerRow);
        for (int r = 0; r < rows; r++)
            for (int g = 0; g < groups; g++)
            {
                int c0 = g * groupSize, len = Math.Min(groupSize, columns - c0);
                float absMax = MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(w.AsSpan(r * columns + c0, len)));
                Assert.Equal(absMax * 2f / 15f, q.Scales[r * groups + g]);
            }
        AssertWithinHalfScale(w, q.Dequantize(), i => q.Scales[(i / columns) * groups + (i % columns) / groupSize]);
    }

    [Fact]
    public void Int4EncodeUsesOffsetEightAndClamps()
    {
        Assert.Equal(8, Int4Quantization.Encode(0f, 1f));
        Assert.Equal(15, Int4Quantization.Encode(7.5f, 1f));  // rounds to 8 (even), clamped to 7
        Assert.Equal(0, Int4Quantization.Encode(-7.5f, 1f)); // rounds to -8
        Assert.Equal(10, Int4Quantization.Encode(2.5f, 1f));  // half to even: 2
        Assert.Equal(-8f, Int4Quantization.Decode(0, 1f));
    }

    [Fact]
    public void Int4PackingRoundTripsAndPutsEvenColumnsInTheLowNibble()
    {
        Assert.Equal(new byte[] { 0x21, 0x83 }, Int4Packing.Pack([1, 2, 3], 1, 3)); // pad nibble = 8
        var rng = new Random(4);
        var codes = new byte[7 * 13];
        for (int i = 0; i < codes.Length; i++) codes[i] = (byte)rng.Next(16);
        var packed = Int4Packing.Pack(codes, 7, 13);
        Assert.Equal(7 * 7, packed.Length);
        Assert.Equal(codes, Int4Packing.Unpack(packed, 7, 13));
        Assert.Throws<ArgumentException>(() => Int4Packing.Pack([16], 1, 1));
    }

    [Fact]
    public void ZeroGroupsGetScaleOneAndZeroWeights()
    {
        var q = Int4WeightQuantizer.RoundToNearest(new float[2 * 4], 2, 4, 2);
        Assert.All(q.Scales, s => Assert.Equal(1f, s));
        Assert.All(q.Dequantize(), v => Assert.Equal(0f, v));
    }

    private static void AssertWithinHalfScale(float[] w, float[] deq, Func<int, float> scaleOf)
    {
        for (int i = 0; i < w.Length; i++)
        {
            float s = scaleOf(i);
            Assert.True(MathF.Abs(w[i] - deq[i]) <= s * (0.5f + Slack), $"element {i}: {w[i]} -> {deq[i]} (scale {s})");
        }
    }
}
