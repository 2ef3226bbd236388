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
/// One block per <see cref="HadamardLayout.RowsPerBlock"/> rows (the next row's loads in flight while the current
/// one finishes), <see cref="HadamardLayout.Threads"/> threads, the row and the sign table in dynamic shared memory. First Walsh pass (<c>HadamardKernels.Walsh.cs</c>): each warp loads its chunks of 128 elements (all loads
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

    /// <summary>One block per <see cref="HadamardLayout.RowsPerBlock"/> rows, the row being transformed in dynamic shared memory.</summary>
    public static LaunchConfig Launch<TShape>(int rows) where TShape : IHadamardShape => Launch<TShape>(rows, HadamardLayout.RowsPerBlock);

    /// <summary>
    /// A launch giving each block about <paramref name="rowsPerBlock"/> rows (the kernels split the input's rows evenly
    /// over whatever grid they get; more rows per block hide more load latency, fewer fill more multiprocessors).
    /// </summary>
    public static LaunchConfig Launch<TShape>(int rows, int rowsPerBlock) where TShape : IHadamardShape
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowsPerBlock);
        ShapeChecks.ValidateHadamard<TShape>();
        if (HadamardLayout.Unsupported(TShape.Width, TShape.BaseOrder, TShape.WalshSize) is { } reason)
            throw new ArgumentException($"Shape {typeof(TShape).Name}: {reason}.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        return new((rows + rowsPerBlock - 1) / rowsPerBlock, ThreadsFor<TShape>(), HadamardLayout.SharedBytes(TShape.Width, TShape.BaseOrder));
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
        RotateRows<TShape>(input, baseSigns, output, default, true, scale);
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
        RotateRows<TShape>(input, baseSigns, default, output, false, 1f);
    }

    /// <summary>
    /// Block b's rows (the input's rows split evenly over the grid; <see cref="Launch{TShape}"/> gives each block
    /// <see cref="HadamardLayout.RowsPerBlock"/>), one after the other: the Walsh passes, then (m &gt; 1) the dense step; each writes the outputs it finishes, to
    /// <paramref name="codes"/> when <paramref name="quantize"/> (a constant per kernel), else to <paramref name="floats"/>.
    /// The next row's loads are issued right after the first pass, so they are in flight while this row finishes.
    /// </summary>
    private static void RotateRows<TShape>(ReadOnlyDeviceSpan<float> input, ReadOnlyDeviceSpan<float> baseSigns, DeviceSpan<sbyte> codes, DeviceSpan<float> floats,
        bool quantize, float scale) where TShape : IHadamardShape
    {
        var row = SharedMemory.Dynamic<float>();
        var row4 = SharedMemory.Dynamic<Float4>();
        var scales = new RotationScales((float)(1.0 / Math.Sqrt((double)TShape.Width)), scale, quantize ? ReciprocalQuantization.Reciprocal(scale) : 1f);
        if (TShape.BaseOrder > 1) StageSigns<TShape>(baseSigns, row4);
        // The rows split evenly over the grid: block b takes rows b * perBlock .. (b + 1) * perBlock - 1.
        int rows = input.Length / TShape.Width;
        int perBlock = (rows + Gpu.GridDimX - 1) / Gpu.GridDimX;
        int rowBase = Gpu.BlockIdxX * perBlock * TShape.Width;
        int end = Math.Min(rowBase + perBlock * TShape.Width, input.Length);
        RowChunks chunks = default;
        if (rowBase < end) chunks = LoadRow<TShape>(input, rowBase);
        while (rowBase < end)
        {
            FirstWalshPass<TShape>(ref chunks, row, rowBase, codes, floats, quantize, scales);
            int next = rowBase + TShape.Width;
            bool more = next < end;
            if (TShape.BaseOrder > 1 || TShape.WalshSize > HadamardLayout.Chunk) Gpu.SyncThreads();
            if (more) chunks = LoadRow<TShape>(input, next);
            if (TShape.WalshSize > HadamardLayout.Chunk) SecondWalshPass<TShape>(row, rowBase, codes, floats, quantize, scales);
            if (TShape.BaseOrder > 1)
            {
                if (TShape.WalshSize > HadamardLayout.Chunk) Gpu.SyncThreads();
                DenseStep<TShape>(row4, rowBase, codes, floats, quantize, scales);
            }
            // The next row's first pass overwrites the shared row.
            if (TShape.BaseOrder > 1 || TShape.WalshSize > HadamardLayout.Chunk) Gpu.SyncThreads();
            rowBase = next;
        }
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
        if (quantize) codes[o] = ReciprocalQuantization.Quantize(y * scales.Normalisation, scales.Scale, scales.Reciprocal);
        else floats[o] = y * scales.Normalisation;
    }

    /// <summary>1/sqrt(n), the quantization scale and its <see cref="ReciprocalQuantization.Reciprocal"/>.</summary>
    private struct RotationScales
    {
        public float Normalisation;
        public float Scale;
        public float Reciprocal;

        public RotationScales(float normalisation, float scale, float reciprocal)
        {
            Normalisation = normalisation;
            Scale = scale;
            Reciprocal = reciprocal;
        }
    }
}
