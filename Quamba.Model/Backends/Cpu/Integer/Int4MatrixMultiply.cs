using System.Buffers;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// Products with 4-bit group-quantized weights (<see cref="QuantizedInt4Matrix"/>, <c>[N, K]</c>):
/// <list type="bullet">
/// <item>W4A8: int8 activations, <c>out[m, n] = activationScale * sum_g s[n, g] * sum_{k in g} a[m, k] * (code[n, k] - 8)</c>.
/// Each group's sum is exact int32; the float accumulation over groups is the same sequence of operations
/// in every path, so all paths give bit-identical floats.</item>
/// <item>W4A16: float activations, weights dequantised on the fly; float sums (paths differ only in rounding order).</item>
/// </list>
/// Codes are unpacked inside the inner loop; work is split over blocks of output rows.
/// </summary>
public static unsafe class Int4MatrixMultiply
{
    private static readonly IntegerKernelPath[] W4A8Preference =
        [IntegerKernelPath.AvxVnni, IntegerKernelPath.Avx512, IntegerKernelPath.Avx2, IntegerKernelPath.Portable];

    private static readonly IntegerKernelPath[] W4A16Preference =
        [IntegerKernelPath.Avx512, IntegerKernelPath.Avx2, IntegerKernelPath.Portable];

    public static string SelectedW4A8Path => IntegerKernelPaths.Resolve(IntegerKernelPath.Auto, W4A8Preference, "W4A8").ToString();
    public static string SelectedW4A16Path => IntegerKernelPaths.Resolve(IntegerKernelPath.Auto, W4A16Preference, "W4A16").ToString();

    /// <summary>W4A8 GEMM (GEMV with rows = 1): activations <c>[rows, K]</c> int8 with one scale, output <c>[rows, N]</c>.</summary>
    public static void MultiplyW4A8(ReadOnlySpan<sbyte> activations, int rows, float activationScale, QuantizedInt4Matrix weights, Span<float> output) =>
        MultiplyW4A8(activations, rows, activationScale, weights, output, IntegerKernelPath.Auto);

    /// <summary>W4A16 GEMM (GEMV with rows = 1): float activations <c>[rows, K]</c>, output <c>[rows, N]</c>.</summary>
    public static void MultiplyW4A16(ReadOnlySpan<float> activations, int rows, QuantizedInt4Matrix weights, Span<float> output) =>
        MultiplyW4A16(activations, rows, weights, output, IntegerKernelPath.Auto);

