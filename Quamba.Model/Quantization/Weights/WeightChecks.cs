namespace Quamba.Model.Quantization.Weights;

/// <summary>Shape and value checks shared by the weight quantizers.</summary>
internal static class WeightChecks
{
    public static void CheckMatrix(ReadOnlySpan<float> weights, int rows, int columns, string name = "weights")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (weights.Length != (long)rows * columns)
            throw new ArgumentException($"{name} has {weights.Length} elements; expected rows ({rows}) x columns ({columns}) in row-major order.", name);
        for (int i = 0; i < weights.Length; i++)
            if (!float.IsFinite(weights[i]))
                throw new ArgumentException($"{name}[{i / columns}, {i % columns}] is {weights[i]}; weights must be finite.", name);
    }
}
