namespace Quamba.Kernels.Mamba;

/// <summary>
/// The online Hadamard rotation <c>y = x M_n</c>, <c>M_n = (H_m (x) W_{2^k}) / sqrt(n)</c>, of each row of a
/// <c>[rows, n]</c> float matrix, fused with int8 quantization (<see cref="HadamardQuantize{TShape}"/>) or
/// writing floats for the A16 path (<see cref="HadamardRotate{TShape}"/>). The result equals Quamba.Model's
/// <c>HadamardTransform.Apply</c> bit for bit: the same butterflies in the same order on each of the m contiguous
/// 2^k segments, then the dense m x m product summed over a = 0..m-1 in order (as fused multiply-adds with +-1,
/// which round exactly like the model's add/subtract), then one multiply by <c>(float)(1 / sqrt(n))</c>, then
/// (quantizing) <c>round_half_even(y / scale)</c>.
/// </summary>
/// <remarks>
/// One block per row (<see cref="Launch"/>). The row is staged in shared memory (n floats, 20 KB at n = 5120),
/// the Walsh-Hadamard stages run there with one barrier per stage, and the m x m step gives each thread a column b
/// and four outputs a2..a2+3 at a time: four accumulators in registers, one shared load of z[a, b] and one
/// broadcast 128-bit load of the four signs per term, results stored straight to global memory (coalesced over b).
/// </remarks>
public static partial class HadamardKernels
{
    /// <summary>Threads per block for a width: 256, or fewer for narrow rows.</summary>
    public static int ThreadsFor(int width) => Math.Min(256, Math.Max(32, (width / 2 + 31) / 32 * 32));

    /// <summary>One block per row.</summary>
    public static LaunchConfig Launch<TShape>(int rows) where TShape : IHadamardShape => new(rows, ThreadsFor(TShape.Width));

    /// <summary>int8 codes of each rotated row with one per-tensor <paramref name="scale"/>.</summary>
    /// <param name="input">[rows, Width] floats.</param>
    /// <param name="baseSigns">H_m as +-1 floats, row-major, m x m (<see cref="HadamardTables.Signs"/>; [1] for powers of two).</param>
    /// <param name="output">[rows, Width] codes.</param>
    [Kernel]
    [Specialize(typeof(Hadamard384))]
    [Specialize(typeof(Hadamard512))]
    [Specialize(typeof(Hadamard20))]
    [Specialize(typeof(Hadamard448))]
    [Specialize(typeof(Hadamard640))]
    [Specialize(typeof(Hadamard5120))]
    public static void HadamardQuantize<TShape>(ReadOnlyDeviceSpan<float> input, ReadOnlyDeviceSpan<float> baseSigns, float scale, DeviceSpan<sbyte> output)
        where TShape : IHadamardShape
    {
        var row = SharedMemory.Allocate<float>(TShape.Width);
        var signs = SharedMemory.Allocate<Float4>(TShape.BaseOrder * TShape.BaseOrder / 4 + 1);
        int r = Gpu.BlockIdxX;
        float normalisation = WalshStages<TShape>(input, baseSigns, row, signs, r);
        int baseRow = r * TShape.Width;
        if (TShape.BaseOrder == 1)
        {
            for (int i = Gpu.ThreadIdxX; i < TShape.Width; i += Gpu.BlockDimX)
                output[baseRow + i] = KernelMath.Quantize(row[i] * normalisation, scale);
            return;
        }
        const int TileOutputs = 4;
        int w = TShape.WalshSize;
        int items = TShape.WalshSize * (TShape.BaseOrder / TileOutputs);
        for (int item = Gpu.ThreadIdxX; item < items; item += Gpu.BlockDimX)
        {
            int b = item % w, tile = item / w;
            DenseTile<TShape>(row, signs, b, tile, out float y0, out float y1, out float y2, out float y3);
            int o = baseRow + TileOutputs * tile * w + b;
            output[o] = KernelMath.Quantize(y0 * normalisation, scale);
            output[o + w] = KernelMath.Quantize(y1 * normalisation, scale);
            output[o + 2 * w] = KernelMath.Quantize(y2 * normalisation, scale);
            output[o + 3 * w] = KernelMath.Quantize(y3 * normalisation, scale);
        }
    }

