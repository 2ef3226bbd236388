using System.Numerics.Tensors;

namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// Accumulates GPTQ's layer Hessian from calibration activations: <c>H = (2 / N) * sum_t x_t x_t^T</c> over all
/// N activation rows seen (the input of the linear layer, <c>[tokens, Columns]</c> per call).
/// </summary>
/// <remarks>
/// Dividing by N (the running mean, as the reference GPTQ does) only rescales H: GPTQ's result is invariant
/// to the scale of H because the dampening is relative to the mean diagonal. Accumulated in double; each
/// call's <c>X^T X</c> is formed with float dot products over that call's rows.
/// </remarks>
public sealed class HessianAccumulator
{
    private readonly double[] _sum; // upper triangle (j >= i) of sum_t x_t x_t^T

    public HessianAccumulator(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        Columns = columns;
        _sum = new double[(long)columns * columns];
    }

    public int Columns { get; }

    /// <summary>Activation rows (tokens) accumulated so far: N.</summary>
    public long RowCount { get; private set; }

    /// <summary>Adds <paramref name="rows"/> activation rows <c>[rows, Columns]</c>, row-major.</summary>
    public void Add(ReadOnlySpan<float> activations, int rows)
    {
        if (rows < 1 || activations.Length != (long)rows * Columns)
            throw new ArgumentException($"activations has {activations.Length} elements; expected rows ({rows}) x columns ({Columns}), rows >= 1.", nameof(activations));
        int n = Columns;
        var t = new float[(long)n * rows]; // X^T: column i of X becomes a contiguous row
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < n; i++)
            {
                float v = activations[r * n + i];
                if (!float.IsFinite(v))
                    throw new ArgumentException($"activations[{r}, {i}] is {v}; calibration activations must be finite.", nameof(activations));
                t[(long)i * rows + r] = v;
            }

        const int Block = 32; // rows of X^T per tile: two tiles of X^T stay in cache while dotted
        int blocks = (n + Block - 1) / Block;
        Parallel.For(0, blocks, bi =>
        {
            int i0 = bi * Block, i1 = Math.Min(n, i0 + Block);
            for (int j0 = i0; j0 < n; j0 += Block)
            {
                int j1 = Math.Min(n, j0 + Block);
                for (int i = i0; i < i1; i++)
                {
                    var xi = t.AsSpan(i * rows, rows);
                    for (int j = Math.Max(i, j0); j < j1; j++)
                        _sum[(long)i * n + j] += TensorPrimitives.Dot(xi, t.AsSpan(j * rows, rows));
                }
            }
        });
        RowCount += rows;
    }

    /// <summary>The full symmetric Hessian <c>[Columns, Columns]</c>, row-major, <c>(2 / N) X^T X</c>.</summary>
    public double[] GetHessian()
    {
        if (RowCount == 0)
            throw new InvalidOperationException("No activations were added; call Add with calibration activations before GetHessian.");
        int n = Columns;
        double scale = 2.0 / RowCount;
        var h = new double[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double v = _sum[(long)i * n + j] * scale;
                h[(long)i * n + j] = v;
                h[(long)j * n + i] = v;
            }
        return h;
    }
}
