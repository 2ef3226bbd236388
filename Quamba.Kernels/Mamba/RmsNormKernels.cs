namespace Quamba.Kernels.Mamba;

/// <summary>
/// Row-wise normalisations, one block per token row:
/// <list type="bullet">
/// <item><see cref="ResidualRmsNormQuantize{TShape}"/>: the fused residual add + RMSNorm + int8 quantization that
/// feeds every in_proj (<c>res += delta; y = res * (1 / sqrt(mean(res^2) + eps)) * weight; code = quantize(y, scale)</c>;
/// gamma is usually folded into in_proj offline, then weight is all ones); <see cref="ResidualRmsNorm{TShape}"/> writes
/// y as floats (the A16 path and the final norm before lm_head).</item>
/// <item><see cref="GatedRmsNorm{TShape}"/>: Mamba2's gated norm, <c>v = y * SiLU(zCode * zScale)</c>, then each group
/// of E/G channels scaled by <c>1 / sqrt(mean(v^2) + eps)</c>, times weight (mamba_ssm's RMSNormGated with
/// norm_before_gate = False, as Quamba.Model's GatedRmsNorm computes it).</item>
/// </list>
/// A thread holds at most <see cref="MaxPerThread"/> elements k * threads + t of a row in registers: every load of the
/// row (residual, delta, weight; y, z, weight) is issued before the first dependent operation and nothing is read
/// twice. Codes use <see cref="ReciprocalQuantization"/> (equal to KernelMath.Quantize, without a division per value). Sums of squares: per thread in order of k, then a warp butterfly,
/// then the warps' sums added in order by every thread (deterministic; a different order from a sequential sum, so
/// a code at a rounding boundary can move by one).
/// </summary>
public static partial class RmsNormKernels
{
    /// <summary>Most threads per row.</summary>
    public const int MaxThreads = 1024;

    /// <summary>Most elements of a row (or of a gated-norm group) one thread holds; also the throughput launch's target.</summary>
    public const int MaxPerThread = 8;

    /// <summary>Elements per thread of the single-row (decode) launch: more threads, a shorter chain per thread.</summary>
    public const int DecodePerThread = 4;

    /// <summary>Rows below which <see cref="Launch{TShape}(int)"/> uses the decode thread count (latency matters, not throughput).</summary>
    public const int DecodeRows = 64;

    /// <summary>Threads for rows of <paramref name="width"/> with about <paramref name="perThread"/> elements each: a multiple of 32, at most 1024.</summary>
    public static int ThreadsFor(int width, int perThread) => Math.Min(MaxThreads, ((width + perThread - 1) / perThread + 31) / 32 * 32);

    /// <summary>
    /// One block per row; the kernels work with any block size that leaves at most <see cref="MaxPerThread"/> elements
    /// per thread. Few rows (a decode step) get about 4 elements per thread, many rows about 8 (fewer threads share
    /// each block's fixed costs: the reduction, the reciprocal).
    /// </summary>
    public static LaunchConfig Launch<TShape>(int rows) where TShape : IRowShape => Launch<TShape>(rows, rows < DecodeRows);

    /// <summary>One block per row, with the decode or the throughput thread count.</summary>
    public static LaunchConfig Launch<TShape>(int rows, bool decode) where TShape : IRowShape =>
        new(rows, Threads(TShape.Width, decode, typeof(TShape).Name));

    /// <summary>One block per row of the gated norm; threads sized for a group of E / G channels (see <see cref="Launch{TShape}(int)"/>).</summary>
    public static LaunchConfig GatedLaunch<TShape>(int rows) where TShape : IMamba2Shape => GatedLaunch<TShape>(rows, rows < DecodeRows);

    /// <summary>The gated norm's launch with the decode or the throughput thread count.</summary>
    public static LaunchConfig GatedLaunch<TShape>(int rows, bool decode) where TShape : IMamba2Shape =>
        new(rows, Threads(TShape.InnerDim / TShape.StateGroups, decode, typeof(TShape).Name));

    private static int Threads(int width, bool decode, string shape)
    {
        int threads = ThreadsFor(width, decode ? DecodePerThread : MaxPerThread);
        if ((width + threads - 1) / threads > MaxPerThread)
            throw new ArgumentException($"Shape {shape}: rows of {width} need more than {MaxPerThread} elements per thread; the norm kernels take width <= {MaxPerThread * MaxThreads}.");
        return threads;
    }

    /// <param name="residual">[rows, Width], updated in place: residual += delta when <paramref name="addDelta"/>.</param>
    /// <param name="delta">[rows, Width], the previous mixer's output (ignored when addDelta is false; pass any span).</param>
    /// <param name="weight">[Width] (ones when gamma is folded into in_proj).</param>
    /// <param name="output">[rows, Width] codes.</param>
    [Kernel]
    [Specialize(typeof(Row192))]
    [Specialize(typeof(Row256))]
    [Specialize(typeof(Row2560))]
    public static void ResidualRmsNormQuantize<TShape>(DeviceSpan<float> residual, ReadOnlyDeviceSpan<float> delta, bool addDelta, ReadOnlyDeviceSpan<float> weight,
        float eps, float scale, DeviceSpan<sbyte> output) where TShape : IRowShape
    {
        ResidualNormRow<TShape, CodeOutput>(residual, delta, addDelta, weight, eps, output, default, scale);
    }