    /// <summary>The rotated rows as floats (the A16 path).</summary>
    [Kernel]
    [Specialize(typeof(Hadamard384))]
    [Specialize(typeof(Hadamard512))]
    [Specialize(typeof(Hadamard640))]
    [Specialize(typeof(Hadamard5120))]
    public static void HadamardRotate<TShape>(ReadOnlyDeviceSpan<float> input, ReadOnlyDeviceSpan<float> baseSigns, DeviceSpan<float> output)
        where TShape : IHadamardShape
    {
        var row = SharedMemory.Allocate<float>(TShape.Width);
        var signs = SharedMemory.Allocate<Float4>(TShape.BaseOrder * TShape.BaseOrder / 4 + 1);
        int r = Gpu.BlockIdxX;
        float normalisation = WalshStages<TShape>(input, baseSigns, row, signs, r);
        int baseRow = r * TShape.Width;
        if (TShape.BaseOrder == 1)
        {
            for (int i = Gpu.ThreadIdxX; i < TShape.Width; i += Gpu.BlockDimX)
                output[baseRow + i] = row[i] * normalisation;
            return;
        }
        const int TileOutputs = 4;
        int w = TShape.WalshSize;
        int items = TShape.WalshSize * (TShape.BaseOrder / TileOutputs);
        for (int item = Gpu.ThreadIdxX; item < items; item += Gpu.BlockDimX)
        {
            int b = item % w, tile = item / w;
            DenseTile<TShape>(row, signs, b, tile, out float y0, out float y1, out float y2, out float y3);
            int o = baseRow + TileOutputs * tile * w + b;
            output[o] = y0 * normalisation;
            output[o + w] = y1 * normalisation;
            output[o + 2 * w] = y2 * normalisation;
            output[o + 3 * w] = y3 * normalisation;
        }
    }

    /// <summary>
    /// Loads row <paramref name="r"/> and the sign table into shared memory and runs the Walsh-Hadamard butterflies on
    /// each 2^k segment (stage h pairs i and i + h: a + b, a - b, exactly the model's order). Returns 1/sqrt(n).
    /// </summary>
    private static float WalshStages<TShape>(ReadOnlyDeviceSpan<float> input, ReadOnlyDeviceSpan<float> baseSigns, DeviceSpan<float> row, DeviceSpan<Float4> signs, int r)
        where TShape : IHadamardShape
    {
        int t = Gpu.ThreadIdxX, threads = Gpu.BlockDimX;
        int baseRow = r * TShape.Width;
        for (int i = t; i < TShape.Width; i += threads) row[i] = input[baseRow + i];
        if (TShape.BaseOrder > 1)
        {
            for (int e = t; e < TShape.BaseOrder * TShape.BaseOrder / 4; e += threads)
                signs[e] = new Float4(baseSigns[4 * e], baseSigns[4 * e + 1], baseSigns[4 * e + 2], baseSigns[4 * e + 3]);
        }
        Gpu.SyncThreads();
        int halfSegment = TShape.WalshSize / 2;
        int pairs = TShape.Width / 2;
        int logH = 0;
        for (int h = 1; h < TShape.WalshSize; h <<= 1)
        {
            for (int j = t; j < pairs; j += threads)
            {
                int segment = j / halfSegment;
                int local = j - segment * halfSegment;
                int block = local >> logH;
                int offset = local & (h - 1);
                int i0 = segment * TShape.WalshSize + (block << (logH + 1)) + offset;
                float a = row[i0], b = row[i0 + h];
                row[i0] = a + b;
                row[i0 + h] = a - b;
            }
            logH++;
            Gpu.SyncThreads();
        }
        return (float)(1.0 / Math.Sqrt((double)TShape.Width));
    }

    /// <summary>y[a2] = sum_{a = 0..m-1} H[a, a2] z[a, b] for a2 = 4 tile .. 4 tile + 3, each summed in order of a.</summary>
    private static void DenseTile<TShape>(DeviceSpan<float> row, DeviceSpan<Float4> signs, int b, int tile, out float y0, out float y1, out float y2, out float y3)
        where TShape : IHadamardShape
    {
        float acc0 = 0f, acc1 = 0f, acc2 = 0f, acc3 = 0f;
        for (int a = 0; a < TShape.BaseOrder; a++)
        {
            float z = row[a * TShape.WalshSize + b];
            Float4 s = signs[a * (TShape.BaseOrder / 4) + tile];
            acc0 = MathF.FusedMultiplyAdd(z, s.X, acc0);
            acc1 = MathF.FusedMultiplyAdd(z, s.Y, acc1);
            acc2 = MathF.FusedMultiplyAdd(z, s.Z, acc2);
            acc3 = MathF.FusedMultiplyAdd(z, s.W, acc3);
        }
        y0 = acc0;
        y1 = acc1;
        y2 = acc2;
        y3 = acc3;
    }
}
