namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// Least-squares group scales for fixed 4-bit codes: per row, the scales s minimising the layer-output error
/// <c>(w - sum_g s_g q_g)^T H (w - sum_g s_g q_g)</c> (q_g: the row's centred codes in group g, zero elsewhere), i.e.
/// <c>(Q^T H Q) s = Q^T H w</c>, a groups x groups system. Run after GPTQ has chosen the codes; a row keeps its scales
/// unless the solution is positive and lowers that error, so the result is never worse on it.
/// </summary>
internal static class Int4ScaleRefit
{
    /// <param name="weights">The original float weight [rows, columns].</param>
    /// <param name="hessian">[columns, columns], dampened as GPTQ used it.</param>
    public static QuantizedInt4Matrix Refit(QuantizedInt4Matrix m, ReadOnlySpan<float> weights, double[] hessian)
    {
        int rows = m.Rows, n = m.Columns, gs = m.GroupSize, groups = m.GroupsPerRow;
        var w = weights.ToArray();
        var scales = (float[])m.Scales.Clone();
        Parallel.For(0, rows, () => new RowWork(n, groups), (r, _, work) =>
        {
            var (q, hq, a, b) = (work.Codes, work.HCodes, work.A, work.B);
            for (int c = 0; c < n; c++) q[c] = m.GetCode(r, c) - Int4Quantization.ZeroCode;
            var wr = w.AsSpan(r * n, n);
            // H q_g for every group, then A = Q^T H Q and b = Q^T H w.
            for (int g = 0; g < groups; g++)
            {
                int c0 = g * gs, c1 = Math.Min(n, c0 + gs);
                var hqg = hq.AsSpan(g * n, n);
                for (int i = 0; i < n; i++)
                {
                    double s = 0;
                    for (int c = c0; c < c1; c++) s += hessian[(long)i * n + c] * q[c];
                    hqg[i] = s;
                }
                double bg = 0;
                for (int i = 0; i < n; i++) bg += hqg[i] * wr[i];
                b[g] = bg;
                for (int h = 0; h < groups; h++)
                {
                    double s = 0;
                    for (int c = h * gs; c < Math.Min(n, (h + 1) * gs); c++) s += hqg[c] * q[c];
                    a[g * groups + h] = s;
                }
            }
            var old = new double[groups];
            for (int g = 0; g < groups; g++) old[g] = scales[r * groups + g];
            if (!Solve(a, b, groups, out double[] fitted)) return work;
            // Error up to the constant w^T H w: s^T A s - 2 s^T b.
            if (fitted.Any(s => !(s > 0) || !double.IsFinite(s) || (float)s <= 0)) return work;
            if (Objective(a, b, fitted, groups) >= Objective(a, b, old, groups)) return work;
            for (int g = 0; g < groups; g++) scales[r * groups + g] = (float)fitted[g];
            return work;
        }, _ => { });
        return new QuantizedInt4Matrix(rows, n, gs, m.Packed, scales);
    }

    private sealed class RowWork(int columns, int groups)
    {
        public double[] Codes { get; } = new double[columns];
        public double[] HCodes { get; } = new double[(long)groups * columns];
        public double[] A { get; } = new double[groups * groups];
        public double[] B { get; } = new double[groups];
    }

    private static double Objective(double[] a, double[] b, double[] s, int k)
    {
        double v = 0;
        for (int i = 0; i < k; i++)
        {
            double row = 0;
            for (int j = 0; j < k; j++) row += a[i * k + j] * s[j];
            v += s[i] * row - 2 * s[i] * b[i];
        }
        return v;
    }

    /// <summary>Solves the symmetric system A s = b by Cholesky; false when A is not positive definite (e.g. an all-zero group).</summary>
    private static bool Solve(double[] a, double[] b, int k, out double[] s)
    {
        if (!Cholesky.TryFactorLower(a, k, out double[] l))
        {
            s = [];
            return false;
        }
        var y = new double[k];
        for (int i = 0; i < k; i++)
        {
            double v = b[i];
            for (int j = 0; j < i; j++) v -= l[i * k + j] * y[j];
            y[i] = v / l[i * k + i];
        }
        s = new double[k];
        for (int i = k - 1; i >= 0; i--)
        {
            double v = y[i];
            for (int j = i + 1; j < k; j++) v -= l[j * k + i] * s[j];
            s[i] = v / l[i * k + i];
        }
        return true;
    }
}
