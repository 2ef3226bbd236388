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

    /// <summary>Error in units of the last place of the float nearest the exact (double) value.</summary>
    private static double Ulps(float actual, double exact)
    {
        float nearest = (float)exact;
        double ulp = Math.Max(MathF.BitIncrement(MathF.Abs(nearest)) - MathF.Abs(nearest), float.Epsilon);
        return Math.Abs(actual - exact) / ulp;
    }

    private static double MaxUlps(Func<System.Runtime.Intrinsics.Vector512<float>, System.Runtime.Intrinsics.Vector512<float>> f, Func<double, double> exact, IEnumerable<float> xs)
    {
        double worst = 0;
        foreach (var chunk in xs.Chunk(16))
        {
            var input = new float[16];
            chunk.CopyTo(input, 0);
            var output = f(System.Runtime.Intrinsics.Vector512.Create(input));
            for (int i = 0; i < chunk.Length; i++) worst = Math.Max(worst, Ulps(output[i], exact(chunk[i])));
        }
        return worst;
    }

    private static IEnumerable<float> Sweep(float from, float to, int count) =>
        Enumerable.Range(0, count).Select(i => from + (to - from) * i / (count - 1));

    [Fact]
    public void VectorExpLogAndSoftplusAreWithinAFewUlps()
    {
        // exp and log: within 1 ulp (0.98 and 0.75 seen), asserted at 2.
        Assert.InRange(MaxUlps(VectorTranscendentals.Exp, Math.Exp, Sweep(-87f, 88f, 200_003)), 0, 2);
        var positives = Sweep(-125f, 126f, 100_003).Select(e => MathF.Pow(2, e) * 1.37f).Concat(Sweep(0.5f, 2f, 100_003));
        Assert.InRange(MaxUlps(VectorTranscendentals.Log, Math.Log, positives), 0, 2);
        // torch's softplus: x above 20, log1p(e^x) below; the range the models see (dt before softplus) and beyond.
        // Reference in double with a log1p that is exact for tiny arguments (double.LogP1 is not: it returns 0 below ~1e-16).
        static double Log1p(double u) => u < 1e-5 ? u - u * u / 2 + u * u * u / 3 : Math.Log(1 + u);
        static double Softplus(double x) => x > 20 ? x : Log1p(Math.Exp(x));
        // Three rounded steps (e^x, log, the u / (y - 1) correction), each within 1 ulp: at most 3 (2.34 seen at x = -4.9).
        Assert.InRange(MaxUlps(VectorTranscendentals.Softplus, Softplus, Sweep(-80f, 40f, 200_003)), 0, 3);
        foreach (float x in new[] { -30f, -9.3f, -0.01f, 0f, 3f, 20f, 20.1f })
            Assert.InRange(Ulps(VectorMath.Softplus(x), Softplus(x)), 0, 1);
        // Below float's range e^x flushes to zero instead of producing denormals.
        Assert.Equal(0f, VectorTranscendentals.Exp(System.Runtime.Intrinsics.Vector512.Create(-100f))[0]);
        Assert.Equal(1f, VectorTranscendentals.Exp(System.Runtime.Intrinsics.Vector512<float>.Zero)[0]);
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
