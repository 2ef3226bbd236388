namespace Quamba.Model.Quantization.Weights;

/// <summary>Round-to-nearest symmetric int8 weight quantization with abs-max scales (<c>s = absmax / 127</c>).</summary>
public static class Int8WeightQuantizer
{
    public static QuantizedInt8Matrix QuantizePerTensor(ReadOnlySpan<float> weights, int rows, int columns) =>
        Quantize(weights, rows, columns, Int8WeightGranularity.PerTensor);

    public static QuantizedInt8Matrix QuantizePerOutputChannel(ReadOnlySpan<float> weights, int rows, int columns) =>
        Quantize(weights, rows, columns, Int8WeightGranularity.PerOutputChannel);

    /// <param name="segments">Row ranges that partition [0, rows) in order, one scale each.</param>
    public static QuantizedInt8Matrix QuantizePerOutputSegment(ReadOnlySpan<float> weights, int rows, int columns, IReadOnlyList<RowRange> segments) =>
        Quantize(weights, rows, columns, Int8WeightGranularity.PerOutputSegment, segments);

    public static QuantizedInt8Matrix Quantize(ReadOnlySpan<float> weights, int rows, int columns,
        Int8WeightGranularity granularity, IReadOnlyList<RowRange>? segments = null)
    {
        WeightChecks.CheckMatrix(weights, rows, columns);
        var ranges = Int8WeightLayout.Validate(rows, granularity, segments);
        float[] scales = AbsMaxScales(weights, columns, ranges);
        var data = new sbyte[(long)rows * columns];
        for (int s = 0; s < ranges.Count; s++)
        {
            int start = ranges[s].Start * columns, count = ranges[s].Count * columns;
            Int8Quantization.Quantize(weights.Slice(start, count), scales[s], data.AsSpan(start, count));
        }
        return new QuantizedInt8Matrix(rows, columns, data, scales, granularity, segments);
    }

    /// <summary>One abs-max scale per row range.</summary>
    internal static float[] AbsMaxScales(ReadOnlySpan<float> weights, int columns, IReadOnlyList<RowRange> ranges)
    {
        var scales = new float[ranges.Count];
        for (int s = 0; s < ranges.Count; s++)
        {
            var slice = weights.Slice(ranges[s].Start * columns, ranges[s].Count * columns);
            scales[s] = Int8Quantization.ScaleFromRange(MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(slice)));
        }
        return scales;
    }
}
