namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// GPTQ's preparation of the layer Hessian: dead inputs (zero diagonal: always-zero inputs, whose weights are set to 0
/// and whose diagonal becomes 1), the column order (original, or decreasing diagonal for act-order), dampening by a
/// fraction of the mean diagonal, and U, the upper Cholesky factor of the permuted <c>H^{-1}</c>.
/// </summary>
internal sealed class GptqHessian
{
    private GptqHessian(int[] order, float[] diagonal, float[] u)
    {
        Order = order;
        Diagonal = diagonal;
        U = u;
    }

    /// <summary>Solver column i is original column <c>Order[i]</c>.</summary>
    public int[] Order { get; }

    /// <summary>
    /// The diagonal of the dampened H that GPTQ minimises the error on, in the original column order (dead inputs: their
    /// weights are 0 whatever it says): the scale search's per-column importance.
    /// </summary>
    public float[] Diagonal { get; }

    /// <summary><c>H_perm^{-1} = U^T U</c>, U upper, float, row-major, in solver order.</summary>
    public float[] U { get; }

    /// <summary>Checks and prepares <paramref name="hessian"/> <c>[columns, columns]</c>; zeroes W's dead columns.</summary>
    public static GptqHessian Prepare(double[] hessian, float[] w, int rows, int columns, GptqOptions options)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        int n = columns;
        if (hessian.Length != (long)n * n)
            throw new ArgumentException($"hessian has {hessian.Length} entries; expected columns^2 = {(long)n * n} (the weight's input width is {n}).", nameof(hessian));
        var diagonal = new float[n];
        var fixedDiagonal = new double[n];
        for (int i = 0; i < n; i++)
        {
            double v = hessian[i * n + i];
            if (!double.IsFinite(v) || v < 0)
                throw new ArgumentException($"hessian[{i}, {i}] is {v}; a Hessian X^T X has finite non-negative diagonal entries.", nameof(hessian));
            fixedDiagonal[i] = v == 0 ? 1 : v;
            if (v == 0)
                for (int r = 0; r < rows; r++) w[r * columns + i] = 0; // an input that is always zero: its weights cannot matter
        }
        // Stable: equal diagonals keep their original order.
        int[] order = options.ActOrder
            ? Enumerable.Range(0, n).OrderByDescending(i => fixedDiagonal[i]).ToArray()
            : Enumerable.Range(0, n).ToArray();

        var h = new double[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                h[i * n + j] = i == j ? fixedDiagonal[order[i]] : hessian[order[i] * n + order[j]];
        double damp = options.DampeningFraction * fixedDiagonal.Average();
        for (int i = 0; i < n; i++) diagonal[i] = (float)(fixedDiagonal[i] + damp);
        for (int i = 0; i < n; i++) h[i * n + i] += damp;

        const string Fix = "raise GptqOptions.DampeningFraction (e.g. 0.1) or calibrate with more activation rows than input columns";
        if (!Cholesky.TryFactorLower(h, n, out double[] l))
            throw new InvalidOperationException($"GPTQ: the dampened Hessian ({options.DampeningFraction:P1} of the mean diagonal) is not positive definite; {Fix}.");
        double[] inverse = Cholesky.InverseFromLower(l, n);
        if (!Cholesky.TryFactorLower(inverse, n, out double[] l2))
            throw new InvalidOperationException($"GPTQ: the inverse Hessian is not numerically positive definite; {Fix}.");

        var u = new float[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
                u[i * n + j] = (float)l2[j * n + i]; // U = L2^T
        return new GptqHessian(order, diagonal, u);
    }
}
