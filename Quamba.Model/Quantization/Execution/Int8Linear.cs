using Quamba.Model.Backends.Cpu;
using Quamba.Model.Backends.Cpu.Integer;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Execution;

/// <summary>
/// W8A8: int8 x int8 -> int32 through <see cref="Int8MatrixMultiply"/>, then one multiply per output by
/// <c>inputScale * weightScale[row]</c> (exact integer sums, one float rounding each).
/// </summary>
internal sealed unsafe class Int8Linear : QuantizedLinear
{
    private readonly QuantizedInt8Matrix _matrix;
    private readonly Int8GemmWeights _weights;
    private readonly AlignedBuffer _outputScale;
    private AlignedBuffer? _dequantized;

    public Int8Linear(QuantizedInt8Matrix matrix, float inputScale)
        : base(matrix.Rows, matrix.Columns, inputScale)
    {
        _matrix = matrix;
        _weights = Int8GemmWeights.From(matrix);
        _outputScale = new AlignedBuffer(matrix.Rows);
        for (int r = 0; r < matrix.Rows; r++) _outputScale.Pointer[r] = inputScale * matrix.ScaleOfRow(r);
    }

    public QuantizedInt8Matrix Matrix => _matrix;

    public override long WeightBytes => (long)_matrix.Data.Length + 4L * _matrix.Scales.Length;

    public override void ForwardInt8(sbyte* codes, int rows, float* output, bool accumulate, float* scratch)
    {
        int n = Rows;
        int* acc = (int*)scratch;
        Int8MatrixMultiply.Multiply(new ReadOnlySpan<sbyte>(codes, rows * Columns), rows, _weights, new Span<int>(acc, rows * n));
        float* scale = _outputScale.Pointer;
        for (int r = 0; r < rows; r++)
        {
            int* a = acc + (long)r * n;
            float* o = output + (long)r * n;
            if (accumulate) for (int j = 0; j < n; j++) o[j] += a[j] * scale[j];
            else for (int j = 0; j < n; j++) o[j] = a[j] * scale[j];
        }
    }

    public override void ForwardFloat(CpuParallel parallel, float* input, int inputStride, int rows, float* output, bool accumulate, float* scratch)
    {
        var w = _dequantized ??= Dequantized();
        Gemm.MultiplyTransposed(parallel, input, inputStride, w.Pointer, Columns, output, Rows, rows, Rows, Columns, accumulate);
    }

    public override float[] DequantizeWeights() => _matrix.Dequantize();

    private AlignedBuffer Dequantized()
    {
        var w = _matrix.Dequantize();
        var buffer = new AlignedBuffer(w.Length);
        w.AsSpan().CopyTo(buffer.Span);
        return buffer;
    }
}
