using System.Buffers;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// int8 x int8 -> int32 matrix products: <c>C[m, n] = sum_k A[m, k] * W[n, k]</c> with activations A
/// <c>[M, K]</c>, weights W <c>[N, K]</c> (a linear layer's <c>[out, in]</c>), row-major; exact integer arithmetic.
/// </summary>
/// <remarks>
/// Path (Auto): AVX-VNNI, else AVX-512 BW, else AVX2, else <see cref="System.Numerics.Vector{T}"/>; every path
/// gives bit-identical results. Work is split over blocks of output rows (Parallel.For); small products run on
/// the calling thread.
/// </remarks>
public static unsafe class Int8MatrixMultiply
{
    /// <summary>The largest K for which no int32 overflow is possible: |sum| &lt;= K * 128 * 128 &lt; 2^31.</summary>
    public const int MaxInnerDimension = 131071;

    private static readonly IntegerKernelPath[] Preference =
        [IntegerKernelPath.AvxVnni, IntegerKernelPath.Avx512, IntegerKernelPath.Avx2, IntegerKernelPath.Portable];

    /// <summary>The path Auto selects on this CPU.</summary>
    public static string SelectedPath => IntegerKernelPaths.Resolve(IntegerKernelPath.Auto, Preference, nameof(Int8MatrixMultiply)).ToString();

    /// <summary>GEMM: <paramref name="activations"/> <c>[rows, K]</c> times weights^T into <paramref name="output"/> <c>[rows, N]</c>.</summary>
    public static void Multiply(ReadOnlySpan<sbyte> activations, int rows, Int8GemmWeights weights, Span<int> output) =>
        Multiply(activations, rows, weights, output, IntegerKernelPath.Auto);

    /// <summary>GEMV: one activation row <c>[K]</c> into <c>[N]</c>.</summary>
    public static void MultiplyVector(ReadOnlySpan<sbyte> activation, Int8GemmWeights weights, Span<int> output) =>
        Multiply(activation, 1, weights, output, IntegerKernelPath.Auto);

    internal static void Multiply(ReadOnlySpan<sbyte> activations, int rows, Int8GemmWeights weights, Span<int> output, IntegerKernelPath path)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        int n = weights.Rows, k = weights.Columns;
        if (activations.Length != (long)rows * k)
            throw new ArgumentException($"activations has {activations.Length} values; expected rows ({rows}) x K ({k}).", nameof(activations));
        if (output.Length != (long)rows * n)
            throw new ArgumentException($"output has {output.Length} values; expected rows ({rows}) x N ({n}).", nameof(output));
        path = IntegerKernelPaths.Resolve(path, Preference, nameof(Int8MatrixMultiply));