    /// <summary>As <see cref="ResidualRmsNormQuantize{TShape}"/>, writing the normalised rows as floats.</summary>
    [Kernel]
    [Specialize(typeof(Row192))]
    [Specialize(typeof(Row256))]
    [Specialize(typeof(Row2560))]
    public static void ResidualRmsNorm<TShape>(DeviceSpan<float> residual, ReadOnlyDeviceSpan<float> delta, bool addDelta, ReadOnlyDeviceSpan<float> weight,
        float eps, DeviceSpan<float> output) where TShape : IRowShape
    {
        ResidualNormRow<TShape, FloatOutput>(residual, delta, addDelta, weight, eps, default, output, 1f);
    }

    /// <summary>Mamba2's gated RMSNorm; y [rows, E], z codes at row * zStride + c, weight [E], output [rows, E].</summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void GatedRmsNorm<TShape>(ReadOnlyDeviceSpan<float> y, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale, ReadOnlyDeviceSpan<float> weight,
        float eps, DeviceSpan<float> output) where TShape : IMamba2Shape
    {
        var scratch = SharedMemory.Allocate<float>(MaxThreads / 32);
        var stage = SharedMemory.Allocate<float>(TShape.InnerDim / TShape.StateGroups);
        int r = Gpu.BlockIdxX;
        int groupSize = TShape.InnerDim / TShape.StateGroups;
        for (int g = 0; g < TShape.StateGroups; g++)
        {
            int start = r * TShape.InnerDim + g * groupSize;
            int zStart = r * zStride + g * groupSize;
            Int4 p0 = Positions(0, groupSize), p1 = Positions(4, groupSize);
            Float4 y0 = Load(y, start, p0), z0 = LoadCodes(z, zStart, p0), w0 = Load(weight, g * groupSize, p0);
            Float4 y1 = default, z1 = default, w1 = default;
            if (groupSize > 4 * Gpu.BlockDimX)
            {
                y1 = Load(y, start, p1);
                z1 = LoadCodes(z, zStart, p1);
                w1 = Load(weight, g * groupSize, p1);
            }
            NormaliseGatedGroup(scratch, stage, groupSize, start, p0, p1, Gate(y0, z0, zScale), Gate(y1, z1, zScale), w0, w1, eps, output);
        }
    }

    /// <summary>
    /// The rest of one group of the gated norms once the gated values are in registers: the block's sum of squares,
    /// then <c>v * inverse * weight</c> staged and written as floats.
    /// </summary>
    private static void NormaliseGatedGroup(DeviceSpan<float> scratch, DeviceSpan<float> stage, int groupSize, int start, Int4 p0, Int4 p1,
        Float4 v0, Float4 v1, Float4 w0, Float4 w1, float eps, DeviceSpan<float> output)
    {
        float squares = AddSquares(AddSquares(0f, v0), v1);
        float inverse = 1f / MathF.Sqrt(BlockSum(squares, scratch) / groupSize + eps);
        StageNormalised(stage, p0, v0, w0, inverse);
        StageNormalised(stage, p1, v1, w1, inverse);
        WriteStaged<FloatOutput>(stage, groupSize, start, default, output, 1f);
    }

    /// <summary>
    /// One row of the residual norms: loads residual, delta and weight, adds and stores the residual, reduces, and
    /// writes <c>res * inverse * weight</c> as codes or floats (<typeparamref name="TOutput"/>).
    /// </summary>
    private static void ResidualNormRow<TShape, TOutput>(DeviceSpan<float> residual, ReadOnlyDeviceSpan<float> delta, bool addDelta, ReadOnlyDeviceSpan<float> weight,
        float eps, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, float scale) where TShape : IRowShape where TOutput : IOutputKind
    {
        var scratch = SharedMemory.Allocate<float>(MaxThreads / 32);
        var stage = SharedMemory.Allocate<float>(TShape.Width);
        int row = Gpu.BlockIdxX * TShape.Width;
        bool wide = TShape.Width > 4 * Gpu.BlockDimX;
        Int4 p0 = Positions(0, TShape.Width), p1 = Positions(4, TShape.Width);
        Float4 v0 = Load(residual, row, p0), w0 = Load(weight, 0, p0), d0 = default;
        Float4 v1 = default, w1 = default, d1 = default;
        if (wide)
        {
            v1 = Load(residual, row, p1);
            w1 = Load(weight, 0, p1);
        }
        if (addDelta)
        {
            d0 = Load(delta, row, p0);
            if (wide) d1 = Load(delta, row, p1);
            v0 = Add(v0, d0);
            Store(residual, row, p0, v0);
            if (wide)
            {
                v1 = Add(v1, d1);
                Store(residual, row, p1, v1);
            }
        }
        float squares = AddSquares(AddSquares(0f, v0), v1);
        float inverse = 1f / MathF.Sqrt(BlockSum(squares, scratch) / TShape.Width + eps);
        StageNormalised(stage, p0, v0, w0, inverse);
        StageNormalised(stage, p1, v1, w1, inverse);
        WriteStaged<TOutput>(stage, TShape.Width, row, codes, floats, scale);
    }

    /// <summary>The block's sum, returned to every thread; ends with a barrier so the scratch can be reused.</summary>
    private static float BlockSum(float value, DeviceSpan<float> scratch)
    {
        for (int mask = 16; mask > 0; mask >>= 1) value += Warp.ShuffleXor(value, mask);
        if ((Gpu.ThreadIdxX & 31) == 0) scratch[Gpu.ThreadIdxX >> 5] = value;
        Gpu.SyncThreads();
        float total = 0f;
        for (int w = 0; w < Gpu.BlockDimX >> 5; w++) total += scratch[w];
        Gpu.SyncThreads();
        return total;
    }
}
