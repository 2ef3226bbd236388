using System.Numerics;
using System.Runtime.Intrinsics;

namespace Quamba.Model.Backends.Cpu;

/// <summary>
/// C[m x n] (+)= A[m x k] . B[n x k]^T with row strides (the shape of every linear layer: activations times a
/// [out, in] weight, both contiguous along k). Register-blocked 4x4 micro-kernels over Vector512 where the CPU
/// runs it natively, Vector&lt;float&gt; otherwise; the parallel form tiles m and n and hands tiles to all cores.
/// </summary>
internal static unsafe partial class Gemm
{
    private static readonly bool UseVector512 = Vector512.IsHardwareAccelerated;

    /// <summary>Rows of B per tile: 64 rows of k floats stay in L2 while the tile sweeps over A.</summary>
    private const int TileN = 64;

    /// <summary>Rows of A per tile.</summary>
    private const int TileM = 64;

    /// <summary>Single-threaded product (for work already split across cores by the caller).</summary>
    public static void MultiplyTransposed(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) new Span<float>(c + i * (nint)ldc, n).Clear();
            return;
        }
        if (UseVector512) TileV512(a, lda, b, ldb, c, ldc, m, n, k, accumulate);
        else TileVec(a, lda, b, ldb, c, ldc, m, n, k, accumulate);
    }

    /// <summary>The same product spread over the cores of <paramref name="parallel"/>.</summary>
    public static void MultiplyTransposed(CpuParallel parallel, float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (m <= 0 || n <= 0) return;
        // Small problems are not worth waking other threads for.
        if (parallel.MaxDegreeOfParallelism == 1 || (long)m * n * k < 32 * 1024)
        {
            MultiplyTransposed(a, lda, b, ldb, c, ldc, m, n, k, accumulate);
            return;
        }
        int tileN = TileN;
        // Decode-sized products (a few rows of A) parallelise over n only; shrink tiles until every core has work.
        int tilesM = (m + TileM - 1) / TileM;
        while (tileN > 8 && tilesM * ((n + tileN - 1) / tileN) < 4 * parallel.MaxDegreeOfParallelism) tileN /= 2;
        var tiles = new Tiles { A = a, Lda = lda, B = b, Ldb = ldb, C = c, Ldc = ldc, M = m, N = n, K = k, Accumulate = accumulate, TileN = tileN, TilesM = tilesM };
        parallel.For(tilesM * ((n + tileN - 1) / tileN), ref tiles);
    }

    private struct Tiles : IParallelWork
    {
        public float* A, B, C;
        public int Lda, Ldb, Ldc, M, N, K, TileN, TilesM;
        public bool Accumulate;

        public readonly void Run(int tile, int worker)
        {
            // Consecutive tiles share a block of B (the weight), which then stays in cache.
            int tm = tile % TilesM, tn = tile / TilesM;
            int i0 = tm * TileM, j0 = tn * TileN;
            int mm = Math.Min(TileM, M - i0), nn = Math.Min(TileN, N - j0);
            MultiplyTransposed(A + i0 * (nint)Lda, Lda, B + j0 * (nint)Ldb, Ldb, C + i0 * (nint)Ldc + j0, Ldc, mm, nn, K, Accumulate);
        }
    }
}