        byte[]? biased = null;
        try
        {
            fixed (sbyte* a = activations)
            fixed (sbyte* w = weights.Data)
            fixed (int* rowSums = weights.RowSums)
            fixed (int* c = output)
            {
                if (path == IntegerKernelPath.AvxVnni)
                {
                    biased = ArrayPool<byte>.Shared.Rent(rows * k);
                    fixed (byte* b = biased)
                    {
                        Int8DotAvxVnni.Bias(a, b, rows * k);
                        var job = new Job(a, b, w, rowSums, c, rows, n, k, path);
                        Run(job, rows, n, k);
                    }
                }
                else
                {
                    Run(new Job(a, null, w, rowSums, c, rows, n, k, path), rows, n, k);
                }
            }
        }
        finally
        {
            if (biased is not null) ArrayPool<byte>.Shared.Return(biased);
        }
    }

    private static void Run(Job job, int rows, int n, int k) =>
        RowBlockScheduler.Run(n, (long)rows * n * k, RowBlockScheduler.RowsPerBlock(n, k), job.Rows);

    /// <summary>One call's pinned operands; <see cref="Rows"/> computes output columns [n0, n1) for every activation row.</summary>
    private sealed class Job(sbyte* a, byte* aBiased, sbyte* w, int* rowSums, int* c, int m, int n, int k, IntegerKernelPath path)
    {
        public void Rows(int n0, int n1)
        {
            int row = 0;
            if (path is IntegerKernelPath.AvxVnni or IntegerKernelPath.Avx512 or IntegerKernelPath.Avx2)
                for (; row + 2 <= m; row += 2) RowPair(row, n0, n1);
            for (; row < m; row++) SingleRow(row, n0, n1);
        }

        /// <summary>Activation rows (row, row + 1) with the 2 x 4 micro-kernels: each weight load feeds two rows.</summary>
        private void RowPair(int row, int n0, int n1)
        {
            sbyte* ar = a + (nint)row * k;
            byte* abr = aBiased + (nint)row * k;
            int* cr = c + (nint)row * n;
            int j = n0;
            for (; j + 4 <= n1; j += 4)
            {
                sbyte* wj = w + (nint)j * k;
                switch (path)
                {
                    case IntegerKernelPath.AvxVnni:
                        Int8DotAvxVnni.Dot2x4Biased(abr, k, wj, k, k, cr + j, n);
                        for (int t = 0; t < 4; t++)
                        {
                            cr[j + t] -= 128 * rowSums[j + t];
                            cr[n + j + t] -= 128 * rowSums[j + t];
                        }
                        break;
                    case IntegerKernelPath.Avx512: Int8DotAvx512.Dot2x4(ar, k, wj, k, k, cr + j, n); break;
                    default: Int8DotAvx2.Dot2x4(ar, k, wj, k, k, cr + j, n); break;
                }
            }
            for (; j < n1; j++)
            {
                cr[j] = Dot1(ar, abr, j);
                cr[n + j] = Dot1(ar + k, abr + k, j);
            }
        }

        private void SingleRow(int row, int n0, int n1)
        {
            int* r4 = stackalloc int[4];
            sbyte* ar = a + (nint)row * k;
            byte* abr = aBiased + (nint)row * k;
            int* cr = c + (nint)row * n;
            int j = n0;
            for (; j + 4 <= n1; j += 4)
            {
                sbyte* wj = w + (nint)j * k;
                switch (path)
                {
                    case IntegerKernelPath.AvxVnni:
                        Int8DotAvxVnni.Dot4Biased(abr, wj, k, k, r4);
                        for (int t = 0; t < 4; t++) r4[t] -= 128 * rowSums[j + t];
                        break;
                    case IntegerKernelPath.Avx512: Int8DotAvx512.Dot4(ar, wj, k, k, r4); break;
                    case IntegerKernelPath.Avx2: Int8DotAvx2.Dot4(ar, wj, k, k, r4); break;
                    case IntegerKernelPath.Portable: Int8DotPortable.Dot4(ar, wj, k, k, r4); break;
                    default: Int8DotScalar.Dot4(ar, wj, k, k, r4); break;
                }
                cr[j] = r4[0];
                cr[j + 1] = r4[1];
                cr[j + 2] = r4[2];
                cr[j + 3] = r4[3];
            }
            for (; j < n1; j++) cr[j] = Dot1(ar, abr, j);
        }

        private int Dot1(sbyte* ar, byte* abr, int j)
        {
            sbyte* wj = w + (nint)j * k;
            return path switch
            {
                IntegerKernelPath.AvxVnni => Int8DotAvxVnni.DotBiased(abr, wj, k) - 128 * rowSums[j],
                IntegerKernelPath.Avx512 => Int8DotAvx512.Dot(ar, wj, k),
                IntegerKernelPath.Avx2 => Int8DotAvx2.Dot(ar, wj, k),
                IntegerKernelPath.Portable => Int8DotPortable.Dot(ar, wj, k),
                _ => Int8DotScalar.Dot(ar, wj, k),
            };
        }
    }
}
