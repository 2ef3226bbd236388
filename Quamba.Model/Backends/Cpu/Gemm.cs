using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        // Blocks of TileN rows of B by BlockK columns stay in L2 while all rows of A pass over them. Each block is
        // prefetched first: the kernels issue few loads at a time, so a block coming from DRAM (a weight larger than
        // the last-level cache) would otherwise arrive at memory latency, not bandwidth.
        // Few rows of A (decode) read each block of B once: no point splitting k then.
        int blockK = m <= 8 ? k : EqualBlocks(k, MaxBlockK);
        for (int j0 = 0; j0 < n; j0 += TileN)
        {
            int nn = Math.Min(TileN, n - j0);
            for (int k0 = 0; k0 < k; k0 += blockK)
            {
                int kk = Math.Min(blockK, k - k0);
                float* block = b + j0 * (nint)ldb + k0;
                Prefetch(block, ldb, nn, kk);
                bool add = accumulate || k0 > 0;
                if (UseVector512) TileV512(a + k0, lda, block, ldb, c + j0, ldc, m, nn, kk, add);
                else TileVec(a + k0, lda, block, ldb, c + j0, ldc, m, nn, kk, add);
            }
        }
    }

    /// <summary>Longest pass over k (floats); k is split into equal passes no longer than this (see MultiplyTransposed).</summary>
    private const int MaxBlockK = 1024;

    /// <summary>k split into the fewest equal blocks of at most <paramref name="max"/>, rounded up to whole vectors.</summary>
    private static int EqualBlocks(int k, int max)
    {
        int blocks = (k + max - 1) / max;
        return ((k + blocks - 1) / blocks + 15) / 16 * 16;
    }

    /// <summary>Asks for rows x columns floats (row stride ld) to be brought towards L2, one request per cache line.</summary>
    private static void Prefetch(float* p, int ld, int rows, int columns)
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < rows; r++)
        {
            byte* row = (byte*)(p + r * (nint)ld);
            byte* end = row + columns * sizeof(float);
            for (byte* line = row; line < end; line += 64) Sse.Prefetch1(line);
        }
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
