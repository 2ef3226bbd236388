using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

public static partial class Elementwise
{
    [Kernel]
    public static void VectorAdd(ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> b, DeviceSpan<float> sum)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i < sum.Length) sum[i] = a[i] + b[i];
    }
}
