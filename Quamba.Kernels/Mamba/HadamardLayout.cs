namespace Quamba.Kernels.Mamba;

/// <summary>
/// How the Hadamard kernels split one row of width n = m 2^k over a block, shared by the host
/// (<see cref="HadamardKernels.Launch{TShape}"/>) and the kernels. Inside a kernel every argument is a shape constant,
/// so ptxas folds these to immediates; they use shifts, never / or %, because ptxas expands a PTX division into its
/// general sequence before it folds constants.
/// </summary>
/// <remarks>
/// The row lives in shared memory as quads (4 adjacent elements, one 128-bit access), quad q in slot
/// <c>q + q / 8</c> (<see cref="Slot"/>): one padding quad per 8, so that threads reading 8 consecutive quads each
/// (a butterfly pass over quad strides 1, 2, 4) hit distinct banks. Rows with 2^k &lt; 8 have no such pass and are not
/// padded, so that in every row the elements of one column b, a = 0 .. m - 1, lie at constant offsets from the first
/// (<see cref="SegmentFloats"/>), as the dense step's unrolled columns read them. Element i = a 2^k + b; Walsh stage h pairs
/// i and i + h. Stages h = 1, 2 stay inside a quad (done as the row is loaded); the later ones, quad stride h / 4, and
/// for a Sylvester double (m = 40) the butterfly across the halves (quad stride n / 8) are the <see cref="Stages"/>
/// of the register passes, up to <see cref="StagesPerPass"/> per pass.
/// </remarks>
public static class HadamardLayout
{
    /// <summary>Butterfly stages one register pass applies at most: each thread then holds 2^3 = 8 quads.</summary>
    public const int StagesPerPass = 3;

    /// <summary>
    /// True when H_m is the Sylvester double [[H, H], [H, -H]] = H_2 (x) H_{m/2} of H_{m/2} (m = 40 = 2 x 20, as
    /// Quamba.Model builds it): applied as one more butterfly stage across the two halves, then H_{m/2} on each half.
    /// </summary>
    public static bool Doubled(int baseOrder) => baseOrder == 40;

    /// <summary>Order of the dense step's matrix: H_m, or H_{m/2} when <see cref="Doubled"/>.</summary>
    public static int SignOrder(int baseOrder) => Doubled(baseOrder) ? baseOrder >> 1 : baseOrder;

    /// <summary>Halves the dense step runs on independently: 2 for a Sylvester double, else 1.</summary>
    public static int Halves(int baseOrder) => Doubled(baseOrder) ? 2 : 1;

    /// <summary>Quads of a row.</summary>
    public static int Quads(int width) => width >> 2;

    /// <summary>Whether the row is padded: 2^k &gt;= 8, the rows with butterfly passes inside the segments.</summary>
    public static bool Padded(int walshSize) => walshSize >= 8;

    /// <summary>Shared-memory slot (in quads) of quad q: one padding quad after every 8 when <see cref="Padded"/>.</summary>
    public static int Slot(int walshSize, int quad) => Padded(walshSize) ? quad + (quad >> 3) : quad;

    /// <summary>Slots the row takes.</summary>
    public static int RowSlots(int width, int walshSize) => Slot(walshSize, Quads(width) - 1) + 1;

    /// <summary>Walsh stages inside a quad (h = 1, 2), applied as the row is loaded.</summary>
    public static int QuadStages(int walshSize) => walshSize >= 4 ? 2 : walshSize == 2 ? 1 : 0;

    /// <summary>Walsh stages across quads (h = 4 .. 2^k / 2).</summary>
    public static int WalshQuadStages(int walshSize) => Log2(walshSize) - QuadStages(walshSize);

    /// <summary>Butterfly stages of the register passes: the Walsh stages across quads, then the halves of a double.</summary>
    public static int Stages(int baseOrder, int walshSize) => WalshQuadStages(walshSize) + (Doubled(baseOrder) ? 1 : 0);

