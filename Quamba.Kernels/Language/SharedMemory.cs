using Quamba.Kernels.Emulation;

namespace Quamba.Kernels;

/// <summary>
/// Block-shared memory. <see cref="Allocate{T}"/> takes a compile-time constant length and becomes a
/// static <c>.shared</c> array; <see cref="Dynamic{T}"/> views the dynamic shared memory given at launch.
/// On the emulator, the k-th allocation a thread makes returns the k-th buffer of its block, so all threads
/// of a block must allocate in the same order (as they do on a GPU, where the arrays are static).
/// Shared memory is not zeroed, on a GPU or on the emulator: the emulator fills each block's arrays with
/// garbage (NaN for floating-point element types, 0xCD bytes otherwise) so a kernel that reads before
/// writing fails its tests.
/// </summary>
public static class SharedMemory
{
    public static DeviceSpan<T> Allocate<T>(int length) where T : unmanaged
    {
        EmulatedThread thread = EmulatedThread.Current;
        BlockExecution block = thread.Block;
        return block.Shared.Static<T>(thread.SharedAllocations++, length, block.Config.DynamicSharedBytes);
    }

    /// <summary>The launch's dynamic shared memory as <c>DynamicSharedBytes / sizeof(T)</c> elements (16-byte aligned).</summary>
    public static DeviceSpan<T> Dynamic<T>() where T : unmanaged
    {
        BlockExecution block = EmulatedThread.Current.Block;
        return block.Shared.Dynamic<T>(block.Config.DynamicSharedBytes);
    }
}
