using System.Numerics.Tensors;

namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// GPTQ (Frantar et al.): quantizes a weight <c>[rows, columns]</c> column by column, each column's rounding
/// error fed back into the not-yet-quantized columns through the inverse Hessian of the layer input, so
/// that <c>X W^T</c> (not W itself) is preserved. Standard algorithm (<see cref="GptqHessian"/>): dead inputs get
/// weight 0; H is dampened by a fraction of its mean diagonal; columns in act-order by default; U = upper Cholesky
/// factor of <c>H^{-1}</c>; columns processed in lazy batches of <see cref="GptqOptions.BlockSize"/>.
/// </summary>
public static class GptqQuantizer
{
    /// <summary>
    /// 4-bit GPTQ with group scales (<see cref="Int4Quantization"/>) over contiguous groups of original columns. With
    /// act-order the scales are static (from the original weight, before any update); without it a group's scales come
    /// from its current, error-updated weights when its first column is reached. Either way they are abs-max or
    /// <see cref="GptqOptions.ScaleSearch"/>'s choice.
    /// </summary>
    /// <param name="hessian">[columns, columns] from <see cref="HessianAccumulator.GetHessian"/>.</param>
    public static QuantizedInt4Matrix QuantizeInt4(ReadOnlySpan<float> weights, int rows, int columns, double[] hessian,
        int groupSize = QuantizedInt4Matrix.DefaultGroupSize, GptqOptions? options = null)
    {
        WeightChecks.CheckMatrix(weights, rows, columns);
        Int4Groups.CheckGroupSize(groupSize);
        options ??= new GptqOptions();
        options.Validate();
        float[] w = weights.ToArray();
        var h = GptqHessian.Prepare(hessian, w, rows, columns, options);
        float[]? importance = options.HessianWeightedScaleSearch ? h.Diagonal : null;
        var codec = options.ActOrder
            ? Int4GptqCodec.Static(w, rows, columns, groupSize, options.ScaleSearch, importance)
            : Int4GptqCodec.Dynamic(rows, columns, groupSize, options.ScaleSearch, importance);
        byte[] codes = Solve(w, rows, columns, h, options.BlockSize, codec);
        return new QuantizedInt4Matrix(rows, columns, groupSize, Int4Packing.Pack(codes, rows, columns), codec.Scales);
    }

    /// <summary>8-bit GPTQ with fixed abs-max scales of the original weight at the given granularity.</summary>
    public static QuantizedInt8Matrix QuantizeInt8(ReadOnlySpan<float> weights, int rows, int columns, double[] hessian,
        Int8WeightGranularity granularity, IReadOnlyList<RowRange>? segments = null, GptqOptions? options = null)
    {
        WeightChecks.CheckMatrix(weights, rows, columns);
        options ??= new GptqOptions();
        options.Validate();
        var ranges = Int8WeightLayout.Validate(rows, granularity, segments);
        float[] scales = Int8WeightQuantizer.AbsMaxScales(weights, columns, ranges);
        int[] scaleOfRow = Int8WeightLayout.ScaleIndexOfRows(rows, granularity, ranges);
        var rowScales = new float[rows];
        for (int r = 0; r < rows; r++) rowScales[r] = scales[scaleOfRow[r]];
        float[] w = weights.ToArray();
        var h = GptqHessian.Prepare(hessian, w, rows, columns, options);
        byte[] codes = Solve(w, rows, columns, h, options.BlockSize, new Int8GptqCodec(rowScales));
        var data = new sbyte[codes.Length];
        Buffer.BlockCopy(codes, 0, data, 0, codes.Length);
        return new QuantizedInt8Matrix(rows, columns, data, scales, granularity, segments);
    }

    /// <summary>The GPTQ solver, in <paramref name="h"/>'s column order; returns one code byte per weight, row-major, in the original order.</summary>
    private static byte[] Solve(float[] weights, int rows, int columns, GptqHessian h, int block, GptqCodec codec)
    {
        int[] order = h.Order;
        float[] u = h.U;
        var w = new float[weights.Length]; // W with its columns in solver order
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                w[r * columns + c] = weights[r * columns + order[c]];

        var codes = new byte[(long)rows * columns];
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
                int col = i1 + i, original = order[col];
                codec.BeginColumn(col, columns, Current);
                float d = u[(long)col * columns + col];
                var wc = blockT.AsSpan(i * rows, rows);
                var err = errT.AsSpan(i * rows, rows);
                for (int r = 0; r < rows; r++)
                {
                    float q = codec.Quantize(r, original, wc[r], out codes[r * columns + original]);
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
}