    /// <summary>Quad stride of stage s: 2^s for the Walsh stages (h = 4 2^s), n / 8 (half the row) for a double's.</summary>
    public static int StageStride(int width, int walshSize, int stage) => stage < WalshQuadStages(walshSize) ? 1 << stage : Quads(width) >> 1;

    /// <summary>Threads (units) a pass of <paramref name="stages"/> stages has work for: one per 2^stages quads.</summary>
    public static int PassUnits(int width, int stages) => Quads(width) >> stages;

    /// <summary>Dense-step columns of a row: (half, column b), each all <see cref="SignOrder"/> outputs of its column.</summary>
    public static int DenseColumns(int baseOrder, int walshSize) => baseOrder == 1 ? 0 : Halves(baseOrder) * walshSize;

    /// <summary>
    /// Float offset in the shared row of element a 2^k + b from element b (any b &lt; 2^k, any half): constant, because
    /// a padded row's segments are whole numbers of quads that start where a run of 8 quads cannot straddle them.
    /// </summary>
    public static int SegmentFloats(int walshSize, int a) => Padded(walshSize) ? 4 * SlotOffset(walshSize, a * (walshSize >> 2)) : a * walshSize;

    /// <summary>
    /// Threads per block: one per unit of a full pass (8 quads) and one per two dense columns, at least a warp. For
    /// 5120 = 40 x 128: 160 threads (1280 quads, 256 columns).
    /// </summary>
    public static int Threads(int width, int baseOrder, int walshSize) =>
        WholeWarps(Math.Max(32, Math.Max(PassUnits(width, StagesPerPass), (DenseColumns(baseOrder, walshSize) + 1) >> 1)));

    /// <summary>Threads rounded up to whole warps.</summary>
    public static int WholeWarps(int threads) => (threads + 31) & ~31;

    /// <summary>
    /// True when the row's quads split evenly into 8 per thread and loop trip (5120: 1280 quads, 160 threads): the
    /// load then needs no bounds tests and its addresses are constant offsets (an expression body, so the kernels'
    /// test of it folds at compile time).
    /// </summary>
    public static bool EvenLoad(int width, int baseOrder, int walshSize) => Quads(width) % (8 * Threads(width, baseOrder, walshSize)) == 0;

    /// <summary>Dynamic shared memory: the row's slots.</summary>
    public static int SharedBytes(int width, int walshSize) => 16 * RowSlots(width, walshSize);

    /// <summary>Register passes the kernels unroll at most (12 stages: up to 2^14 for a power of two).</summary>
    public const int MaxPasses = 4;

    /// <summary>
    /// Slot(q + offset) - Slot(q) when the offset is a multiple of 8, or when (q mod 8) + (offset mod 8) &lt; 8: the
    /// case of a pass's offsets (sums of its strides, whose bits are zero in its base quad) and of the dense step's
    /// segment offsets (<see cref="SegmentFloats"/>).
    /// </summary>
    public static int SlotOffset(int walshSize, int quadOffset) => Padded(walshSize) ? quadOffset + (quadOffset >> 3) : quadOffset;

    /// <summary>Why the kernels cannot run this shape, or null.</summary>
    public static string? Unsupported(int width, int baseOrder, int walshSize)
    {
        if ((width & 3) != 0) return $"width {width} is not a multiple of 4 (the kernels move rows as 4-element quads)";
        if (Stages(baseOrder, walshSize) > MaxPasses * StagesPerPass)
            return $"its {Stages(baseOrder, walshSize)} butterfly stages exceed the kernels' {MaxPasses} register passes of {StagesPerPass}";
        int threads = Threads(width, baseOrder, walshSize);
        if (threads > LaunchLimits.MaxThreadsPerBlock) return $"{threads} threads per row exceed a block's {LaunchLimits.MaxThreadsPerBlock}";
        return null;
    }

    private static int Log2(int powerOfTwo) => 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)powerOfTwo);
}
