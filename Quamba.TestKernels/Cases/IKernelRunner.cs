using Quamba.Kernels;
using Quamba.Kernels.Cuda;

namespace Quamba.TestKernels.Cases;

/// <summary>
/// Where a case runs: the CPU emulator or a GPU. A case allocates through it and launches with both
/// entry points of its kernel; the runner calls the one it stands for.
/// </summary>
public interface IKernelRunner : IDisposable
{
    /// <summary>Device (or emulated device) memory holding a copy of <paramref name="values"/>.</summary>
    DeviceSpan<T> Upload<T>(ReadOnlySpan<T> values) where T : unmanaged;

    /// <summary>Zero-filled device memory.</summary>
    DeviceSpan<T> Allocate<T>(int length) where T : unmanaged;

    /// <summary>Copies device memory back (waits for launched work first).</summary>
    T[] Download<T>(DeviceSpan<T> span) where T : unmanaged;

    void Launch(LaunchConfig config, Action<LaunchConfig> emulate, Action<CudaStream, LaunchConfig> launch);
}
