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
/// memory. First Walsh pass (<c>HadamardKernels.Walsh.cs</c>): each warp transforms chunks of 128 elements, lane l
/// holding l + 32 j; stages h &lt; 32 are warp shuffles, h = 32, 64 register pairs. For 2^k &gt; 128 register passes
/// give each thread up to 8 elements 2^s apart (three stages per pass). Dense step
/// (<c>HadamardKernels.Dense.cs</c>): each thread owns 4 adjacent columns b (one 128-bit shared load per input a) and
/// 4 sign columns (one broadcast 128-bit load per a), so a term costs one fused multiply-add; for m = 40 the
/// Sylvester structure lets outputs c and c + 20 share their first 20 terms (the same operations in the same order,
/// so still exact). The results go back to the shared row and one coalesced loop writes them, as codes through
/// <see cref="ReciprocalQuantization"/> (equal to <see cref="KernelMath.Quantize"/>, without a division per value).
/// Every helper is inlined at each call, so the code keeps few call sites (the PTX stays small).
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
        return new(rows, ThreadsFor<TShape>(), HadamardLayout.SharedBytes(TShape.Width, TShape.BaseOrder));
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
    [Specialize(typeof(Hadamard1536))]
    [Specialize(typeof(Hadamard4096))]
    [Specialize(typeof(Hadamard8192))]
    [Specialize(typeof(Hadamard5120))]
    public static void HadamardQuantize<TShape>(ReadOnlyDeviceSpan<float> input, ReadOnlyDeviceSpan<float> baseSigns, float scale, DeviceSpan<sbyte> output)
        where TShape : IHadamardShape
    {
        RotateRow<TShape, CodeOutput>(input, baseSigns, output, default, scale);
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
        RotateRow<TShape, FloatOutput>(input, baseSigns, default, output, 1f);
    }

    /// <summary>
    /// Row <c>BlockIdxX</c>: the Walsh passes, the dense step (m &gt; 1), each leaving its result in the shared row,
    /// then the outputs: codes when <typeparamref name="TOutput"/> quantizes, else floats.
    /// </summary>
    private static void RotateRow<TShape, TOutput>(ReadOnlyDeviceSpan<float> input, ReadOnlyDeviceSpan<float> baseSigns, DeviceSpan<sbyte> codes, DeviceSpan<float> floats,
        float scale) where TShape : IHadamardShape where TOutput : IOutputKind
    {
        var row = SharedMemory.Dynamic<float>();
        var row4 = SharedMemory.Dynamic<Float4>();
        int rowBase = Gpu.BlockIdxX * TShape.Width;
        if (TShape.BaseOrder > 1) StageSigns<TShape>(baseSigns, row4);
        FirstWalshPass<TShape>(input, row, rowBase);
        Gpu.SyncThreads();
        if (TShape.WalshSize > HadamardLayout.Chunk) LaterWalshPasses<TShape>(row);
        if (TShape.BaseOrder > 1) DenseStep<TShape>(row4);
        WriteRow<TShape, TOutput>(row, rowBase, codes, floats, scale);
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

    /// <summary>
    /// Writes the transformed row (in shared memory; callers end with a barrier) times 1/sqrt(n), coalesced: codes
    /// through <see cref="ReciprocalQuantization.QuantizeProduct"/> with <c>1/sqrt(n) / scale</c> computed once, or floats.
    /// </summary>
    private static void WriteRow<TShape, TOutput>(DeviceSpan<float> row, int rowBase, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, float scale)
        where TShape : IHadamardShape where TOutput : IOutputKind
    {
        float normalisation = (float)(1.0 / Math.Sqrt((double)TShape.Width));
        if (TOutput.Quantizes)
        {
            float productReciprocal = ReciprocalQuantization.ProductReciprocal(normalisation, scale);
            for (int e = Gpu.ThreadIdxX; e < TShape.Width; e += Gpu.BlockDimX)
                codes[rowBase + e] = ReciprocalQuantization.QuantizeProduct(row[e], normalisation, scale, productReciprocal);
            return;
        }
        for (int e = Gpu.ThreadIdxX; e < TShape.Width; e += Gpu.BlockDimX)
            floats[rowBase + e] = row[e] * normalisation;
    }
}
