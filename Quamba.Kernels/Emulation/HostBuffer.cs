namespace Quamba.Kernels.Emulation;

/// <summary>Pinned host memory that emulated kernels read and write through device spans.</summary>
public sealed class HostBuffer<T> : IDisposable where T : unmanaged
{
    public HostBuffer(int length) => throw new NotSupportedException();

    public static HostBuffer<T> From(ReadOnlySpan<T> values) => throw new NotSupportedException();

    public int Length => throw new NotSupportedException();

    public Span<T> Span => throw new NotSupportedException();

    public T[] ToArray() => throw new NotSupportedException();

    public DeviceSpan<T> AsDeviceSpan() => throw new NotSupportedException();

    public ReadOnlyDeviceSpan<T> AsReadOnlyDeviceSpan() => throw new NotSupportedException();

    public void Dispose() { }
}
