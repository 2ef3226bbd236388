using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Quamba.Model.Backends.Cpu;

/// <summary>Element-wise and per-row operations of the float model, vectorised.</summary>
internal static unsafe class VectorMath
{
    /// <summary>y = x / rms(x) * weight over one row of n values (eps inside the square root, as RMSNorm does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsNorm(float* x, float* weight, float* y, int n, float eps)
    {
        var xs = new ReadOnlySpan<float>(x, n);
        float scale = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(xs) / n + eps);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            for (; i <= n - 16; i += 16)
                Vector512.Store(Vector512.Load(x + i) * s * Vector512.Load(weight + i), y + i);
        }
        for (; i < n; i++) y[i] = x[i] * scale * weight[i];
    }

    /// <summary>RMSNorm of each of <paramref name="rows"/> rows (stride n), spread over cores.</summary>
    public static void RmsNormRows(CpuParallel parallel, float* x, float* weight, float* y, int rows, int n, float eps)
    {
        var work = new RmsNormWork { X = x, Weight = weight, Y = y, N = n, Eps = eps };
        parallel.ForRanges(rows, Math.Max(1, 16384 / Math.Max(n, 1)), ref work);
    }

    private struct RmsNormWork : IRangeWork
    {
        public float* X, Weight, Y;
        public int N;
        public float Eps;

        public readonly void Run(int begin, int end)
        {
            for (int r = begin; r < end; r++) RmsNorm(X + r * (nint)N, Weight, Y + r * (nint)N, N, Eps);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SiLU(float x) => x / (1f + MathF.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SiLU(Vector512<float> v) => VectorTranscendentals.SiLU(v);

    /// <summary>softplus as torch computes it: log1p(e^x), and x itself above the threshold 20.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x) => x > 20f ? x : (float)Log1p(Math.Exp(x));

    /// <summary>log(1 + u) for u &gt;= 0 in double, exact for tiny u too (double.LogP1 computes log(1 + u) naively).</summary>
    internal static double Log1p(double u) => u < 1e-5 ? u * (1 - u * (0.5 - u / 3)) : Math.Log(1 + u);

    /// <summary>Adds bias [width] to each of <paramref name="rows"/> rows.</summary>
    public static void AddBiasRows(CpuParallel parallel, float* rowsPointer, float* bias, int rows, int width)
    {
        var work = new BiasWork { Rows = rowsPointer, Bias = bias, Width = width };
        parallel.ForRanges(rows, 64, ref work);
    }

    private struct BiasWork : IRangeWork
    {
        public float* Rows, Bias;
        public int Width;

        public readonly void Run(int begin, int end)
        {
            for (int i = begin; i < end; i++) AddInPlace(Rows + (long)i * Width, Bias, Width);
        }
    }

    /// <summary>y[i] += x[i].</summary>
    public static void AddInPlace(float* y, float* x, int n) =>
        TensorPrimitives.Add(new ReadOnlySpan<float>(y, n), new ReadOnlySpan<float>(x, n), new Span<float>(y, n));
}
