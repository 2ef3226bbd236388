using System.Numerics.Tensors;

namespace Quamba.Model.Quantization.Weights;

/// <summary>Dense symmetric positive definite helpers for GPTQ (row-major, double).</summary>
internal static class Cholesky
{
    /// <summary>
    /// Lower Cholesky factor L with <c>A = L L^T</c> (column-by-column Crout; the rows below the diagonal of a
    /// column are independent and run in parallel). Returns false when A is not positive definite.
    /// </summary>
    public static bool TryFactorLower(double[] a, int n, out double[] lower)
    {
        var l = new double[(long)n * n];
        lower = l;
        for (int j = 0; j < n; j++)
        {
            var rowJ = l.AsSpan(j * n, j);
            double d = a[j * n + j] - TensorPrimitives.Dot<double>(rowJ, rowJ);
            if (!(d > 0) || !double.IsFinite(d)) return false;
            double djj = Math.Sqrt(d);
            l[j * n + j] = djj;
            int col = j;
            void Row(int i) =>
                l[i * n + col] = (a[i * n + col] - TensorPrimitives.Dot<double>(l.AsSpan(i * n, col), l.AsSpan(col * n, col))) / djj;
            if ((long)(n - j - 1) * j < 1 << 16)
                for (int i = j + 1; i < n; i++) Row(i);
            else
                Parallel.For(j + 1, n, Row);
        }
        return true;
    }

    /// <summary>
    /// <c>A^{-1}</c> from the lower factor L of A: with <c>T = L^{-T}</c> (upper, row a of T is column a of
    /// <c>L^{-1}</c>), <c>A^{-1}[a, b] = sum_{k >= max(a, b)} T[a, k] T[b, k]</c>.
    /// </summary>
    public static double[] InverseFromLower(double[] l, int n)
    {
        var t = new double[(long)n * n];
        // Column j of L^{-1} (row j of T): T[j, j] = 1 / L[j, j]; T[j, i] = -(sum_{k=j}^{i-1} L[i, k] T[j, k]) / L[i, i].
        Parallel.For(0, n, j =>
        {
            var tj = t.AsSpan(j * n, n);
            tj[j] = 1.0 / l[j * n + j];
            for (int i = j + 1; i < n; i++)
                tj[i] = -TensorPrimitives.Dot<double>(l.AsSpan(i * n + j, i - j), tj.Slice(j, i - j)) / l[i * n + i];
        });
        var inv = new double[(long)n * n];
        Parallel.For(0, n, a =>
        {
            for (int b = a; b < n; b++)
            {
                double v = TensorPrimitives.Dot<double>(t.AsSpan(a * n + b, n - b), t.AsSpan(b * n + b, n - b));
                inv[a * n + b] = v;
                inv[b * n + a] = v;
            }
        });
        return inv;
    }
}
