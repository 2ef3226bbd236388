namespace Quamba.Kernels;

/// <summary>
/// Thread geometry and block-level synchronisation. On the GPU each member is one special register read or
/// one instruction; on the CPU emulator they read the emulated thread's context.
/// </summary>
public static class Gpu
{
    public const int WarpSize = 32;

    /// <summary>True inside generated PTX, false on the CPU emulator: guards device-only code such as inline PTX.</summary>
    public static bool IsDevice => false;

    public static int ThreadIdxX => throw Pending();
    public static int ThreadIdxY => throw Pending();
    public static int ThreadIdxZ => throw Pending();
    public static int BlockIdxX => throw Pending();
    public static int BlockIdxY => throw Pending();
    public static int BlockIdxZ => throw Pending();
    public static int BlockDimX => throw Pending();
    public static int BlockDimY => throw Pending();
    public static int BlockDimZ => throw Pending();
    public static int GridDimX => throw Pending();
    public static int GridDimY => throw Pending();
    public static int GridDimZ => throw Pending();

    /// <summary>The thread's lane within its warp (0..31).</summary>
    public static int LaneId => throw Pending();

    /// <summary><c>bar.sync 0</c>: every thread of the block must reach it.</summary>
    public static void SyncThreads() => throw Pending();

    /// <summary><c>bar.warp.sync 0xffffffff</c>: every lane of the warp must reach it.</summary>
    public static void SyncWarp() => throw Pending();

    internal static Exception Pending() => new NotSupportedException("The CPU emulator is not wired yet.");
}