    internal static void MultiplyW4A8(ReadOnlySpan<sbyte> activations, int rows, float activationScale, QuantizedInt4Matrix weights,
        Span<float> output, IntegerKernelPath path)
    {
        CheckShapes(activations.Length, rows, weights, output.Length);
        if (!float.IsFinite(activationScale))
            throw new ArgumentOutOfRangeException(nameof(activationScale), activationScale, "The activation scale must be finite.");
        path = IntegerKernelPaths.Resolve(path, W4A8Preference, "W4A8");
        int k = weights.Columns, groups = weights.GroupsPerRow, gs = weights.GroupSize;

        // Per activation row and group: sum of a, to centre the unsigned codes (sum a (code - 8) = sum a code - 8 sum a).
        int[] groupSums = ArrayPool<int>.Shared.Rent(rows * groups);
        // The x86 paths read activations split into even/odd columns per block (W4A8ActivationSplit).
        bool split = path is IntegerKernelPath.AvxVnni or IntegerKernelPath.Avx512 or IntegerKernelPath.Avx2;
        sbyte[]? splitActivations = split ? ArrayPool<sbyte>.Shared.Rent(rows * k) : null;
        try
        {
            for (int m = 0; m < rows; m++)
                for (int g = 0; g < groups; g++)
                {
                    int s = 0, end = Math.Min(k, (g + 1) * gs);
                    for (int i = g * gs; i < end; i++) s += activations[m * k + i];
                    groupSums[m * groups + g] = s;
                }
            fixed (sbyte* natural = activations)
            fixed (sbyte* splitBase = splitActivations)
            fixed (byte* packed = weights.Packed)
            fixed (float* scales = weights.Scales)
            fixed (int* sums = groupSums)
            fixed (float* c = output)
            {
                sbyte* a = natural;
                if (split)
                {
                    for (int m = 0; m < rows; m++)
                        W4A8ActivationSplit.Split(natural + (nint)m * k, splitBase + (nint)m * k, k, gs, wide: path == IntegerKernelPath.Avx512);
                    a = splitBase;
                }
                var job = new W4A8Job(a, sums, packed, scales, c, rows, weights, activationScale, path);
                RowBlockScheduler.Run(weights.Rows, (long)rows * weights.Rows * k,
                    RowBlockScheduler.RowsPerBlock(weights.Rows, weights.BytesPerRow), job.Rows);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(groupSums);
            if (splitActivations is not null) ArrayPool<sbyte>.Shared.Return(splitActivations);
        }
    }

    internal static void MultiplyW4A16(ReadOnlySpan<float> activations, int rows, QuantizedInt4Matrix weights, Span<float> output, IntegerKernelPath path)
    {
        CheckShapes(activations.Length, rows, weights, output.Length);
        path = IntegerKernelPaths.Resolve(path, W4A16Preference, "W4A16");
        fixed (float* a = activations)
        fixed (byte* packed = weights.Packed)
        fixed (float* scales = weights.Scales)
        fixed (float* c = output)
        {
            var job = new W4A16Job(a, packed, scales, c, rows, weights, path);
            RowBlockScheduler.Run(weights.Rows, (long)rows * weights.Rows * weights.Columns,
                RowBlockScheduler.RowsPerBlock(weights.Rows, weights.BytesPerRow), job.Rows);
        }
    }

    private static void CheckShapes(int activationLength, int rows, QuantizedInt4Matrix weights, int outputLength)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (activationLength != (long)rows * weights.Columns)
            throw new ArgumentException($"activations has {activationLength} values; expected rows ({rows}) x K ({weights.Columns}).", "activations");
        if (outputLength != (long)rows * weights.Rows)
            throw new ArgumentException($"output has {outputLength} values; expected rows ({rows}) x N ({weights.Rows}).", "output");
        if (weights.Columns > Int8MatrixMultiply.MaxInnerDimension)
            throw new ArgumentException($"K = {weights.Columns} exceeds {Int8MatrixMultiply.MaxInnerDimension}; split the inner dimension.", nameof(weights));
    }

    private sealed class W4A8Job(sbyte* a, int* groupSums, byte* packed, float* scales, float* c, int m, QuantizedInt4Matrix w, float activationScale, IntegerKernelPath path)
    {
        private readonly int _n = w.Rows, _k = w.Columns, _gs = w.GroupSize, _groups = w.GroupsPerRow, _bytesPerRow = w.BytesPerRow;

        public void Rows(int n0, int n1)
        {
            bool fourRows = path is IntegerKernelPath.AvxVnni or IntegerKernelPath.Avx512 or IntegerKernelPath.Avx2;
            int* dots = stackalloc int[4];
            float* totals = stackalloc float[4];
            for (int row = 0; row < m; row++)
            {
                sbyte* ar = a + (nint)row * _k;
                int* sums = groupSums + (nint)row * _groups;
                float* cr = c + (nint)row * _n;
                int j = n0;
                if (fourRows)
                {
                    for (; j + 4 <= n1; j += 4)
                    {
                        byte* pj = packed + (nint)j * _bytesPerRow;
                        for (int t = 0; t < 4; t++) totals[t] = 0;
                        for (int g = 0; g < _groups; g++)
                        {
                            int c0 = g * _gs, len = Math.Min(_gs, _k - c0);
                            switch (path)
                            {
                                case IntegerKernelPath.AvxVnni: W4A8SplitGroupDot.AvxVnniFourRows(ar + c0, pj + c0 / 2, _bytesPerRow, len, dots); break;
                                case IntegerKernelPath.Avx512: W4A8SplitGroupDot.Avx512FourRows(ar + c0, pj + c0 / 2, _bytesPerRow, len, dots); break;
                                default: W4A8SplitGroupDot.Avx2FourRows(ar + c0, pj + c0 / 2, _bytesPerRow, len, dots); break;
                            }
                            for (int t = 0; t < 4; t++)
                                totals[t] += scales[(nint)(j + t) * _groups + g] * (dots[t] - 8 * sums[g]); // the one float sequence
                        }
                        for (int t = 0; t < 4; t++) cr[j + t] = totals[t] * activationScale;
                    }
                }
                for (; j < n1; j++) cr[j] = SingleRow(ar, sums, j) * activationScale;
            }
        }

