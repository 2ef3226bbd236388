using Quamba.Model.Backends.Cpu;

namespace Quamba.Tests.Model;

/// <summary>CPU primitives against naive loops, on shapes that hit vector bodies and scalar tails.</summary>
public sealed unsafe class CpuKernelTests
{
    private static float[] Random(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 17)]
    [InlineData(4, 4, 16)]
    [InlineData(9, 70, 33)]
    [InlineData(130, 67, 200)]
    [InlineData(2, 300, 768)]
    [InlineData(20, 70, 2100)] // k split into blocks
    public void GemmMatchesNaiveProduct(int m, int n, int k)
    {
        // Strided rows (lda > k etc.) as the models use them.
        int lda = k + 3, ldb = k + 5, ldc = n + 2;
        var a = Random(m * lda, 1);
        var b = Random(n * ldb, 2);
        var c = Random(m * ldc, 3);
        var expected = (float[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)a[i * lda + p] * b[j * ldb + p];
                expected[i * ldc + j] += (float)s;
            }
        foreach (var parallel in new[] { new CpuParallel(1), new CpuParallel(4) })
        {
            var actual = (float[])c.Clone();
            fixed (float* pa = a, pb = b, pc = actual)
                Gemm.MultiplyTransposed(parallel, pa, lda, pb, ldb, pc, ldc, m, n, k, accumulate: true);
            for (int i = 0; i < actual.Length; i++)
                Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + k / 64f), $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Theory]
    [InlineData(16, 64, 40, false, false)]
    [InlineData(13, 70, 9, true, true)]
    [InlineData(64, 128, 256, true, false)]
    [InlineData(4, 32, 3, false, true)]
    [InlineData(7, 48, 1, true, true)]
    public void OuterProductGemmMatchesNaiveProduct(int m, int n, int k, bool transposedA, bool scaled)
    {
        // A(i, s) at a[i * ars + s * acs]; B rows of n floats at stride ldb.
        int ars = transposedA ? 1 : k + 2, acs = transposedA ? m + 3 : 1, ldb = n + 5, ldc = n + 1;
        var a = Random(Math.Max(m * ars + k * acs, 1) + 8, 7);
        var b = Random(k * ldb + 1, 8);
        var scale = Random(k + 1, 9);
        var c = Random(m * ldc, 10);
        foreach (bool accumulate in new[] { false, true })
        {
            var expected = (float[])c.Clone();
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = accumulate ? c[i * ldc + j] : 0;
                    for (int p = 0; p < k; p++) sum += (double)a[i * ars + p * acs] * (scaled ? scale[p] : 1) * b[p * ldb + j];
                    expected[i * ldc + j] = (float)sum;
                }
            var actual = (float[])c.Clone();
            fixed (float* pa = a, pb = b, ps = scale, pc = actual)
                Gemm.MultiplyOuter(pa, ars, acs, scaled ? ps : null, pb, ldb, pc, ldc, m, n, k, accumulate);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < ldc; j++)
                {
                    int idx = i * ldc + j;
                    float want = j < n ? expected[idx] : c[idx]; // padding columns untouched
                    Assert.True(MathF.Abs(want - actual[idx]) <= 1e-4f * (1 + k / 64f), $"({i}, {j}): {want} vs {actual[idx]}");
                }
        }
    }

    [Theory]
    [InlineData(64, 2, false)]
    [InlineData(64, 1, false)]
    [InlineData(48, 3, true)]
    [InlineData(20, 4, false)]
    public void GatedRmsNormNormalisesEachGroup(int width, int groups, bool normBeforeGate)
    {
        const int rows = 3;
        const float eps = 1e-5f;
        var y = Random(rows * width, 4);
        var z = Random(rows * width, 5);
        var w = Random(width, 6);
        int group = width / groups;
        var expected = new float[y.Length];
        for (int r = 0; r < rows; r++)
            for (int g = 0; g < groups; g++)
            {
                var v = new double[group];
                for (int i = 0; i < group; i++)
                {
                    int idx = r * width + g * group + i;
                    v[i] = normBeforeGate ? y[idx] : y[idx] * Silu(z[idx]);
                }
                double scale = 1 / Math.Sqrt(v.Sum(x => x * x) / group + eps);
                for (int i = 0; i < group; i++)
                {
                    int idx = r * width + g * group + i;
                    double o = v[i] * scale * w[g * group + i];
                    expected[idx] = (float)(normBeforeGate ? o * Silu(z[idx]) : o);
                }
            }
        fixed (float* py = y, pz = z, pw = w)
            GatedRmsNorm.Forward(new CpuParallel(2), py, width, pz, width, pw, rows, width, group, eps, normBeforeGate);
        for (int i = 0; i < y.Length; i++) Assert.True(MathF.Abs(expected[i] - y[i]) < 1e-5f, $"element {i}: {expected[i]} vs {y[i]}");
    }

    private static double Silu(double x) => x / (1 + Math.Exp(-x));

    [Fact]
    public void VectorSoftplusMatchesTorchDefinition()
    {
        var xs = new[] { -90f, -30f, -15f, -9.3f, -2f, -0.01f, 0f, 0.5f, 3f, 19.9f, 20f, 20.1f, 50f, -1e-3f, 7.7f, -4.4f };
        var v = SelectiveScan.Softplus(System.Runtime.Intrinsics.Vector512.Create(xs));
        for (int i = 0; i < xs.Length; i++)
        {
            double x = xs[i];
            double expected = x > 20 ? x : Math.Log(1 + Math.Exp(x));
            Assert.True(Math.Abs(v[i] - expected) <= 2e-7 * Math.Max(1, Math.Abs(expected)) + 1e-30, $"softplus({x}) = {v[i]}, expected {expected}");
            Assert.True(Math.Abs(VectorMath.Softplus(xs[i]) - expected) <= 2e-7 * Math.Max(1, Math.Abs(expected)) + 1e-30);
        }
    }

    [Fact]
    public void ParallelLoopsRunEveryItemOnceAndPropagateExceptions()
    {
        var parallel = new CpuParallel(4);
        for (int round = 0; round < 200; round++)
        {
            int count = round % 37 + 1;
            var hits = new int[count];
            int maxWorker = parallel.Workers(count);
            parallel.For(count, (item, worker) =>
            {
                Assert.InRange(worker, 0, maxWorker - 1);
                Interlocked.Increment(ref hits[item]);
                // A loop inside a loop body completes too (on the calling thread when the outer loop is parallel).
                int inner = 0;
                parallel.For(3, (_, w) => { Assert.InRange(w, 0, parallel.Workers(3) - 1); Interlocked.Increment(ref inner); });
                Assert.Equal(3, inner);
            });
            Assert.All(hits, h => Assert.Equal(1, h));
        }
        var e = Assert.Throws<InvalidOperationException>(() => parallel.For(50, (item, _) =>
        {
            if (item == 17) throw new InvalidOperationException("item 17");
        }));
        Assert.Equal("item 17", e.Message);
        // The pool is usable after a failed loop, and from several threads at once.
        long total = 0;
        Parallel.For(0, 8, _ =>
        {
            for (int r = 0; r < 50; r++) parallel.For(10, (item, _) => Interlocked.Add(ref total, item));
        });
        Assert.Equal(8 * 50 * 45, total);
    }
}
