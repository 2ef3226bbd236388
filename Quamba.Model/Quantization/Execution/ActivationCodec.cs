using Quamba.Model.Backends.Cpu;

namespace Quamba.Model.Quantization.Execution;

/// <summary>
/// Static int8 quantization of activation rows (<see cref="Int8Quantization"/>'s rounding: half to even of v / s,
/// clamped to [-128, 127]) with one scale or one scale per channel, and the matching dequantization. Rows are spread
/// over the cores.
/// </summary>
internal static unsafe class ActivationCodec
{
    /// <summary>dst[r, :width] = quantize(src[r * srcStride, :width], scale); dst rows are contiguous.</summary>
    public static void Quantize(CpuParallel parallel, float* src, int srcStride, sbyte* dst, int rows, int width, float scale)
    {
        var work = new PerTensorWork { Src = src, SrcStride = srcStride, Dst = dst, Width = width, Scale = scale };
        parallel.ForRanges(rows, Math.Max(1, 16384 / Math.Max(1, width)), ref work);
    }

    /// <summary>Per channel: dst[r * dstStride + c] = quantize(src[r * srcStride + c], scales[c]).</summary>
    public static void QuantizePerChannel(CpuParallel parallel, float* src, int srcStride, sbyte* dst, int dstStride, int rows, int width, float* scales)
    {
        var work = new PerChannelWork { Src = src, SrcStride = srcStride, Dst = dst, DstStride = dstStride, Width = width, Scales = scales };
        parallel.ForRanges(rows, Math.Max(1, 16384 / Math.Max(1, width)), ref work);
    }

    /// <summary>Per channel: dst[r * dstStride + c] = src[r * srcStride + c] * scales[c].</summary>
    public static void DequantizePerChannel(CpuParallel parallel, sbyte* src, int srcStride, float* dst, int dstStride, int rows, int width, float* scales)
    {
        var work = new DequantizeWork { Src = src, SrcStride = srcStride, Dst = dst, DstStride = dstStride, Width = width, Scales = scales };
        parallel.ForRanges(rows, Math.Max(1, 16384 / Math.Max(1, width)), ref work);
    }

    /// <summary>dst[r, :] = src[r, :] * scale (contiguous rows of <paramref name="width"/>).</summary>
    public static void Dequantize(sbyte* src, float* dst, long count, float scale)
    {
        for (long i = 0; i < count; i++) dst[i] = src[i] * scale;
    }

    private struct PerTensorWork : IRangeWork
    {
        public float* Src;
        public sbyte* Dst;
        public int SrcStride, Width;
        public float Scale;

        public readonly void Run(int begin, int end)
        {
            for (int r = begin; r < end; r++)
                Int8Quantization.Quantize(new ReadOnlySpan<float>(Src + (long)r * SrcStride, Width), Scale, new Span<sbyte>(Dst + (long)r * Width, Width));
        }
    }

    private struct PerChannelWork : IRangeWork
    {
        public float* Src, Scales;
        public sbyte* Dst;
        public int SrcStride, DstStride, Width;

        public readonly void Run(int begin, int end)
        {
            for (int r = begin; r < end; r++)
            {
                float* s = Src + (long)r * SrcStride;
                sbyte* d = Dst + (long)r * DstStride;
                for (int c = 0; c < Width; c++) d[c] = Int8Quantization.Quantize(s[c], Scales[c]);
            }
        }
    }

    private struct DequantizeWork : IRangeWork
    {
        public sbyte* Src;
        public float* Dst, Scales;
        public int SrcStride, DstStride, Width;

        public readonly void Run(int begin, int end)
        {
            for (int r = begin; r < end; r++)
            {
                sbyte* s = Src + (long)r * SrcStride;
                float* d = Dst + (long)r * DstStride;
                for (int c = 0; c < Width; c++) d[c] = s[c] * Scales[c];
            }
        }
    }
}
