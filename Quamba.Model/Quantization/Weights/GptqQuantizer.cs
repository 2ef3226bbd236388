using System.Numerics.Tensors;

namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// GPTQ (Frantar et al.): quantizes a weight <c>[rows, columns]</c> column by column, each column's rounding
/// error fed back into the not-yet-quantized columns through the inverse Hessian of the layer input, so
/// that <c>X W^T</c> (not W itself) is preserved. Standard algorithm: dead inputs (zero Hessian diagonal) get
/// weight 0; H is dampened by a fraction of its mean diagonal; U = upper Cholesky factor of <c>H^{-1}</c>;
/// columns processed in lazy batches of <see cref="GptqOptions.BlockSize"/>.
/// </summary>
public static class GptqQuantizer
{
    /// <summary>
    /// 4-bit GPTQ with group scales (<see cref="Int4Quantization"/>). A group's scales are taken, per row, from
    /// the abs-max of the group's current (error-updated) weights when its first column is reached.
    /// </summary>
    /// <param name="hessian">[columns, columns] from <see cref="HessianAccumulator.GetHessian"/>.</param>
    public static QuantizedInt4Matrix QuantizeInt4(ReadOnlySpan<float> weights, int rows, int columns, double[] hessian,
        int groupSize = QuantizedInt4Matrix.DefaultGroupSize, GptqOptions? options = null)
    {
        WeightChecks.CheckMatrix(weights, rows, columns);
        if (groupSize < 2 || groupSize % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "The 4-bit group size must be even and >= 2 (128 is the Quamba2 default).");
        int groups = (columns + groupSize - 1) / groupSize;
        var codec = new Int4Codec(rows, groupSize, groups);
        byte[] codes = Solve(weights.ToArray(), rows, columns, hessian, options ?? new GptqOptions(), codec);
        return new QuantizedInt4Matrix(rows, columns, groupSize, Int4Packing.Pack(codes, rows, columns), codec.Scales);
    }

    /// <summary>8-bit GPTQ with fixed abs-max scales of the original weight at the given granularity.</summary>
    public static QuantizedInt8Matrix QuantizeInt8(ReadOnlySpan<float> weights, int rows, int columns, double[] hessian,
        Int8WeightGranularity granularity, IReadOnlyList<RowRange>? segments = null, GptqOptions? options = null)
    {
        WeightChecks.CheckMatrix(weights, rows, columns);
        var ranges = Int8WeightLayout.Validate(rows, granularity, segments);
        float[] scales = Int8WeightQuantizer.AbsMaxScales(weights, columns, ranges);
        int[] scaleOfRow = Int8WeightLayout.ScaleIndexOfRows(rows, granularity, ranges);
        var rowScales = new float[rows];
        for (int r = 0; r < rows; r++) rowScales[r] = scales[scaleOfRow[r]];
        byte[] codes = Solve(weights.ToArray(), rows, columns, hessian, options ?? new GptqOptions(), new Int8Codec(rowScales));
        var data = new sbyte[codes.Length];
        Buffer.BlockCopy(codes, 0, data, 0, codes.Length);
        return new QuantizedInt8Matrix(rows, columns, data, scales, granularity, segments);
    }

    /// <summary>How a column's values become codes: the only part that differs between 4 and 8 bits.</summary>
    private abstract class Codec
    {
        /// <summary>Called when column <paramref name="column"/> is about to be quantized; <paramref name="current"/> reads W's current value.</summary>
        public virtual void BeginColumn(int column, int columns, Func<int, int, float> current) { }

        /// <summary>Quantizes w at (row, column); returns the dequantized value and the code byte.</summary>
        public abstract float Quantize(int row, int column, float w, out byte code);
    }

    private sealed class Int4Codec(int rows, int groupSize, int groups) : Codec
    {
        public float[] Scales { get; } = new float[(long)rows * groups];

        public override void BeginColumn(int column, int columns, Func<int, int, float> current)
        {
            if (column % groupSize != 0) return;
            int g = column / groupSize, end = Math.Min(columns, column + groupSize);
            for (int r = 0; r < rows; r++)
            {
                float absMax = 0;
                for (int c = column; c < end; c++) absMax = MathF.Max(absMax, MathF.Abs(current(r, c)));
                Scales[r * groups + g] = Int4Quantization.ScaleFromAbsMax(absMax);
            }
        }

        public override float Quantize(int row, int column, float w, out byte code)
        {
            float s = Scales[row * groups + column / groupSize];
            code = Int4Quantization.Encode(w, s);
            return Int4Quantization.Decode(code, s);
        }
    }

    private sealed class Int8Codec(float[] rowScales) : Codec
    {
        public override float Quantize(int row, int column, float w, out byte code)
        {
            sbyte q = Int8Quantization.Quantize(w, rowScales[row]);
            code = unchecked((byte)q);
            return q * rowScales[row];
        }
    }

