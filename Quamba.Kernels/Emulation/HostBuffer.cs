namespace Quamba.Kernels.Emulation;

/// <summary>
/// Pinned (native, 64-byte aligned, zeroed) host memory that emulated kernels read and write through device
/// spans. The memory never moves, so spans taken from it stay valid until the buffer is disposed.
/// </summary>
public sealed unsafe class HostBuffer<T> : IDisposable where T : unmanaged
{
    private readonly NativeMemoryHandle _memory;

    public HostBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _memory = new NativeMemoryHandle((nuint)length * (nuint)sizeof(T), 64);
    }

    public static HostBuffer<T> From(ReadOnlySpan<T> values)
    {
        var buffer = new HostBuffer<T>(values.Length);
        values.CopyTo(buffer.Span);
        return buffer;
    }

    public int Length { get; }

    public Span<T> Span => new(Pointer, Length);

    public T[] ToArray() => Span.ToArray();

    public DeviceSpan<T> AsDeviceSpan() => new(Pointer, Length);

    public ReadOnlyDeviceSpan<T> AsReadOnlyDeviceSpan() => new(Pointer, Length);

    private T* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return (T*)_memory.DangerousGetHandle();
        }
    }

    public void Dispose() => _memory.Dispose();
}
