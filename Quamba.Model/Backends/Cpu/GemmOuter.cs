using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Quamba.Model.Backends.Cpu;

internal static unsafe partial class Gemm
{
    /// <summary>
    /// C[m x n] (+)= sum_s A(i, s) * scale[s] * B[s, j] with B row-major (rows of n contiguous floats) and
    /// A(i, s) = a[i * ars + s * acs]: row-major A (acs = 1) or A stored transposed (ars = 1). scale may be null.
    /// Outer-product register tiles (4 rows x up to 64 columns, B rows as vectors, A broadcast): no horizontal sums
    /// and no transposes, for the SSD's products whose right operand is a block of activation rows. Serial.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyOuter(float* a, int ars, int acs, float* scale, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (m <= 0 || n <= 0) return;
        if (!accumulate)
            for (int i = 0; i < m; i++) new Span<float>(c + i * (nint)ldc, n).Clear();
        if (k <= 0) return;

        int row = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; row + 4 <= m; row += 4)
            {
                float* ai = a + row * (nint)ars;
                float* ci = c + row * (nint)ldc;
                int j = 0;
                for (; j + 64 <= n; j += 64) Outer4x4V512(ai, ars, acs, scale, b + j, ldb, ci + j, ldc, k);
                switch ((n - j) / 16)
                {
                    case 3: Outer4x3V512(ai, ars, acs, scale, b + j, ldb, ci + j, ldc, k); j += 48; break;
                    case 2: Outer4x2V512(ai, ars, acs, scale, b + j, ldb, ci + j, ldc, k); j += 32; break;
                    case 1: Outer4x1V512(ai, ars, acs, scale, b + j, ldb, ci + j, ldc, k); j += 16; break;
                }
                if (j < n) OuterScalar(ai, ars, acs, scale, b + j, ldb, ci + j, ldc, 4, n - j, k);
            }
        }
        if (row < m) OuterScalar(a + row * (nint)ars, ars, acs, scale, b, ldb, c + row * (nint)ldc, ldc, m - row, n, k);
    }

    /// <summary>The same product spread over cores, in tiles of up to 64 rows by 256 columns (use for short k).</summary>
    public static void MultiplyOuter(CpuParallel parallel, float* a, int ars, int acs, float* scale, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (m <= 0 || n <= 0) return;
        const int tileM = 64, tileN = 256;
        int tilesM = (m + tileM - 1) / tileM, tilesN = (n + tileN - 1) / tileN;
        if (parallel.MaxDegreeOfParallelism == 1 || tilesM * tilesN == 1)
        {
            MultiplyOuter(a, ars, acs, scale, b, ldb, c, ldc, m, n, k, accumulate);
            return;
        }
        var tiles = new OuterTiles { A = a, Ars = ars, Acs = acs, Scale = scale, B = b, Ldb = ldb, C = c, Ldc = ldc, M = m, N = n, K = k, Accumulate = accumulate, TilesM = tilesM };
        parallel.For(tilesM * tilesN, ref tiles);
    }

    private struct OuterTiles : IParallelWork
    {
        public float* A, Scale, B, C;
        public int Ars, Acs, Ldb, Ldc, M, N, K, TilesM;
        public bool Accumulate;

        public readonly void Run(int tile, int worker)
        {
            int i0 = tile % TilesM * 64, j0 = tile / TilesM * 256;
            MultiplyOuter(A + i0 * (nint)Ars, Ars, Acs, Scale, B + j0, Ldb, C + i0 * (nint)Ldc + j0, Ldc,
                Math.Min(64, M - i0), Math.Min(256, N - j0), K, Accumulate);
        }
    }

    private static void OuterScalar(float* a, int ars, int acs, float* scale, float* b, int ldb, float* c, int ldc, int m, int n, int k)
    {
        for (int i = 0; i < m; i++)
        {
            float* ci = c + i * (nint)ldc;
            for (int s = 0; s < k; s++)
            {
                float x = a[i * (nint)ars + s * (nint)acs] * (scale is null ? 1f : scale[s]);
                float* bs = b + s * (nint)ldb;
                for (int j = 0; j < n; j++) ci[j] = MathF.FusedMultiplyAdd(x, bs[j], ci[j]);
            }
        }
    }
}
