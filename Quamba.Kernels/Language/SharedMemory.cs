namespace Quamba.Kernels;

/// <summary>
/// Block-shared memory. <see cref="Allocate{T}"/> takes a compile-time constant length and becomes a
/// static <c>.shared</c> array; <see cref="Dynamic{T}"/> views the dynamic shared memory given at launch.
/// On the emulator, the k-th allocation a thread makes returns the k-th buffer of its block, so all threads
/// of a block must allocate in the same order (as they do on a GPU, where the arrays are static).
/// </summary>
public static class SharedMemory
{
    public static DeviceSpan<T> Allocate<T>(int length) where T : unmanaged => throw Gpu.Pending();

    public static DeviceSpan<T> Dynamic<T>() where T : unmanaged => throw Gpu.Pending();
}
