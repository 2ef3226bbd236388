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
