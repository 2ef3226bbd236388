using System.Runtime.CompilerServices;

namespace Quamba.Kernels.Emulation;

internal enum ThreadState : byte { NotStarted, Running, Waiting, Ready, Done }

/// <summary>The collectives a thread can wait at; warp ones complete when every lane of the warp arrives.</summary>
internal enum Collective : byte
{
    None,
    SyncThreads,
    SyncWarp,
    ShuffleIdx,
    ShuffleUp,
    ShuffleDown,
    ShuffleXor,
    VoteAll,
    VoteAny,
    VoteBallot,
}

/// <summary>One emulated GPU thread: its coordinates, scheduling state and the operand of the collective it waits at.</summary>
internal sealed class EmulatedThread
{
    [ThreadStatic] private static EmulatedThread? t_current;

    public EmulatedThread(BlockExecution block, int linear, int x, int y, int z)
    {
        Block = block;
        Linear = linear;
        X = x;
        Y = y;
        Z = z;
        Lane = linear % Gpu.WarpSize;
        WarpIndex = linear / Gpu.WarpSize;
    }

    public BlockExecution Block { get; }
    public int Linear { get; }
    public int X { get; }
    public int Y { get; }
    public int Z { get; }
    public int Lane { get; }
    public int WarpIndex { get; }

    public ThreadState State;
    public Carrier? Carrier;
    public int SharedAllocations;

    public Collective WaitingAt;
    public uint Operand;
    public int Argument;
    public uint Result;

    /// <summary>The emulated thread running on this OS thread; throws outside a launch.</summary>
    public static EmulatedThread Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_current ?? throw OutsideKernel();
    }

    public static bool IsInsideKernel => t_current is not null;

    public static void SetCurrent(EmulatedThread? thread) => t_current = thread;

    public string Describe() =>
        $"thread ({X},{Y},{Z}) of block ({Block.BlockX},{Block.BlockY},{Block.BlockZ})";

    public void Reset()
    {
        State = ThreadState.NotStarted;
        Carrier = null;
        SharedAllocations = 0;
        WaitingAt = Collective.None;
        Operand = 0;
        Argument = 0;
        Result = 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static InvalidOperationException OutsideKernel() =>
        new("A GPU intrinsic (Gpu, Warp or SharedMemory member) was used outside a kernel launch: run the kernel " +
            "through KernelEmulator.Run on the CPU or through its generated launcher on the GPU.");
}

/// <summary>Thrown inside the other threads of a block once it has failed, to unwind their stacks.</summary>
internal sealed class EmulationAbortedException : Exception
{
    public EmulationAbortedException() : base("The emulated block was aborted after another thread failed.") { }
}
