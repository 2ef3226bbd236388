using System.Numerics;
using System.Numerics.Tensors;
using Quamba.Kernels.Mamba;

namespace Quamba.Model.Quantization.Hadamard;

/// <summary>
/// The orthonormal Hadamard rotation <c>M_n = H_n / sqrt(n)</c> for <c>n = 2^k</c> or <c>n = m * 2^k</c>,
/// m in {12, 20, 28, 40}, with <c>H_n = H_m (x) W_{2^k}</c> (Kronecker product of a fixed base matrix
/// and the Walsh-Hadamard matrix). Because <c>M M^T = I</c>, <c>(x M)(W M)^T = x W^T</c>: fuse M into a
/// weight's input dimension offline (<see cref="TransformRows"/> on W) and apply it online to the activation.
/// </summary>
/// <remarks>
/// Index convention: element <c>i = a * 2^k + b</c> (a &lt; m, b &lt; 2^k), so
/// <c>H_n[i, j] = H_m[a_i, a_j] * W[b_i, b_j]</c>. The row transform <c>y = x M</c> is the FWHT on each of the
/// m contiguous length-2^k segments, then the dense m x m product across segments, then the 1/sqrt(n) scale.
/// M is symmetric only for powers of two; <c>x M</c> (a row vector times M) is the one direction used everywhere.
/// </remarks>
public sealed class HadamardTransform
{
    private readonly float[] _base; // H_m as floats, row-major; empty when m == 1
    private readonly float[] _dense; // the dense step's matrix: H_m, or H_{m/2} when H_m is a Sylvester double
    private readonly int _denseOrder;
    private readonly float _normalisation;

    private HadamardTransform(int size, int baseOrder)
    {
        Size = size;
        BaseOrder = baseOrder;
        WalshSize = size / baseOrder;
        _normalisation = (float)(1.0 / Math.Sqrt(size));
        _base = baseOrder == 1 ? [] : Floats(HadamardBaseMatrices.Get(baseOrder));
        int half = HadamardBaseMatrices.HalfOrderOfDouble(baseOrder);
        _denseOrder = half > 0 ? half : baseOrder;
        _dense = half > 0 ? Floats(HadamardBaseMatrices.Get(half)) : _base;
    }

    private static float[] Floats(ReadOnlySpan<sbyte> h)
    {
        var f = new float[h.Length];
        for (int i = 0; i < h.Length; i++) f[i] = h[i];
        return f;
    }

    /// <summary>n, the length of the vectors transformed.</summary>
    public int Size { get; }

    /// <summary>m: 1 for a power of two, else 12, 20, 28 or 40.</summary>
    public int BaseOrder { get; }

    /// <summary>2^k = Size / BaseOrder.</summary>
    public int WalshSize { get; }

    /// <summary>Whether a Hadamard rotation of width <paramref name="size"/> can be built.</summary>
    public static bool IsSupported(int size) => TryDecompose(size, out _);

    /// <summary>Builds the rotation for width <paramref name="size"/>.</summary>
    /// <exception cref="ArgumentException">No construction exists for this width.</exception>
    public static HadamardTransform Create(int size)
    {
        if (!TryDecompose(size, out int baseOrder))
            throw new ArgumentException(
                $"No Hadamard construction for width {size}. Supported widths are 2^k and m * 2^k with m in {{12, 20, 28, 40}} " +
                "(e.g. 384 = 12 x 32, 1536 = 12 x 128, 2560 = 40 x 64, 5120 = 40 x 128). Pad or split the dimension to such a width.",
                nameof(size));
        return new HadamardTransform(size, baseOrder);
    }

    private static bool TryDecompose(int size, out int baseOrder)
    {
        baseOrder = 0;
        if (size < 1) return false;
        if (BitOperations.IsPow2(size))
        {
            baseOrder = 1;
            return true;
        }
        foreach (int m in HadamardBaseMatrices.Orders)
            if (size % m == 0 && BitOperations.IsPow2(size / m))
            {
                baseOrder = m;
                return true;
            }
        return false;
    }

