using Quamba.Model.Backends.Cpu.Integer;
using Quamba.Model.Quantization.Weights;
using Quamba.Tests.Quantization;

namespace Quamba.Tests.Backends.Cpu.Integer;

public class IntegerKernelTests
{
    // Paths by name: the selector enum is internal, and xunit theories are public methods.
    public static TheoryData<string> Int8Paths => new("Scalar", "Portable", "Avx2", "Avx512", "AvxVnni", "Auto");

    public static TheoryData<string> W4A16Paths => new("Scalar", "Portable", "Avx2", "Avx512", "Auto");

    // (M, N, K): K off every vector width (1, 15, 33, 100, 257, 1000, 1031), N odd and not a multiple of 4;
    // the last shape is large enough to run on several threads.
    private static readonly (int M, int N, int K)[] Shapes =
        [(1, 1, 1), (1, 7, 15), (1, 33, 100), (3, 17, 257), (2, 4, 64), (5, 13, 1000), (4, 67, 1031)];

    private static IntegerKernelPath RequireSupported(string name)
    {
        var path = Enum.Parse<IntegerKernelPath>(name);
        Assert.SkipUnless(IntegerKernelPaths.IsSupported(path), $"This CPU lacks the {path} path.");
        return path;
    }

    private static int[] ReferenceInt8(sbyte[] a, sbyte[] w, int m, int n, int k)
    {
        var c = new int[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                int s = 0;
                for (int t = 0; t < k; t++) s += a[i * k + t] * w[j * k + t];
                c[i * n + j] = s;
            }
        return c;
    }

    [Theory]
    [MemberData(nameof(Int8Paths))]
    public void Int8GemmEqualsScalarReferenceExactly(string pathName)
    {
        var path = RequireSupported(pathName);
        foreach (var (m, n, k) in Shapes)
        {
            var a = QuantTestData.Int8(m * k, m * 7919 + k);
            var w = QuantTestData.Int8(n * k, n * 104729 + k);
            var c = new int[m * n];
            Int8MatrixMultiply.Multiply(a, m, new Int8GemmWeights(w, n, k), c, path);
            Assert.Equal(ReferenceInt8(a, w, m, n, k), c);
        }
    }

    [Theory]
    [MemberData(nameof(Int8Paths))]
    public void Int8GemmIsExactAtTheExtremes(string pathName)
    {
        // All -128 x -128 is the largest dot product (|sum| = K * 16384) and stresses the VNNI +128 offset;
        // mixed -128/127 stresses the negative side.
        var path = RequireSupported(pathName);
        const int m = 2, n = 5, k = 4099;
        var a = Enumerable.Repeat((sbyte)-128, m * k).ToArray();
        var w = Enumerable.Range(0, n * k).Select(i => (sbyte)(i / k == 2 ? 127 : -128)).ToArray();
        var c = new int[m * n];
        Int8MatrixMultiply.Multiply(a, m, new Int8GemmWeights(w, n, k), c, path);
        Assert.Equal(ReferenceInt8(a, w, m, n, k), c);
        Assert.Equal(k * 16384, c[0]);
    }

    [Theory]
    [MemberData(nameof(Int8Paths))]
    public void Int8GemvEqualsGemmRow(string pathName)
    {
        var path = RequireSupported(pathName);
        const int n = 129, k = 515;
        var x = QuantTestData.Int8(k, 1);
        var w = QuantTestData.Int8(n * k, 2);
        var y = new int[n];
        Int8MatrixMultiply.Multiply(x, 1, new Int8GemmWeights(w, n, k), y, path);
        Assert.Equal(ReferenceInt8(x, w, 1, n, k), y);
    }

    private static QuantizedInt4Matrix RandomInt4(int n, int k, int groupSize, int seed)
    {
        var rng = new Random(seed);
        var codes = new byte[n * k];
        for (int i = 0; i < codes.Length; i++) codes[i] = (byte)rng.Next(16);
        codes[0] = 0; // the extreme codes -8 and +7
        codes[^1] = 15;
        int groups = (k + groupSize - 1) / groupSize;
        var scales = Enumerable.Range(0, n * groups).Select(i => 0.001f + (float)rng.NextDouble() * 0.02f).ToArray();
        return new QuantizedInt4Matrix(n, k, groupSize, Int4Packing.Pack(codes, n, k), scales);
    }

