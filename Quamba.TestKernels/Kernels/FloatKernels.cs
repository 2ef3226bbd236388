using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>Floating-point semantics: IEEE arithmetic, NaN comparisons, truncating and saturating conversions, exact Math.</summary>
public static partial class FloatKernels
{
    [Kernel]
    public static void FloatSemantics(ReadOnlyDeviceSpan<float> x, ReadOnlyDeviceSpan<float> y, DeviceSpan<float> arithmetic, DeviceSpan<int> flags, DeviceSpan<int> conversions, DeviceSpan<long> wide)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= x.Length) return;
        float a = x[i], b = y[i];
        arithmetic[i * 4 + 0] = a + b * 3f;
        arithmetic[i * 4 + 1] = a / b;
        arithmetic[i * 4 + 2] = -a - b;
        arithmetic[i * 4 + 3] = i * 0.25f + (float)(uint)i;
        // NaN compares unordered: == and < are false, != is true.
        flags[i] = (a == b ? 1 : 0) | (a != b ? 2 : 0) | (a < b ? 4 : 0) | (a >= b ? 8 : 0) | (float.IsNaN(a) ? 16 : 0) | (!(a <= b) ? 32 : 0);
        conversions[i * 4 + 0] = (int)a;          // truncates toward zero, saturates, NaN -> 0
        conversions[i * 4 + 1] = (int)(uint)b;
        conversions[i * 4 + 2] = (sbyte)a;        // through int, then wraps
        conversions[i * 4 + 3] = (int)(long)(a * 1000f);
        wide[i * 2 + 0] = (long)a;               // 64-bit targets: saturate, NaN -> 0
        wide[i * 2 + 1] = (long)(ulong)b;
    }

    [Kernel]
    public static void ExactMath(ReadOnlyDeviceSpan<float> x, DeviceSpan<float> results)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= x.Length) return;
        float a = x[i];
        float b = x[(i + 1) % x.Length];
        int k = i * 10;
        results[k + 0] = MathF.Sqrt(MathF.Abs(a));
        results[k + 1] = MathF.Floor(a);
        results[k + 2] = MathF.Ceiling(a);
        results[k + 3] = MathF.Round(a);          // half to even
        results[k + 4] = MathF.Truncate(a);
        results[k + 5] = MathF.Max(a, b);         // NaN propagates, as in .NET
        results[k + 6] = MathF.Min(a, b);
        results[k + 7] = MathF.CopySign(a, b);
        results[k + 8] = MathF.FusedMultiplyAdd(a, b, 1f);
        results[k + 9] = Math.Clamp(a, -2f, 2f);
    }

    /// <summary>double arithmetic (QK0011 is suppressed for this project) and float/double/int conversions.</summary>
    [Kernel]
    public static void DoubleSemantics(ReadOnlyDeviceSpan<double> x, ReadOnlyDeviceSpan<float> f, DeviceSpan<double> results, DeviceSpan<float> narrowed, DeviceSpan<long> integers)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= x.Length) return;
        double a = x[i];
        double promoted = f[i];                   // implicit float -> double (QK0011)
        results[i * 4 + 0] = a * promoted + 1.0 / 3.0;
        results[i * 4 + 1] = Math.Sqrt(Math.Abs(a)) - Math.Floor(a);
        results[i * 4 + 2] = Math.Max(a, promoted) + Math.FusedMultiplyAdd(a, 2.0, -promoted);
        results[i * 4 + 3] = i / 7.0 + (double)(long)i;
        narrowed[i] = (float)a;
        integers[i] = (long)a + (int)(a * 0.5);
    }
}
