namespace Quamba.Kernels.Mamba;

/// <summary>
/// The base Hadamard matrices of orders 12, 20, 28 and 40 (entries +-1, <c>H H^T = m I</c>) that the online
/// Hadamard kernels use, row-major. They are built exactly as Quamba.Model's <c>HadamardBaseMatrices</c> builds
/// them (12, 20: Paley I with q = 11, 19; 28: Paley II with q = 13; 40: Sylvester doubling of 20), and a test in
/// Quamba.Tests asserts the two agree entry for entry, so a rotation fused offline into a weight by the model and
/// the one applied online by a kernel are the same matrix.
/// </summary>
public static class HadamardTables
{
    /// <summary>The order-<paramref name="order"/> matrix as +-1 floats, row-major (a new array; the kernels' input).</summary>
    public static float[] Signs(int order)
    {
        var h = Matrix(order);
        var signs = new float[h.Length];
        for (int i = 0; i < h.Length; i++) signs[i] = h[i];
        return signs;
    }

    /// <summary>The order-<paramref name="order"/> matrix, row-major, entries +-1 (a new array); order 1 is [1].</summary>
    public static sbyte[] Matrix(int order) => order switch
    {
        1 => [1],
        12 => Verified(PaleyOne(11), 12),
        20 => Verified(PaleyOne(19), 20),
        28 => Verified(PaleyTwo(13), 28),
        40 => Verified(SylvesterDouble(Matrix(20), 20), 40),
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Base Hadamard orders are 1, 12, 20, 28 and 40."),
    };

    private static int Chi(int a, int q)
    {
        a = ((a % q) + q) % q;
        if (a == 0) return 0;
        for (int x = 1; x < q; x++)
            if (x * x % q == a) return 1;
        return -1;
    }

    // Paley I (q = 3 mod 4): H = I + S, S = [[0, 1^T], [-1, Q]], Q[i, j] = chi(j - i).
    private static sbyte[] PaleyOne(int q)
    {
        int n = q + 1;
        var h = new sbyte[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int s = i == 0 ? (j == 0 ? 0 : 1) : j == 0 ? -1 : Chi(j - i, q);
                h[i * n + j] = (sbyte)(s + (i == j ? 1 : 0));
            }
        return h;
    }

    // Paley II (q = 1 mod 4): conference matrix C = [[0, 1^T], [1, Q]]; 0 -> [[1, -1], [-1, -1]], +-1 -> +-[[1, 1], [1, -1]].
    private static sbyte[] PaleyTwo(int q)
    {
        int c = q + 1, n = 2 * c;
        var h = new sbyte[n * n];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
            {
                int e = i == 0 ? (j == 0 ? 0 : 1) : j == 0 ? 1 : Chi(j - i, q);
                ReadOnlySpan<int> block = e == 0 ? [1, -1, -1, -1] : [e, e, e, -e];
                for (int a = 0; a < 2; a++)
                    for (int b = 0; b < 2; b++)
                        h[(2 * i + a) * n + 2 * j + b] = (sbyte)block[a * 2 + b];
            }
        return h;
    }

    // [[H, H], [H, -H]].
    private static sbyte[] SylvesterDouble(sbyte[] h, int m)
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
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                int dot = 0;
                for (int k = 0; k < n; k++) dot += h[i * n + k] * h[j * n + k];
                if (dot != (i == j ? n : 0)) throw new InvalidOperationException($"Hadamard table of order {n} is not orthogonal (rows {i}, {j}).");
            }
        return h;
    }
}