    /// <summary><c>x &lt;- x M</c> in place; <paramref name="row"/> has length <see cref="Size"/>.</summary>
    public void Apply(Span<float> row)
    {
        if (row.Length != Size)
            throw new ArgumentException($"Row has length {row.Length}; this Hadamard transform has width {Size}.", nameof(row));
        ApplyCore(row, Scratch());
    }

    /// <summary>
    /// Applies <c>x &lt;- x M</c> to each row of a row-major <c>[rows, Size]</c> matrix. On a weight W
    /// (rows = outputs, Size = inputs) this fuses M into its input dimension: <c>W' = W M</c>.
    /// </summary>
    public void TransformRows(Span<float> matrix, int rows)
    {
        if (rows < 0 || (long)rows * Size != matrix.Length)
            throw new ArgumentException($"Matrix has {matrix.Length} elements; expected rows ({rows}) x width ({Size}).", nameof(matrix));
        float[] scratch = Scratch();
        for (int r = 0; r < rows; r++) ApplyCore(matrix.Slice(r * Size, Size), scratch);
    }

    /// <summary>
    /// Fuses M into the output dimension of a row-major weight <c>[Size, columns]</c>: <c>W' = M^T W</c>,
    /// so that <c>x W'^T = (x W^T) M</c> (the output comes out rotated).
    /// </summary>
    public void TransformColumns(Span<float> matrix, int columns)
    {
        if (columns < 0 || (long)columns * Size != matrix.Length)
            throw new ArgumentException($"Matrix has {matrix.Length} elements; expected width ({Size}) x columns ({columns}).", nameof(matrix));
        var column = new float[Size];
        float[] scratch = Scratch();
        for (int c = 0; c < columns; c++)
        {
            for (int r = 0; r < Size; r++) column[r] = matrix[r * columns + c];
            ApplyCore(column, scratch);
            for (int r = 0; r < Size; r++) matrix[r * columns + c] = column[r];
        }
    }

    /// <summary>The dense <c>[Size, Size]</c> row-major matrix M (for tests and offline fusion by matmul).</summary>
    public float[] BuildMatrix()
    {
        int n = Size, w = WalshSize;
        var m = new float[n * n];
        double norm = 1.0 / Math.Sqrt(n);
        for (int i = 0; i < n; i++)
        {
            int ai = i / w, bi = i % w;
            for (int j = 0; j < n; j++)
            {
                int aj = j / w, bj = j % w;
                float hm = BaseOrder == 1 ? 1 : _base[ai * BaseOrder + aj];
                m[i * n + j] = (float)(hm * WalshHadamard.Entry(bi, bj) * norm);
            }
        }
        return m;
    }

    // Per-thread scratch for the m x m step, so the online per-token transform does not allocate.
    [ThreadStatic] private static float[]? t_scratch;

    private float[] Scratch()
    {
        // The outputs (Size floats), then the dense step's combinations (2 per element of a half) and its 4 group sums.
        int length = 3 * Size + 4 * WalshSize;
        var s = t_scratch;
        if (s is null || s.Length < length) t_scratch = s = new float[length];
        return s;
    }