    /// <summary>The GPTQ solver; returns one code byte per weight, row-major. <paramref name="w"/> is overwritten.</summary>
    private static byte[] Solve(float[] w, int rows, int columns, double[] hessian, GptqOptions options, Codec codec)
    {
        options.Validate();
        ArgumentNullException.ThrowIfNull(hessian);
        if (hessian.Length != (long)columns * columns)
            throw new ArgumentException($"hessian has {hessian.Length} entries; expected columns^2 = {(long)columns * columns} (the weight's input width is {columns}).", nameof(hessian));
        float[] u = InverseHessianUpperFactor(hessian, w, rows, columns, options.DampeningFraction);

        var codes = new byte[(long)rows * columns];
        int block = options.BlockSize;
        var blockT = new float[(long)block * rows]; // current W[:, i1:i2], transposed: a column is contiguous
        var errT = new float[(long)block * rows];   // scaled errors (w - q) / U[c, c] of the block's columns
        for (int i1 = 0; i1 < columns; i1 += block)
        {
            int i2 = Math.Min(columns, i1 + block), count = i2 - i1;
            for (int r = 0; r < rows; r++)
                for (int i = 0; i < count; i++)
                    blockT[i * rows + r] = w[r * columns + i1 + i];

            int start = i1, end = i2;
            float Current(int r, int c) => c >= start && c < end ? blockT[(c - start) * rows + r] : w[r * columns + c];

            for (int i = 0; i < count; i++)
            {
                int col = i1 + i;
                codec.BeginColumn(col, columns, Current);
                float d = u[(long)col * columns + col];
                var wc = blockT.AsSpan(i * rows, rows);
                var err = errT.AsSpan(i * rows, rows);
                for (int r = 0; r < rows; r++)
                {
                    float q = codec.Quantize(r, col, wc[r], out codes[r * columns + col]);
                    err[r] = (wc[r] - q) / d;
                }
                // Immediate feedback into the block's later columns: W[:, j] -= err * U[col, j].
                for (int j = i + 1; j < count; j++)
                {
                    var wj = blockT.AsSpan(j * rows, rows);
                    TensorPrimitives.MultiplyAdd(err, -u[(long)col * columns + i1 + j], wj, wj);
                }
            }

            if (i2 < columns)
            {
                // Lazy batch update of every later column: W[:, i2:] -= Err (rows x count) * U[i1:i2, i2:].
                int rest = columns - i2;
                Parallel.For(0, rows, r =>
                {
                    var wr = w.AsSpan(r * columns + i2, rest);
                    for (int i = 0; i < count; i++)
                    {
                        float e = errT[i * rows + r];
                        if (e != 0) TensorPrimitives.MultiplyAdd(u.AsSpan((i1 + i) * columns + i2, rest), -e, wr, wr);
                    }
                });
            }
        }
        return codes;
    }

    /// <summary>
    /// Dead inputs, dampening, and U with <c>H^{-1} = U^T U</c> (U upper, float, row-major). Zeroes W's dead columns.
    /// </summary>
    private static float[] InverseHessianUpperFactor(double[] hessian, float[] w, int rows, int columns, double dampening)
    {
        int n = columns;
        var h = (double[])hessian.Clone();
        for (int i = 0; i < n; i++)
        {
            double v = h[i * n + i];
            if (!double.IsFinite(v) || v < 0)
                throw new ArgumentException($"hessian[{i}, {i}] is {v}; a Hessian X^T X has finite non-negative diagonal entries.", nameof(hessian));
            if (v == 0)
            {
                // An input that is always zero: its weights cannot matter, so GPTQ sets them to 0 and H[i, i] = 1.
                h[i * n + i] = 1;
                for (int r = 0; r < rows; r++) w[r * columns + i] = 0;
            }
        }
        double meanDiagonal = 0;
        for (int i = 0; i < n; i++) meanDiagonal += h[i * n + i];
        meanDiagonal /= n;
        double damp = dampening * meanDiagonal;
        for (int i = 0; i < n; i++) h[i * n + i] += damp;

        const string Fix = "raise GptqOptions.DampeningFraction (e.g. 0.1) or calibrate with more activation rows than input columns";
        if (!Cholesky.TryFactorLower(h, n, out double[] l))
            throw new InvalidOperationException($"GPTQ: the dampened Hessian ({dampening:P1} of the mean diagonal) is not positive definite; {Fix}.");
        double[] inverse = Cholesky.InverseFromLower(l, n);
        if (!Cholesky.TryFactorLower(inverse, n, out double[] l2))
            throw new InvalidOperationException($"GPTQ: the inverse Hessian is not numerically positive definite; {Fix}.");

        var u = new float[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
                u[i * n + j] = (float)l2[j * n + i]; // U = L2^T
        return u;
    }
}
