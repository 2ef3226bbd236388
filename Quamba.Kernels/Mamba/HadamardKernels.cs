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
/// One block per row, <see cref="HadamardLayout.Threads"/> threads, the row and the sign table in dynamic shared
/// memory. First Walsh pass (<c>HadamardKernels.Walsh.cs</c>): each warp loads its chunks of 128 elements (all loads
/// in flight before any arithmetic), lane l holding l + 32 j; stages h &lt; 32 are warp shuffles, h = 32, 64 register
/// pairs. For 2^k &gt; 128 a second pass gives each thread the 2^k / 128 elements r + 128 i of a segment in registers.
/// Dense step (<c>HadamardKernels.Dense.cs</c>): each thread owns 4 adjacent columns b (one 128-bit shared load per
/// input a) and 4 sign columns (one broadcast 128-bit load per a), so a term costs one fused multiply-add; for m = 40
/// the Sylvester structure lets outputs c and c + 20 share their first 20 terms (the same operations in the same
/// order, so still exact). Results go straight from registers to global memory; codes are computed with
/// <see cref="ReciprocalQuantization"/> (equal to <see cref="KernelMath.Quantize"/>, without a division per value).
/// </remarks>
public static partial class HadamardKernels
{
    /// <summary>Threads per block of a shape (<see cref="HadamardLayout.Threads"/>); the kernels assume exactly this many.</summary>
    public static int ThreadsFor<TShape>() where TShape : IHadamardShape => HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize);

    /// <summary>
    /// One block per row, the row in dynamic shared memory: <see cref="HadamardLayout.Threads"/> threads, or for a
    /// few rows (fewer than <see cref="HadamardLayout.DecodeRows"/>, such as a decode step) four times as many, each
    /// doing a quarter of the work, for latency.
    /// </summary>
    public static LaunchConfig Launch<TShape>(int rows) where TShape : IHadamardShape => Launch<TShape>(rows, rows < HadamardLayout.DecodeRows);

    /// <summary>One block per row, with the single-row (<paramref name="decode"/>) or the throughput thread count.</summary>
    public static LaunchConfig Launch<TShape>(int rows, bool decode) where TShape : IHadamardShape
    {
        ShapeChecks.ValidateHadamard<TShape>();
        if (HadamardLayout.Unsupported(TShape.Width, TShape.BaseOrder, TShape.WalshSize) is { } reason)
            throw new ArgumentException($"Shape {typeof(TShape).Name}: {reason}.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        int threads = decode ? HadamardLayout.DecodeThreads(TShape.Width, TShape.BaseOrder, TShape.WalshSize) : ThreadsFor<TShape>();
        return new(rows, threads, HadamardLayout.SharedBytes(TShape.Width, TShape.BaseOrder));
    }

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
    [Specialize(typeof(Hadamard64))]
    [Specialize(typeof(Hadamard1536))]
    [Specialize(typeof(Hadamard4096))]
    [Specialize(typeof(Hadamard5120))]
    public static void HadamardQuantize<TShape>(ReadOnlyDeviceSpan<float> input, ReadOnlyDeviceSpan<float> baseSigns, float scale, DeviceSpan<sbyte> output)
        where TShape : IHadamardShape
    {
        RotateRow<TShape>(input, baseSigns, output, default, true, scale);
    }

    /// <summary>The rotated rows as floats (the A16 path).</summary>
    [Kernel]
    [Specialize(typeof(Hadamard384))]
    [Specialize(typeof(Hadamard512))]
    [Specialize(typeof(Hadamard640))]
    [Specialize(typeof(Hadamard1536))]
    [Specialize(typeof(Hadamard4096))]
    [Specialize(typeof(Hadamard5120))]
    public static void HadamardRotate<TShape>(ReadOnlyDeviceSpan<float> input, ReadOnlyDeviceSpan<float> baseSigns, DeviceSpan<float> output)
        where TShape : IHadamardShape
    {
        RotateRow<TShape>(input, baseSigns, default, output, false, 1f);
    }

    /// <summary>
    /// Row <c>BlockIdxX</c>: the Walsh passes, then (m &gt; 1) the dense step; each writes the outputs it finishes, to
    /// <paramref name="codes"/> when <paramref name="quantize"/> (a constant per kernel), else to <paramref name="floats"/>.
    /// </summary>
    private static void RotateRow<TShape>(ReadOnlyDeviceSpan<float> input, ReadOnlyDeviceSpan<float> baseSigns, DeviceSpan<sbyte> codes, DeviceSpan<float> floats,
        bool quantize, float scale) where TShape : IHadamardShape
    {
        var row = SharedMemory.Dynamic<float>();
        var row4 = SharedMemory.Dynamic<Float4>();
        int rowBase = Gpu.BlockIdxX * TShape.Width;
        float normalisation = (float)(1.0 / Math.Sqrt((double)TShape.Width));
        var scales = new RotationScales(normalisation, scale, quantize ? ReciprocalQuantization.ProductReciprocal(normalisation, scale) : 1f);
        if (TShape.BaseOrder > 1) StageSigns<TShape>(baseSigns, row4);
        FirstWalshPass<TShape>(input, row, rowBase, codes, floats, quantize, scales);
        if (TShape.BaseOrder == 1 && TShape.WalshSize <= HadamardLayout.Chunk) return;
        Gpu.SyncThreads();
        if (TShape.WalshSize > HadamardLayout.Chunk)
        {
            SecondWalshPass<TShape>(row, rowBase, codes, floats, quantize, scales);
            if (TShape.BaseOrder == 1) return;
            Gpu.SyncThreads();
        }
        DenseStep<TShape>(row, row4, rowBase, codes, floats, quantize, scales);
    }

    /// <summary>
    /// Copies the sign table the dense step reads behind the row (Float4 index n / 4 on), 4 adjacent columns per
    /// Float4: H_m, or for a Sylvester double (<see cref="HadamardLayout.Doubled"/>) its top-left quarter. Thread a
    /// copies row a.
    /// </summary>
    private static void StageSigns<TShape>(ReadOnlyDeviceSpan<float> baseSigns, DeviceSpan<Float4> row4) where TShape : IHadamardShape
    {
        int a = Gpu.ThreadIdxX;
        int quads = HadamardLayout.Tiles(TShape.BaseOrder);
        if (a < HadamardLayout.SignOrder(TShape.BaseOrder))
        {
            for (int q = 0; q < quads; q++)
            {
                int s = a * TShape.BaseOrder + 4 * q;
                row4[TShape.Width / 4 + a * quads + q] = new Float4(baseSigns[s], baseSigns[s + 1], baseSigns[s + 2], baseSigns[s + 3]);
            }
        }
    }

    /// <summary>Output <paramref name="o"/> of the rotated value <paramref name="y"/> times 1/sqrt(n): its code, or the float.</summary>
    private static void Write(DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, int o, float y, RotationScales scales)
    {
        if (quantize) codes[o] = ReciprocalQuantization.QuantizeProduct(y, scales.Normalisation, scales.Scale, scales.ProductReciprocal);
        else floats[o] = y * scales.Normalisation;
    }

    /// <summary>1/sqrt(n), the quantization scale and their <see cref="ReciprocalQuantization.ProductReciprocal"/>.</summary>
    private struct RotationScales
    {
        public float Normalisation;
        public float Scale;
        public float ProductReciprocal;

        public RotationScales(float normalisation, float scale, float productReciprocal)
        {
            Normalisation = normalisation;
            Scale = scale;
            ProductReciprocal = productReciprocal;
        }
    }
}
