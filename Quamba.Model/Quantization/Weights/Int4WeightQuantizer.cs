namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// Round-to-nearest 4-bit group quantization (<see cref="Int4Quantization"/>): each group's scale from its abs-max, or
/// from a clip search (<see cref="Int4ScaleSearch"/>) when one is given.
/// </summary>
public static class Int4WeightQuantizer
{
    public static QuantizedInt4Matrix RoundToNearest(ReadOnlySpan<float> weights, int rows, int columns,
        int groupSize = QuantizedInt4Matrix.DefaultGroupSize, Int4ScaleSearch? scaleSearch = null)
    {
        WeightChecks.CheckMatrix(weights, rows, columns);
        Int4Groups.CheckGroupSize(groupSize);
        var scales = Int4Groups.Scales(weights, rows, columns, groupSize, scaleSearch, importance: null);
        int groups = Int4Groups.Count(columns, groupSize);
        var codes = new byte[(long)rows * columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                codes[r * columns + c] = Int4Quantization.Encode(weights[r * columns + c], scales[r * groups + c / groupSize]);
        return new QuantizedInt4Matrix(rows, columns, groupSize, Int4Packing.Pack(codes, rows, columns), scales);
    }
}
