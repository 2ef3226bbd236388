using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Quamba.Model.Backends.Cpu;

/// <summary>
/// Mamba2's gated RMSNorm, in place on y: gate first (y * SiLU(z), then RMSNorm) or norm first (RMSNorm(y) * SiLU(z)),
/// the mean of squares taken separately over each group of <c>groupSize</c> channels (mamba_ssm's RMSNormGated;
/// groupSize = E is the ungrouped form).
/// </summary>
internal static unsafe class GatedRmsNorm
{
    public static void Forward(CpuParallel parallel, float* y, int yStride, float* z, int zStride, float* weight,
        int rows, int width, int groupSize, float eps, bool normBeforeGate)
    {
        var work = new Work { Y = y, YStride = yStride, Z = z, ZStride = zStride, Weight = weight, Width = width, GroupSize = groupSize, Eps = eps, NormBeforeGate = normBeforeGate };
        parallel.ForRanges(rows, Math.Max(1, 8192 / Math.Max(1, width)), ref work);
    }

    private struct Work : IRangeWork
    {
        public float* Y, Z, Weight;
        public int YStride, ZStride, Width, GroupSize;
        public float Eps;
        public bool NormBeforeGate;

        public readonly void Run(int begin, int end)
        {
            for (int r = begin; r < end; r++)
            {
                float* y = Y + (long)r * YStride, z = Z + (long)r * ZStride;
                if (Weight is null) Gate(y, z, Width);
                else Row(y, z, Weight, Width, GroupSize, Eps, NormBeforeGate);
            }
        }
    }

    /// <summary>y *= SiLU(z) for configs without the norm.</summary>
    public static void GateOnly(CpuParallel parallel, float* y, int yStride, float* z, int zStride, int rows, int width) =>
        Forward(parallel, y, yStride, z, zStride, null, rows, width, width, 0f, false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row(float* y, float* z, float* weight, int width, int groupSize, float eps, bool normBeforeGate)
    {
        if (!normBeforeGate) Gate(y, z, width);
        for (int g0 = 0; g0 < width; g0 += groupSize)
        {
            var group = new Span<float>(y + g0, groupSize);
            float scale = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(group) / groupSize + eps);
            TensorPrimitives.Multiply(group, scale, group);
        }
        TensorPrimitives.Multiply(new ReadOnlySpan<float>(y, width), new ReadOnlySpan<float>(weight, width), new Span<float>(y, width));
        if (normBeforeGate) Gate(y, z, width);
    }

    /// <summary>y *= SiLU(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gate(float* y, float* z, int width)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + 16 <= width; i += 16)
                Vector512.Store(Vector512.Load(y + i) * VectorMath.SiLU(Vector512.Load(z + i)), y + i);
        for (; i < width; i++) y[i] *= VectorMath.SiLU(z[i]);
    }
}
