namespace Quamba.Kernels.Mamba;

/// <summary>
/// How the Hadamard kernels split one row of width n = m 2^k over a block, shared by the host
/// (<see cref="HadamardKernels.Launch{TShape}"/>) and the kernels. Inside a kernel every argument is a shape constant,
/// so ptxas folds these to immediates; they use shifts, never / or %, because ptxas expands a PTX division into its
/// general sequence before it folds constants. The kernels assume the <see cref="Threads"/> of the launch.
/// </summary>
public static class HadamardLayout
{
    /// <summary>Elements of a row chunk: the first Walsh pass gives each warp chunks of 128, lane l holding l + 32 j (j &lt; 4).</summary>
    public const int Chunk = 128;

    /// <summary>Chunks a warp transforms per row at most (the block size is chosen for it; fewer for narrow rows).</summary>
    public const int MaxChunksPerWarp = 8;

    /// <summary>Stages (bits of 2^k) one register pass of the later Walsh stages holds: up to 2^3 = 8 values per thread (two quads keep the code short).</summary>
    public const int RegisterPassBits = 3;

    /// <summary>
    /// True when H_m is the Sylvester double [[H, H], [H, -H]] of H_{m/2} (m = 40 = 2 x 20, as Quamba.Model builds it):
    /// outputs c and c + m/2 then share their partial sums over the first m/2 inputs.
    /// </summary>
    public static bool Doubled(int baseOrder) => baseOrder == 40;

    /// <summary>Order of the sign table the dense step reads: H_m, or its top-left H_{m/2} when <see cref="Doubled"/>.</summary>
    public static int SignOrder(int baseOrder) => Doubled(baseOrder) ? baseOrder >> 1 : baseOrder;

    /// <summary>Dense-step tiles: 4 sign columns each (none for m = 1).</summary>
    public static int Tiles(int baseOrder) => SignOrder(baseOrder) >> 2;

    /// <summary>Dense-step column groups of a segment: 4 adjacent columns b each (one column when 2^k &lt; 4).</summary>
    public static int ColumnGroups(int walshSize) => walshSize >= 4 ? walshSize >> 2 : walshSize;

    /// <summary>Threads of the dense step: one per (column group, tile).</summary>
    public static int DenseThreads(int baseOrder, int walshSize) => ColumnGroups(walshSize) * Tiles(baseOrder);

    /// <summary>Chunks of 128 elements in a row (the last may be partial).</summary>
    public static int Chunks(int width) => (width + Chunk - 1) >> 7;

    /// <summary>
    /// Threads per block: enough for the dense step, for at most 8 chunks per warp, and for the later Walsh stages of a
    /// power of two (2^k &gt; 128: at least 128 threads).
    /// </summary>
    public static int Threads(int width, int baseOrder, int walshSize)
    {
        int forChunks = ((Chunks(width) + MaxChunksPerWarp - 1) >> 3) << 5;
        int forLaterStages = walshSize > Chunk ? Chunk : 0;
        int threads = Math.Max(Math.Max(32, DenseThreads(baseOrder, walshSize)), Math.Max(forChunks, forLaterStages));
        return (threads + 31) & ~31;
    }

    /// <summary>Dynamic shared memory: the row (n floats, later the outputs), then the sign table (<see cref="SignOrder"/>^2 floats).</summary>
    public static int SharedBytes(int width, int baseOrder) => (width + (baseOrder == 1 ? 0 : SignOrder(baseOrder) * SignOrder(baseOrder))) * sizeof(float);

    /// <summary>Why the kernels cannot run this shape, or null.</summary>
    public static string? Unsupported(int width, int baseOrder, int walshSize)
    {
        int threads = Threads(width, baseOrder, walshSize);
        if (threads > LaunchLimits.MaxThreadsPerBlock) return $"{threads} threads per row exceed a block's {LaunchLimits.MaxThreadsPerBlock}";
        return null;
    }
}
