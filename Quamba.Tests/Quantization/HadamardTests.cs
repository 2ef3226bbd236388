using Quamba.Model.Quantization.Hadamard;

namespace Quamba.Tests.Quantization;

public class HadamardTests
{
    public static TheoryData<int> Sizes => new(
        1, 2, 4, 64, 512, 12, 20, 28, 40, 24, 56, 80, 160, 384, 768, 1536, 2560, 5120);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatrixIsOrthonormal(int n)
    {
        var t = HadamardTransform.Create(n);
        var m = t.BuildMatrix();
        // M M^T = I. Every row pair for n <= 768; above that (O(n^3)) a fixed spread of 96 rows plus rows at
        // Kronecker block boundaries, against all rows. Dots in double: the only error is the float
        // representation of +-1/sqrt(n) (relative 6e-8), far inside 1e-5.
        IEnumerable<int> rows = n <= 768
            ? Enumerable.Range(0, n)
            : Enumerable.Range(0, 96).Select(i => (int)((long)i * (n - 1) / 95)).Concat([t.WalshSize - 1, t.WalshSize, n - t.WalshSize]).Distinct();
        foreach (int i in rows)
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int k = 0; k < n; k++) dot += (double)m[i * n + k] * m[j * n + k];
                double expected = i == j ? 1 : 0;
                if (Math.Abs(dot - expected) > 1e-5) Assert.Fail($"n = {n}: (M M^T)[{i}, {j}] = {dot}, expected {expected}");
            }
    }

    [Theory]
    [InlineData(12)]
    [InlineData(20)]
    [InlineData(28)]
    [InlineData(40)]
    public void BaseMatricesAreHadamard(int m)
    {
        var h = HadamardBaseMatrices.Get(m);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                int dot = 0;
                for (int k = 0; k < m; k++)
                {
                    Assert.True(h[i * m + k] is 1 or -1);
                    dot += h[i * m + k] * h[j * m + k];
                }
                Assert.Equal(i == j ? m : 0, dot);
            }
    }

    [Theory]
    [InlineData(384, 12)]
    [InlineData(1536, 12)]
    [InlineData(2560, 40)]
    [InlineData(5120, 40)]
    [InlineData(20, 20)]
    [InlineData(56, 28)]
    [InlineData(4096, 1)]
    public void DecomposesWidthsLikeTheReference(int n, int baseOrder) =>
        Assert.Equal(baseOrder, HadamardTransform.Create(n).BaseOrder);

    [Theory]
    [InlineData(64)]
    [InlineData(512)]
    [InlineData(384)]
    [InlineData(1536)]
    [InlineData(2560)]
    [InlineData(224)]
    [InlineData(5120)]
    public void FastTransformEqualsDenseProduct(int n)
    {
        var t = HadamardTransform.Create(n);
        var m = t.BuildMatrix();
        var x = QuantTestData.Gaussian(n, n);
        var y = (float[])x.Clone();
        t.Apply(y);
        // Each output is (1/sqrt n) times a signed sum of all x: log2(2^k) FWHT levels and m additions across
        // blocks, each level adding at most u = 2^-24 times sum |x|, plus the scaling and the float entries of
        // the dense M. Bound (log2(2^k) + m + 2) u sum|x| / sqrt(n); the test allows 2x that.
        double l1 = x.Sum(v => Math.Abs((double)v));
        double tol = 2 * (Math.Log2(t.WalshSize) + t.BaseOrder + 2) * Math.Pow(2, -24) * l1 / Math.Sqrt(n);
        for (int j = 0; j < n; j++)
        {
            double expected = 0;
            for (int i = 0; i < n; i++) expected += (double)x[i] * m[i * n + j];
            if (Math.Abs(y[j] - expected) > tol) Assert.Fail($"n = {n}, j = {j}: fast {y[j]}, dense {expected}, tol {tol}");
        }
    }

    [Theory]
    [InlineData(384)]
    [InlineData(2560)]
    [InlineData(128)]
    public void FusingIntoWeightInputKeepsTheProduct(int n)
    {
        const int rows = 3, outputs = 7;
        var t = HadamardTransform.Create(n);
        var x = QuantTestData.Gaussian(rows * n, 1);
        var w = QuantTestData.Gaussian(outputs * n, 2);
        var expected = QuantTestData.MatMulTransposed(x, rows, w, outputs, n);
        var xr = (float[])x.Clone();
        var wr = (float[])w.Clone();
        t.TransformRows(xr, rows);   // online: x M
        t.TransformRows(wr, outputs); // offline: W M
        var actual = QuantTestData.MatMulTransposed(xr, rows, wr, outputs, n);
        // Rotating both in float perturbs each by ~ (log2 n + m) eps relative to its norm; bound 1e-5 * |x| |w|.
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outputs; o++)
            {
                double tol = 1e-5 * Norm(x, r * n, n) * Norm(w, o * n, n);
                Assert.True(Math.Abs(actual[r * outputs + o] - expected[r * outputs + o]) <= tol,
                    $"({r}, {o}): {actual[r * outputs + o]} vs {expected[r * outputs + o]}");
            }
    }

    [Fact]
    public void FusingIntoWeightOutputRotatesTheOutput()
    {
        const int n = 384, inputs = 5;
        var t = HadamardTransform.Create(n);
        var x = QuantTestData.Gaussian(inputs, 3);
        var w = QuantTestData.Gaussian(n * inputs, 4); // [outputs = n, inputs]
        var y = QuantTestData.MatMulTransposed(x, 1, w, n, inputs).Select(v => (float)v).ToArray();
        t.Apply(y); // (x W^T) M
        var wr = (float[])w.Clone();
        t.TransformColumns(wr, inputs); // M^T W
        var actual = QuantTestData.MatMulTransposed(x, 1, wr, n, inputs);
        double tol = 1e-5 * Norm(x, 0, inputs) * Math.Sqrt(w.Sum(v => (double)v * v));
        for (int j = 0; j < n; j++) Assert.True(Math.Abs(actual[j] - y[j]) <= tol, $"{j}: {actual[j]} vs {y[j]}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(36)]
    [InlineData(100)]
    [InlineData(960)] // 15 x 64
    [InlineData(44)]
    public void UnsupportedWidthIsAClearError(int n)
    {
        Assert.False(HadamardTransform.IsSupported(n));
        var e = Assert.Throws<ArgumentException>(() => HadamardTransform.Create(n));
        Assert.Contains($"width {n}", e.Message);
        Assert.Contains("m * 2^k", e.Message);
    }

    [Fact]
    public void ApplyRejectsWrongLength() =>
        Assert.Throws<ArgumentException>(() => HadamardTransform.Create(64).Apply(new float[32]));

    private static double Norm(float[] v, int start, int count)
    {
        double s = 0;
        for (int i = 0; i < count; i++) s += (double)v[start + i] * v[start + i];
        return Math.Sqrt(s);
    }
}
