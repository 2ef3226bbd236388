using Quamba.Model.Backends.Cpu;
using Quamba.Model.Backends.Cpu.Integer;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Execution;

/// <summary>4-bit group weights: W4A8 (int8 activations, exact group sums) or W4A16 (float activations) through <see cref="Int4MatrixMultiply"/>.</summary>
internal sealed unsafe class Int4Linear : QuantizedLinear
{
    private readonly QuantizedInt4Matrix _matrix;

    public Int4Linear(QuantizedInt4Matrix matrix, float inputScale)
        : base(matrix.Rows, matrix.Columns, inputScale)
    {
        _matrix = matrix;
    }

    public QuantizedInt4Matrix Matrix => _matrix;

    public override long WeightBytes => (long)_matrix.Packed.Length + 4L * _matrix.Scales.Length;

    public override void ForwardInt8(CpuParallel parallel, sbyte* codes, int rows, float* output, bool accumulate, float* scratch)
    {
        int count = rows * Rows;
        float* target = accumulate ? scratch : output;
        using (SmallProducts.Scope((long)count * Columns))
            Int4MatrixMultiply.MultiplyW4A8(new ReadOnlySpan<sbyte>(codes, rows * Columns), rows, InputScale, _matrix, new Span<float>(target, count));
        if (accumulate) VectorMath.AddInPlace(output, scratch, count);
    }

    public override void ForwardFloat(CpuParallel parallel, float* input, int inputStride, int rows, float* output, bool accumulate, float* scratch)
    {
        int count = rows * Rows, k = Columns;
        float* target = accumulate ? scratch : output;
        using var serial = SmallProducts.Scope((long)count * k);
        if (inputStride == k)
        {
            Int4MatrixMultiply.MultiplyW4A16(new ReadOnlySpan<float>(input, rows * k), rows, _matrix, new Span<float>(target, count));
        }
        else
        {
            // The kernel reads contiguous rows: gather the strided ones first.
            var packed = new float[rows * k];
            for (int r = 0; r < rows; r++) new ReadOnlySpan<float>(input + (long)r * inputStride, k).CopyTo(packed.AsSpan(r * k, k));
            Int4MatrixMultiply.MultiplyW4A16(packed, rows, _matrix, new Span<float>(target, count));
        }
        if (accumulate) VectorMath.AddInPlace(output, scratch, count);
    }

    public override float[] DequantizeWeights() => _matrix.Dequantize();
}
