using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Emulation;

namespace Quamba.TestKernels.Cases;

/// <summary>Runs cases on the CPU emulator over pinned host buffers.</summary>
public sealed class EmulatorRunner : IKernelRunner
{
    private readonly List<IDisposable> _buffers = new();

    public DeviceSpan<T> Upload<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        var buffer = HostBuffer<T>.From(values);
        _buffers.Add(buffer);
        return buffer.AsDeviceSpan();
    }

    public DeviceSpan<T> Allocate<T>(int length) where T : unmanaged
    {
        var buffer = new HostBuffer<T>(length);
        buffer.Span.Clear();
        _buffers.Add(buffer);
        return buffer.AsDeviceSpan();
    }

    public unsafe T[] Download<T>(DeviceSpan<T> span) where T : unmanaged =>
        new ReadOnlySpan<T>((void*)span.Pointer, span.Length).ToArray();

    public void Launch(LaunchConfig config, Action<LaunchConfig> emulate, Action<CudaStream, LaunchConfig> launch) => emulate(config);

    public void Dispose()
    {
        foreach (var buffer in _buffers) buffer.Dispose();
        _buffers.Clear();
    }
}
