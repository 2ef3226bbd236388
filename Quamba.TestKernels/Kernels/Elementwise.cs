using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>Element-wise kernels, including the vectorised (128-bit) copy and axpy that are benchmarked.</summary>
public static partial class Elementwise
{
    [Kernel]
    public static void VectorAdd(ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> b, DeviceSpan<float> sum)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i < sum.Length) sum[i] = a[i] + b[i];
    }

    /// <summary>y = a * x + y over Float4 elements: one ld.global.nc.v4, one ld.global.v4 and one st.global.v4 per thread and step.</summary>
    [Kernel]
    public static void Saxpy4(float a, ReadOnlyDeviceSpan<Float4> x, DeviceSpan<Float4> y)
    {
        int stride = Gpu.GridDimX * Gpu.BlockDimX;
        for (int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX; i < y.Length; i += stride)
        {
            Float4 xv = x[i];
            Float4 yv = y[i];
            y[i] = new Float4(DeviceMath.Fma(a, xv.X, yv.X), DeviceMath.Fma(a, xv.Y, yv.Y), DeviceMath.Fma(a, xv.Z, yv.Z), DeviceMath.Fma(a, xv.W, yv.W));
        }
    }

    /// <summary>A 16-bytes-per-thread copy (grid-stride, coalesced): the memory bandwidth reference.</summary>
    [Kernel]
    public static void Copy16(ReadOnlyDeviceSpan<UInt4> source, DeviceSpan<UInt4> destination)
    {
        int stride = Gpu.GridDimX * Gpu.BlockDimX;
        for (int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX; i < destination.Length; i += stride)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>Compound assignment through span elements and a bool parameter.</summary>
    [Kernel]
    public static void ScaleInPlace(DeviceSpan<float> values, float factor, bool negate)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= values.Length) return;
        values[i] *= factor;
        if (negate) values[i] = -values[i];
        values[i] += 0.5f;
    }
}

/// <summary>Every scalar parameter type through the launch ABI (.param .s8 ... .b16 ... .f64).</summary>
public static partial class ParameterKernels
{
    [Kernel]
    public static void ScalarParameters(DeviceSpan<double> output, sbyte a, byte b, short c, ushort d, int e, uint f, long g, ulong h,
        float i, double j, Half k, BFloat16 l, bool m, char n)
    {
        if (Gpu.ThreadIdxX != 0) return;
        output[0] = a;
        output[1] = b;
        output[2] = c;
        output[3] = d;
        output[4] = e;
        output[5] = f;
        output[6] = g;
        output[7] = h;
        output[8] = i;
        output[9] = j;
        output[10] = (double)k;
        output[11] = (float)l;
        output[12] = m ? 1 : -1;
        output[13] = n;
    }
}
