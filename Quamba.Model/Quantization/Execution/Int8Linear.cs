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

    public override void ForwardInt8(CpuParallel parallel, sbyte* codes, int rows, float* output, bool accumulate, float* scratch)
    {
        int n = Rows;
        int* acc = (int*)scratch;
        using (SmallProducts.Scope((long)rows * n * Columns))
            Int8MatrixMultiply.Multiply(new ReadOnlySpan<sbyte>(codes, rows * Columns), rows, _weights, new Span<int>(acc, rows * n));
        var work = new Rescale { Accumulators = acc, Output = output, Scale = _outputScale.Pointer, Width = n, Accumulate = accumulate };
        if ((long)rows * n < 1 << 16) work.Run(0, rows);
        else parallel.ForRanges(rows, Math.Max(1, 16384 / n), ref work);
    }

    /// <summary>output[r, j] (=|+=) acc[r, j] * scale[j]: each int32 sum becomes float once, then one multiply.</summary>
    private struct Rescale : IRangeWork
    {
        public int* Accumulators;
        public float* Output, Scale;
        public int Width;
        public bool Accumulate;

        public readonly void Run(int begin, int end)
        {
            for (int r = begin; r < end; r++)
            {
                int* a = Accumulators + (long)r * Width;
                float* o = Output + (long)r * Width;
                if (Accumulate) for (int j = 0; j < Width; j++) o[j] += a[j] * Scale[j];
                else for (int j = 0; j < Width; j++) o[j] = a[j] * Scale[j];
            }
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
