using Quamba.Kernels.Emulation;

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

    public static int ThreadIdxX => EmulatedThread.Current.X;
    public static int ThreadIdxY => EmulatedThread.Current.Y;
    public static int ThreadIdxZ => EmulatedThread.Current.Z;
    public static int BlockIdxX => EmulatedThread.Current.Block.BlockX;
    public static int BlockIdxY => EmulatedThread.Current.Block.BlockY;
    public static int BlockIdxZ => EmulatedThread.Current.Block.BlockZ;
    public static int BlockDimX => EmulatedThread.Current.Block.Config.Block.X;
    public static int BlockDimY => EmulatedThread.Current.Block.Config.Block.Y;
    public static int BlockDimZ => EmulatedThread.Current.Block.Config.Block.Z;
    public static int GridDimX => EmulatedThread.Current.Block.Config.Grid.X;
    public static int GridDimY => EmulatedThread.Current.Block.Config.Grid.Y;
    public static int GridDimZ => EmulatedThread.Current.Block.Config.Grid.Z;

    /// <summary>The thread's lane within its warp (0..31).</summary>
    public static int LaneId => EmulatedThread.Current.Lane;

    /// <summary><c>bar.sync 0</c>: every thread of the block must reach it.</summary>
    public static void SyncThreads() => Collectives.Arrive(Collective.SyncThreads, 0, 0);

    /// <summary><c>bar.warp.sync 0xffffffff</c>: every lane of the warp must reach it.</summary>
    public static void SyncWarp() => Collectives.Arrive(Collective.SyncWarp, 0, 0);
}
