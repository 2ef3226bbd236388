using System.Numerics.Tensors;
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
        for (long i0 = 0; i0 < count; i0 += 1 << 20)
        {
            var d = new Span<float>(dst + i0, (int)Math.Min(1 << 20, count - i0));
            TensorPrimitives.ConvertChecked<sbyte, float>(new ReadOnlySpan<sbyte>(src + i0, d.Length), d);
            TensorPrimitives.Multiply(d, scale, d);
        }
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
                // Channels sharing a scale are contiguous runs (per tensor, per segment, per dim group): each run takes
                // the vectorised quantizer, which rounds exactly as the scalar one.
                for (int c0 = 0; c0 < Width;)
                {
                    float scale = Scales[c0];
                    int c1 = c0 + 1;
                    while (c1 < Width && Scales[c1] == scale) c1++;
                    Int8Quantization.Quantize(new ReadOnlySpan<float>(s + c0, c1 - c0), scale, new Span<sbyte>(d + c0, c1 - c0));
                    c0 = c1;
                }
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
                var d = new Span<float>(Dst + (long)r * DstStride, Width);
                TensorPrimitives.ConvertChecked<sbyte, float>(new ReadOnlySpan<sbyte>(Src + (long)r * SrcStride, Width), d);
                TensorPrimitives.Multiply(d, new ReadOnlySpan<float>(Scales, Width), d);
            }
        }
    }
}