    /// <summary>
    /// The operation order every implementation follows bit for bit (the GPU kernels and their reference too): the
    /// Walsh-Hadamard butterflies of each segment (stages h = 1, 2, 4, ...); for a Sylvester double H_m = H_2 (x) H_{m/2}
    /// one more butterfly (i, i + n/2) across the halves; the dense product with H_m (or H_{m/2} on each half) in groups
    /// of four inputs (<see cref="DenseProduct"/>); then the multiply by 1/sqrt(n).
    /// </summary>
    private void ApplyCore(Span<float> row, float[] scratch)
    {
        int w = WalshSize, m = BaseOrder;
        for (int a = 0; a < m; a++) WalshHadamard.Transform(row.Slice(a * w, w));
        if (m > 1)
        {
            var y = scratch.AsSpan(0, Size);
            if (_denseOrder != m)
            {
                // H_2 (x) H_{m/2}: (u, v) = (lower + upper, lower - upper), then H_{m/2} on each half (m/2 + 1 instead of m adds per element).
                int half = Size / 2;
                Span<float> lower = row[..half], upper = row[half..], sums = y[..half];
                TensorPrimitives.Add(lower, upper, sums);
                TensorPrimitives.Subtract(lower, upper, upper);
                sums.CopyTo(lower);
                DenseProduct(lower, y[..half], scratch.AsSpan(Size));
                DenseProduct(upper, y[half..], scratch.AsSpan(Size));
            }
            else
            {
                DenseProduct(row, y, scratch.AsSpan(Size));
            }
            TensorPrimitives.Multiply(y, _normalisation, row);
        }
        else
        {
            TensorPrimitives.Multiply(row, _normalisation, row);
        }
    }

    /// <summary>
    /// <c>y[c, :] = sum_a D[a, c] z[a, :]</c> with D the dense step's matrix (order m' = 12, 20 or 28), vectorised over the
    /// contiguous 2^k axis, in groups of four inputs: group g's 8 signed sums <c>z0 +- z1 +- z2 +- z3</c> (a = 4g ..
    /// 4g + 3) are formed once, as <c>A +- B</c> with <c>A = z0 +- z1</c>, <c>B = z2 +- z3</c> (12 adds for 8 sums), and
    /// each output adds one of them per group, signed, in order of g: m'/4 adds per output instead of m'. The GPU kernels
    /// unroll exactly these operations with the signs compiled in (<see cref="HadamardGrouping"/>).
    /// </summary>
    private void DenseProduct(ReadOnlySpan<float> z, Span<float> y, Span<float> scratch)
    {
        int w = WalshSize, m = _denseOrder, groups = m / HadamardGrouping.GroupSize;
        var combinations = scratch[..(groups * HadamardGrouping.Combinations * w)];
        var sums = scratch.Slice(combinations.Length, 4 * w);
        for (int g = 0; g < groups; g++)
        {
            var z0 = z.Slice(4 * g * w, w);
            var z1 = z.Slice((4 * g + 1) * w, w);
            var z2 = z.Slice((4 * g + 2) * w, w);
            var z3 = z.Slice((4 * g + 3) * w, w);
            Span<float> plus01 = sums[..w], minus01 = sums.Slice(w, w), plus23 = sums.Slice(2 * w, w), minus23 = sums.Slice(3 * w, w);
            TensorPrimitives.Add(z0, z1, plus01);
            TensorPrimitives.Subtract(z0, z1, minus01);
            TensorPrimitives.Add(z2, z3, plus23);
            TensorPrimitives.Subtract(z2, z3, minus23);
            for (int k = 0; k < HadamardGrouping.Combinations; k++)
            {
                var a = HadamardGrouping.FirstPairDiffers(k) ? minus01 : plus01;
                var b = HadamardGrouping.SecondPairDiffers(k) ? minus23 : plus23;
                var dst = combinations.Slice((g * HadamardGrouping.Combinations + k) * w, w);
                if (HadamardGrouping.PairsDiffer(k)) TensorPrimitives.Subtract(a, b, dst);
                else TensorPrimitives.Add(a, b, dst);
            }
        }
        for (int c = 0; c < m; c++)
        {
            var dst = y.Slice(c * w, w);
            for (int g = 0; g < groups; g++)
            {
                var term = HadamardGrouping.Term(_dense, m, g, c);
                var src = combinations.Slice((g * HadamardGrouping.Combinations + term.Combination) * w, w);
                if (g == 0)
                {
                    if (term.Negative) TensorPrimitives.Negate(src, dst);
                    else src.CopyTo(dst);
                }
                else if (term.Negative) TensorPrimitives.Subtract(dst, src, dst);
                else TensorPrimitives.Add(dst, src, dst);
            }
        }
    }
}
