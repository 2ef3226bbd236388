namespace Quamba.Kernels.Cuda;

/// <summary>Device memory for <typeparamref name="T"/> elements, freed on dispose.</summary>
public sealed class CudaBuffer<T> : IDisposable where T : unmanaged
{
    public int Length => throw new NotSupportedException();

    public void CopyFrom(ReadOnlySpan<T> source) => throw new NotSupportedException();

    public void CopyTo(Span<T> destination) => throw new NotSupportedException();

    public DeviceSpan<T> AsSpan() => throw new NotSupportedException();

    public ReadOnlyDeviceSpan<T> AsReadOnlySpan() => throw new NotSupportedException();

    public void Dispose() { }
}
