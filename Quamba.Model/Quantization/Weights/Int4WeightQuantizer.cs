using System.Numerics.Tensors;

namespace Quamba.Model.Quantization.Weights;

/// <summary>Round-to-nearest 4-bit group quantization (<see cref="Int4Quantization"/>): each group's scale from its abs-max.</summary>
public static class Int4WeightQuantizer
{
    public static QuantizedInt4Matrix RoundToNearest(ReadOnlySpan<float> weights, int rows, int columns,
        int groupSize = QuantizedInt4Matrix.DefaultGroupSize)
    {
        WeightChecks.CheckMatrix(weights, rows, columns);
        if (groupSize < 2 || groupSize % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "The 4-bit group size must be even and >= 2 (128 is the Quamba2 default).");
        int groups = (columns + groupSize - 1) / groupSize;
        var scales = new float[(long)rows * groups];
        var codes = new byte[(long)rows * columns];
        for (int r = 0; r < rows; r++)
            for (int g = 0; g < groups; g++)
            {
                int c0 = g * groupSize, count = Math.Min(groupSize, columns - c0);
                var group = weights.Slice(r * columns + c0, count);
                float s = Int4Quantization.ScaleFromAbsMax(MathF.Abs(TensorPrimitives.MaxMagnitude(group)));
                scales[r * groups + g] = s;
                for (int i = 0; i < count; i++) codes[r * columns + c0 + i] = Int4Quantization.Encode(group[i], s);
            }
        return new QuantizedInt4Matrix(rows, columns, groupSize, Int4Packing.Pack(codes, rows, columns), scales);
    }
}
