using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>Hardware approximations (DeviceMath.Fast*) and the MathF transcendentals built on them.</summary>
public static partial class FastMathKernels
{
    [Kernel]
    public static void FastMath(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> output)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= input.Length) return;
        float x = input[i];
        float positive = MathF.Abs(x) + 0.5f;
        output[i * 5 + 0] = DeviceMath.FastExp2(x);
        output[i * 5 + 1] = DeviceMath.FastLog2(positive);
        output[i * 5 + 2] = DeviceMath.FastRcp(positive);
        output[i * 5 + 3] = DeviceMath.FastRsqrt(positive);
        output[i * 5 + 4] = DeviceMath.Fma(x, x, -1f);
    }

    /// <summary>tanh.approx.f32 needs sm_75.</summary>
    [Kernel]
    public static void FastTanh(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> output)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i < input.Length) output[i] = DeviceMath.FastTanh(input[i]);
    }

    [Kernel]
    public static void Transcendentals(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> output)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i >= input.Length) return;
        float x = input[i];
        float positive = MathF.Abs(x) + 0.01f;
        output[i * 6 + 0] = MathF.Exp(x);
        output[i * 6 + 1] = MathF.Log(positive);
        output[i * 6 + 2] = MathF.Log2(positive);
        output[i * 6 + 3] = MathF.Tanh(x);
        output[i * 6 + 4] = MathF.Sin(x);
        output[i * 6 + 5] = MathF.Cos(x);
    }

    /// <summary>Row softmax: block max and sum through warp shuffles and shared memory, exp via MathF.Exp.</summary>
    [Kernel]
    public static void RowSoftmax(ReadOnlyDeviceSpan<float> logits, DeviceSpan<float> probabilities, int columns)
    {
        var scratch = SharedMemory.Allocate<float>(32);
        int t = Gpu.ThreadIdxX;
        var row = logits.Slice(Gpu.BlockIdxX * columns, columns);
        var output = probabilities.Slice(Gpu.BlockIdxX * columns, columns);
        float max = float.NegativeInfinity;
        for (int c = t; c < columns; c += Gpu.BlockDimX) max = MathF.Max(max, row[c]);
        max = BlockReduce(max, scratch, isMax: true);
        float sum = 0f;
        for (int c = t; c < columns; c += Gpu.BlockDimX) sum += MathF.Exp(row[c] - max);
        sum = BlockReduce(sum, scratch, isMax: false);
        float inverse = 1f / sum;
        for (int c = t; c < columns; c += Gpu.BlockDimX) output[c] = MathF.Exp(row[c] - max) * inverse;
    }

    /// <summary>Reduces over the block (max or sum) and returns the result to every thread.</summary>
    private static float BlockReduce(float value, DeviceSpan<float> scratch, bool isMax)
    {
        int lane = Gpu.LaneId;
        int warp = Gpu.ThreadIdxX / Gpu.WarpSize;
        for (int mask = 16; mask > 0; mask >>= 1)
        {
            float other = Warp.ShuffleXor(value, mask);
            value = isMax ? MathF.Max(value, other) : value + other;
        }
        if (lane == 0) scratch[warp] = value;
        Gpu.SyncThreads();
        int warps = Gpu.BlockDimX / Gpu.WarpSize;
        float total = scratch[0];
        for (int w = 1; w < warps; w++) total = isMax ? MathF.Max(total, scratch[w]) : total + scratch[w];
        Gpu.SyncThreads();
        return total;
    }
}