        private float SingleRow(sbyte* ar, int* sums, int j)
        {
            byte* pj = packed + (nint)j * _bytesPerRow;
            float* sj = scales + (nint)j * _groups;
            float total = 0;
            for (int g = 0; g < _groups; g++)
            {
                int c0 = g * _gs, len = Math.Min(_gs, _k - c0);
                int dot = path switch
                {
                    IntegerKernelPath.AvxVnni => W4A8SplitGroupDot.AvxVnniOneRow(ar + c0, pj + c0 / 2, len),
                    IntegerKernelPath.Avx512 => W4A8SplitGroupDot.Avx512OneRow(ar + c0, pj + c0 / 2, len),
                    IntegerKernelPath.Avx2 => W4A8SplitGroupDot.Avx2OneRow(ar + c0, pj + c0 / 2, len),
                    IntegerKernelPath.Portable => W4A8GroupDot.Portable(ar + c0, pj + c0 / 2, len),
                    _ => W4A8GroupDot.Scalar(ar + c0, pj + c0 / 2, len),
                };
                total += sj[g] * (dot - 8 * sums[g]); // the same float operations in every path
            }
            return total;
        }
    }

    private sealed class W4A16Job(float* a, byte* packed, float* scales, float* c, int m, QuantizedInt4Matrix w, IntegerKernelPath path)
    {
        private readonly int _n = w.Rows, _k = w.Columns, _gs = w.GroupSize, _groups = w.GroupsPerRow, _bytesPerRow = w.BytesPerRow;

        public void Rows(int n0, int n1)
        {
            bool fourRows = path is IntegerKernelPath.Avx512 or IntegerKernelPath.Avx2;
            for (int row = 0; row < m; row++)
            {
                float* ar = a + (nint)row * _k;
                float* cr = c + (nint)row * _n;
                int j = n0;
                if (fourRows)
                {
                    for (; j + 4 <= n1; j += 4)
                    {
                        byte* pj = packed + (nint)j * _bytesPerRow;
                        float* sj = scales + (nint)j * _groups;
                        if (path == IntegerKernelPath.Avx512) W4A16GroupDot.Avx512FourRows(ar, pj, _bytesPerRow, sj, _groups, _k, _gs, cr + j);
                        else W4A16GroupDot.Avx2FourRows(ar, pj, _bytesPerRow, sj, _groups, _k, _gs, cr + j);
                    }
                }
                for (; j < n1; j++)
                {
                    byte* pj = packed + (nint)j * _bytesPerRow;
                    float* sj = scales + (nint)j * _groups;
                    cr[j] = path switch
                    {
                        IntegerKernelPath.Avx512 => W4A16GroupDot.Avx512(ar, pj, sj, _k, _gs),
                        IntegerKernelPath.Avx2 => W4A16GroupDot.Avx2(ar, pj, sj, _k, _gs),
                        IntegerKernelPath.Portable => W4A16GroupDot.Portable(ar, pj, sj, _k, _gs),
                        _ => W4A16GroupDot.Scalar(ar, pj, sj, _k, _gs),
                    };
                }
            }
        }
    }
}
