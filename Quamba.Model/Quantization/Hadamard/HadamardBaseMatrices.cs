namespace Quamba.Model.Quantization.Hadamard;

/// <summary>
/// The fixed non-power-of-two Hadamard matrices (entries +-1, <c>H H^T = m I</c>) that the Kronecker
/// construction <c>H_m (x) W_{2^k}</c> builds on: orders 12, 20, 28 and 40.
/// </summary>
/// <remarks>
/// Constructions: 12 = Paley I (q = 11), 20 = Paley I (q = 19), 28 = Paley II (q = 13),
/// 40 = Sylvester doubling of the order-20 matrix. Each matrix is checked (<c>H H^T = m I</c>, exactly, in
/// integers) when first built, so a construction bug cannot produce a non-orthogonal transform.
/// </remarks>
public static class HadamardBaseMatrices
{
    /// <summary>The base orders the Kronecker construction supports, in the order they are tried.</summary>
    /// <remarks>Tried 28, 40, 20, 12, the same preference as the Quamba reference (so 2560 = 40 x 64, not 20 x 128).</remarks>
    public static ReadOnlySpan<int> Orders => [28, 40, 20, 12];

    private static readonly Lazy<sbyte[]> H12 = new(() => Verified(PaleyOne(11), 12));
    private static readonly Lazy<sbyte[]> H20 = new(() => Verified(PaleyOne(19), 20));
    private static readonly Lazy<sbyte[]> H28 = new(() => Verified(PaleyTwo(13), 28));
    private static readonly Lazy<sbyte[]> H40 = new(() => Verified(SylvesterDouble(Get(20), 20), 40));

    /// <summary>
    /// m / 2 when H_m is the Sylvester double <c>[[H, H], [H, -H]] = H_2 (x) H_{m/2}</c> (m = 40), else 0. The
    /// transforms apply such an H_m as a butterfly across the two halves, then H_{m/2} on each half.
    /// </summary>
    public static int HalfOrderOfDouble(int order) => order == 40 ? 20 : 0;

    /// <summary>The order-<paramref name="order"/> matrix, row-major, entries +-1. A copy is not made: do not modify.</summary>
    public static ReadOnlySpan<sbyte> Get(int order) => order switch
    {
        12 => H12.Value,
        20 => H20.Value,
        28 => H28.Value,
        40 => H40.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Base Hadamard orders are 12, 20, 28 and 40."),
    };

    /// <summary>Quadratic character of a mod prime q: 0, +1 (non-zero square) or -1.</summary>
    private static int Chi(int a, int q)
    {
        a = ((a % q) + q) % q;
        if (a == 0) return 0;
        for (int x = 1; x < q; x++)
            if (x * x % q == a) return 1;
        return -1;
    }

    /// <summary>Jacobsthal matrix Q[i, j] = chi(j - i) over GF(q), q prime.</summary>
    private static int[,] Jacobsthal(int q)
    {
        var m = new int[q, q];
        for (int i = 0; i < q; i++)
            for (int j = 0; j < q; j++)
                m[i, j] = Chi(j - i, q);
        return m;
    }

    /// <summary>
    /// Paley I, q prime with q = 3 mod 4: <c>H = I + S</c>, <c>S = [[0, 1^T], [-1, Q]]</c> skew-symmetric with
    /// <c>S S^T = q I</c>, so <c>H H^T = (q + 1) I</c>. Order q + 1.
    /// </summary>
    private static sbyte[] PaleyOne(int q)
    {
        if (q % 4 != 3) throw new InvalidOperationException($"Paley I needs q = 3 mod 4; got {q}.");
        int n = q + 1;
        var jac = Jacobsthal(q);
        var h = new sbyte[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int s = i == 0 ? (j == 0 ? 0 : 1) : j == 0 ? -1 : jac[i - 1, j - 1];
                h[i * n + j] = (sbyte)(s + (i == j ? 1 : 0));
            }
        return h;
    }

    /// <summary>
    /// Paley II, q prime with q = 1 mod 4: the symmetric conference matrix <c>C = [[0, 1^T], [1, Q]]</c>
    /// (<c>C C^T = q I</c>) with each 0 replaced by <c>[[1, -1], [-1, -1]]</c> and each +-1 by
    /// <c>+-[[1, 1], [1, -1]]</c>. Order 2 (q + 1).
    /// </summary>
    private static sbyte[] PaleyTwo(int q)
    {
        if (q % 4 != 1) throw new InvalidOperationException($"Paley II needs q = 1 mod 4; got {q}.");
        int c = q + 1, n = 2 * c;
        var jac = Jacobsthal(q);
        var h = new sbyte[n * n];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
            {
                int e = i == 0 ? (j == 0 ? 0 : 1) : j == 0 ? 1 : jac[i - 1, j - 1];
                ReadOnlySpan<int> block = e == 0 ? [1, -1, -1, -1] : [e, e, e, -e];
                for (int a = 0; a < 2; a++)
                    for (int b = 0; b < 2; b++)
                        h[(2 * i + a) * n + 2 * j + b] = (sbyte)block[a * 2 + b];
            }
        return h;
    }

    /// <summary>Sylvester doubling <c>[[H, H], [H, -H]]</c>: order 2m.</summary>
    private static sbyte[] SylvesterDouble(ReadOnlySpan<sbyte> h, int m)
    {
        int n = 2 * m;
        var d = new sbyte[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int v = h[(i % m) * m + j % m];
                d[i * n + j] = (sbyte)(i >= m && j >= m ? -v : v);
            }
        return d;
    }

    private static sbyte[] Verified(sbyte[] h, int n)
    {
        if (h.Length != n * n) throw new InvalidOperationException($"Hadamard construction of order {n} has {h.Length} entries.");
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int dot = 0;
                for (int k = 0; k < n; k++) dot += h[i * n + k] * h[j * n + k];
                if (dot != (i == j ? n : 0))
                    throw new InvalidOperationException($"Hadamard construction of order {n} is not orthogonal: row {i} . row {j} = {dot}.");
            }
        return h;
    }
}
