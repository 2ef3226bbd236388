namespace Quamba.Kernels.Mamba;

/// <summary>
/// The online Hadamard rotation <c>y = x M_n</c>, <c>M_n = (H_m (x) W_{2^k}) / sqrt(n)</c>, of each row of a
/// <c>[rows, n]</c> float matrix, fused with int8 quantization (<see cref="HadamardQuantize{TShape}"/>) or
/// writing floats for the A16 path (<see cref="HadamardRotate{TShape}"/>). The result equals Quamba.Model's
/// <c>HadamardTransform.Apply</c> bit for bit: the same butterflies in the same order on each of the m contiguous
/// 2^k segments; for m = 40 = 2 x 20 (H_40 = H_2 (x) H_20) one more butterfly across the two halves; then the dense
/// product with H_m (or H_20 on each half) in <see cref="HadamardGrouping"/>'s order, then one multiply by
/// <c>(float)(1 / sqrt(n))</c>, then (quantizing) <c>round_half_even(y / scale)</c>.
/// </summary>
/// <remarks>
/// One block per row, <see cref="HadamardLayout.Threads"/> threads, the row as (padded) quads in dynamic shared memory
/// (<see cref="HadamardLayout"/>). <c>HadamardKernels.Walsh.cs</c>: 128-bit loads of the row with the Walsh stages
/// inside each quad, then register passes of up to three butterfly stages (each thread 8 quads, 2^s quads apart; the
/// halves of m = 40 are the last stage). <c>HadamardKernels.Dense.cs</c>: a thread per column (half, b) runs the
/// order's unrolled column (<c>HadamardKernels.DenseColumns.cs</c>, the signs compiled in: 4.75 adds per element for
/// H_20 instead of 20) and writes its outputs straight to global memory through <see cref="ReciprocalQuantization"/>
/// (equal to <see cref="KernelMath.Quantize"/>, without a division per value) or as floats. The codes are rounded
/// by a clamped 1.5 x 2^23 shift, not by round and convert instructions; values near a rounding boundary and NaN take
/// the exact division.
/// </remarks>
public static partial class HadamardKernels
{
    /// <summary>Threads per block of a shape (<see cref="HadamardLayout.Threads"/>); the kernels work with any multiple of 32 at least this large.</summary>
    public static int ThreadsFor<TShape>() where TShape : IHadamardShape => HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize);

    /// <summary>One block per row, the row in dynamic shared memory.</summary>
    public static LaunchConfig Launch<TShape>(int rows) where TShape : IHadamardShape
    {
        ShapeChecks.ValidateHadamard<TShape>();
        if (HadamardLayout.Unsupported(TShape.Width, TShape.BaseOrder, TShape.WalshSize) is { } reason)
            throw new ArgumentException($"Shape {typeof(TShape).Name}: {reason}.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        return new(rows, ThreadsFor<TShape>(), HadamardLayout.SharedBytes(TShape.Width, TShape.WalshSize));
    }

    /// <summary>int8 codes of each rotated row with one per-tensor <paramref name="scale"/>.</summary>
    /// <param name="input">[rows, Width] floats.</param>
    /// <param name="output">[rows, Width] codes.</param>
    [Kernel]
    [Specialize(typeof(Hadamard384))]
    [Specialize(typeof(Hadamard512))]
    [Specialize(typeof(Hadamard20))]
    [Specialize(typeof(Hadamard448))]
    [Specialize(typeof(Hadamard640))]
    [Specialize(typeof(Hadamard1536))]
    [Specialize(typeof(Hadamard4096))]
    [Specialize(typeof(Hadamard8192))]
    [Specialize(typeof(Hadamard5120))]
    public static void HadamardQuantize<TShape>(ReadOnlyDeviceSpan<float> input, float scale, DeviceSpan<sbyte> output)
        where TShape : IHadamardShape
    {
        RotateRow<TShape, CodeOutput>(input, output, default, scale);
    }

    /// <summary>The rotated rows as floats (the A16 path).</summary>
    [Kernel]
    [Specialize(typeof(Hadamard384))]
    [Specialize(typeof(Hadamard512))]
    [Specialize(typeof(Hadamard640))]
    [Specialize(typeof(Hadamard1536))]
    [Specialize(typeof(Hadamard4096))]
    [Specialize(typeof(Hadamard5120))]
    public static void HadamardRotate<TShape>(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> output)
        where TShape : IHadamardShape
    {
        RotateRow<TShape, FloatOutput>(input, default, output, 1f);
    }

    /// <summary>
    /// Row <c>BlockIdxX</c>: the load with the in-quad Walsh stages, the register passes of the later stages, then the
    /// dense step writing the outputs (m &gt; 1) or, for a power of two, one coalesced loop over the row: codes when
    /// <typeparamref name="TOutput"/> quantizes, else floats.
    /// </summary>
    private static void RotateRow<TShape, TOutput>(ReadOnlyDeviceSpan<float> input, DeviceSpan<sbyte> codes, DeviceSpan<float> floats,
        float scale) where TShape : IHadamardShape where TOutput : IOutputKind
    {
        var row4 = SharedMemory.Dynamic<Float4>();
        var output = new RowOutput(Gpu.BlockIdxX * HadamardLayout.Quads(TShape.Width), (float)(1.0 / Math.Sqrt((double)TShape.Width)), scale);
        var codes4 = codes.Cast<uint>();
        var floats4 = floats.Cast<Float4>();
        int stages = HadamardLayout.Stages(TShape.BaseOrder, TShape.WalshSize);
        LoadRow<TShape>(input.Cast<Float4>(), output.FirstQuad, row4);
        Gpu.SyncThreads();
        // One call per pass (at most MaxPasses), so that each pass's stage count and strides are constants in its code;
        // the conditions fold at compile time, so only the shape's passes are emitted.
        if (HadamardLayout.Stages(TShape.BaseOrder, TShape.WalshSize) > 0) ButterflyPassThenSync<TShape>(row4, 0, stages);
        if (HadamardLayout.Stages(TShape.BaseOrder, TShape.WalshSize) > HadamardLayout.StagesPerPass) ButterflyPassThenSync<TShape>(row4, HadamardLayout.StagesPerPass, stages);
        if (HadamardLayout.Stages(TShape.BaseOrder, TShape.WalshSize) > 2 * HadamardLayout.StagesPerPass) ButterflyPassThenSync<TShape>(row4, 2 * HadamardLayout.StagesPerPass, stages);
        if (HadamardLayout.Stages(TShape.BaseOrder, TShape.WalshSize) > 3 * HadamardLayout.StagesPerPass) ButterflyPassThenSync<TShape>(row4, 3 * HadamardLayout.StagesPerPass, stages);
        if (TShape.BaseOrder > 1)
        {
            DenseStep<TShape, TOutput>(SharedMemory.Dynamic<float>(), output, codes, floats);
            return;
        }
        for (int q = Gpu.ThreadIdxX; q < HadamardLayout.Quads(TShape.Width); q += Gpu.BlockDimX)
            WriteQuad<TOutput>(output, q, row4[HadamardLayout.Slot(TShape.WalshSize, q)], codes4, floats4);
    }

    /// <summary>The pass over stages first .. first + 2 (fewer at the end), then a barrier.</summary>
    private static void ButterflyPassThenSync<TShape>(DeviceSpan<Float4> row4, int first, int stages) where TShape : IHadamardShape
    {
        ButterflyPass<TShape>(row4, first, Math.Min(HadamardLayout.StagesPerPass, stages - first));
        Gpu.SyncThreads();
    }

    /// <summary>Where a row's outputs go: its first quad in the output, the 1/sqrt(n) factor, the scale and (quantizing) the product reciprocal.</summary>
    private struct RowOutput
    {
        public int FirstQuad;
        public float Normalisation;
        public float Scale;
        public float ProductReciprocal;

        public RowOutput(int firstQuad, float normalisation, float scale)
        {
            FirstQuad = firstQuad;
            Normalisation = normalisation;
            Scale = scale;
            ProductReciprocal = ReciprocalQuantization.ProductReciprocal(normalisation, scale);
        }
    }

    /// <summary>
    /// Output quad q of the row (elements 4q .. 4q + 3) times 1/sqrt(n): 4 codes in one 32-bit store, or one 128-bit
    /// store of floats. The codes are <see cref="ReciprocalQuantization.QuantizeProduct"/>'s; its fast path is written
    /// out for the 4 values so that the rare exact path (a value near a rounding boundary) is one loop, not 4 inlined copies.
    /// </summary>
    private static void WriteQuad<TOutput>(RowOutput output, int quad, Float4 y, DeviceSpan<uint> codes4, DeviceSpan<Float4> floats4) where TOutput : IOutputKind
    {
        if (!TOutput.Quantizes)
        {
            floats4[output.FirstQuad + quad] = new Float4(y.X * output.Normalisation, y.Y * output.Normalisation, y.Z * output.Normalisation, y.W * output.Normalisation);
            return;
        }
        float q = output.ProductReciprocal;
        float t0 = y.X * q, t1 = y.Y * q, t2 = y.Z * q, t3 = y.W * q;
        float s0 = ReciprocalQuantization.Shift(t0), s1 = ReciprocalQuantization.Shift(t1), s2 = ReciprocalQuantization.Shift(t2), s3 = ReciprocalQuantization.Shift(t3);
        // The low byte of each shifted value's bits is its code (ReciprocalQuantization.CodeOf).
        uint packed = PackCodes(BitConverter.SingleToInt32Bits(s0), BitConverter.SingleToInt32Bits(s1), BitConverter.SingleToInt32Bits(s2), BitConverter.SingleToInt32Bits(s3));
        // & rather than &&: one test of all four, no branch per value.
        if (!(ReciprocalQuantization.IsShiftExact(t0, s0) & ReciprocalQuantization.IsShiftExact(t1, s1)
            & ReciprocalQuantization.IsShiftExact(t2, s2) & ReciprocalQuantization.IsShiftExact(t3, s3)))
        {
            packed = 0;
            for (int k = 0; k < 4; k++)
            {
                float v = k == 0 ? y.X : k == 1 ? y.Y : k == 2 ? y.Z : y.W;
                packed |= (uint)(ReciprocalQuantization.QuantizeProduct(v, output.Normalisation, output.Scale, q) & 0xFF) << (8 * k);
            }
        }
        codes4[output.FirstQuad + quad] = packed;
    }

    /// <summary>The low bytes of four words as one little-endian word, the first in the lowest byte (the order of the bytes in memory).</summary>
    private static uint PackCodes(int c0, int c1, int c2, int c3) =>
        (uint)((c0 & 0xFF) | ((c1 & 0xFF) << 8) | ((c2 & 0xFF) << 16) | (c3 << 24));
}