    /// <summary>The W4A8 contract, computed naively: exact group integers, then the documented float sequence.</summary>
    private static float[] ReferenceW4A8(sbyte[] a, int m, float aScale, QuantizedInt4Matrix w)
    {
        var c = new float[m * w.Rows];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < w.Rows; j++)
            {
                float total = 0;
                for (int g = 0; g < w.GroupsPerRow; g++)
                {
                    int dot = 0;
                    for (int t = g * w.GroupSize; t < Math.Min(w.Columns, (g + 1) * w.GroupSize); t++)
                        dot += a[i * w.Columns + t] * (w.GetCode(j, t) - 8);
                    total += w.Scales[j * w.GroupsPerRow + g] * dot;
                }
                c[i * w.Rows + j] = total * aScale;
            }
        return c;
    }

    private static readonly (int M, int N, int K, int GroupSize)[] Int4Shapes =
        [(1, 1, 2, 2), (1, 7, 15, 128), (1, 9, 301, 128), (3, 17, 256, 128), (2, 5, 1000, 64), (4, 67, 1031, 128), (1, 3, 200, 200)];

    [Theory]
    [MemberData(nameof(Int8Paths))]
    public void W4A8EqualsReferenceExactly(string pathName)
    {
        var path = RequireSupported(pathName);
        foreach (var (m, n, k, gs) in Int4Shapes)
        {
            var w = RandomInt4(n, k, gs, n * 31 + k);
            var a = QuantTestData.Int8(m * k, m + k);
            a[0] = -128;
            var c = new float[m * n];
            Int4MatrixMultiply.MultiplyW4A8(a, m, 0.037f, w, c, path);
            Assert.Equal(ReferenceW4A8(a, m, 0.037f, w), c); // bit-identical floats
        }
    }

    [Theory]
    [MemberData(nameof(W4A16Paths))]
    public void W4A16MatchesDoubleReference(string pathName)
    {
        var path = RequireSupported(pathName);
        foreach (var (m, n, k, gs) in Int4Shapes)
        {
            var w = RandomInt4(n, k, gs, n * 17 + k);
            var a = QuantTestData.Gaussian(m * k, m * 3 + k);
            var c = new float[m * n];
            Int4MatrixMultiply.MultiplyW4A16(a, m, w, c, path);
            var deq = w.Dequantize();
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double exact = 0, magnitude = 0;
                    for (int t = 0; t < k; t++)
                    {
                        exact += (double)a[i * k + t] * deq[j * k + t];
                        magnitude += Math.Abs((double)a[i * k + t] * deq[j * k + t]);
                    }
                    // Float sums: each path adds at most (group length + groups + log2 lanes) roundings of size
                    // u = 2^-24 relative to sum |a w| (~300 here at worst); 1e-5 covers it with margin.
                    double tol = 1e-5 * magnitude + 1e-30;
                    Assert.True(Math.Abs(c[i * n + j] - exact) <= tol, $"{path} ({m},{n},{k}) [{i},{j}]: {c[i * n + j]} vs {exact}");
                }
        }
    }

    [Fact]
    public void PathsAKernelLacksOrTheCpuLacksAreClearErrors()
    {
        var w = RandomInt4(2, 32, 32, 1);
        var e = Assert.Throws<ArgumentException>(() =>
            Int4MatrixMultiply.MultiplyW4A16(new float[32], 1, w, new float[2], IntegerKernelPath.AvxVnni));
        Assert.Contains("no AvxVnni path", e.Message);
        Assert.Throws<ArgumentException>(() =>
            Int8MatrixMultiply.Multiply(new sbyte[31], 1, new Int8GemmWeights(new sbyte[64], 2, 32), new int[2]));
        Assert.Throws<ArgumentException>(() => new Int8GemmWeights(new sbyte[63], 2, 32));
    }

    [Fact]
    public void GemmWeightsWrapAQuantizedMatrix()
    {
        var q = Int8WeightQuantizer.QuantizePerOutputChannel(QuantTestData.Gaussian(6 * 40, 3), 6, 40);
        var gw = Int8GemmWeights.From(q);
        Assert.Same(q.Data, gw.Data);
        var x = QuantTestData.Int8(40, 4);
        var y = new int[6];
        Int8MatrixMultiply.MultiplyVector(x, gw, y);
        Assert.Equal(ReferenceInt8(x, q.Data, 1, 6, 40), y);
    }
}
