namespace Quamba.Kernels.Cuda;

/// <summary>
/// Device memory for <typeparamref name="T"/> elements, freed on dispose (or by the finalizer). Synchronous
/// copies order with the legacy default stream; the asynchronous ones take pinned <see cref="CudaHostBuffer{T}"/>s.
/// </summary>
public sealed unsafe class CudaBuffer<T> : IDisposable where T : unmanaged
{
    private readonly DeviceMemoryHandle _memory;
    private readonly CudaContext _context;

    internal CudaBuffer(CudaContext context, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _context = context;
        Length = length;
        context.MakeCurrent();
        // cuMemAlloc refuses zero bytes; an empty buffer still gets a valid (tiny) allocation.
        nuint bytes = Math.Max((nuint)1, (nuint)length * (nuint)sizeof(T));
        int result = CudaNative.cuMemAlloc_v2(out ulong pointer, bytes);
        if (result != CudaNative.Success)
        {
            (long free, long total) = TryMemoryInfo(context);
            throw CudaCheck.Error(result, $"cuMemAlloc of {bytes} bytes ({length} x {typeof(T).Name})",
                free >= 0 ? $"The device has {free / (1 << 20)} MiB free of {total / (1 << 20)} MiB." : null);
        }
        _memory = new DeviceMemoryHandle(context.Handle, pointer);
    }

    public CudaContext Context => _context;

    public int Length { get; }

    public long SizeInBytes => (long)Length * sizeof(T);

    /// <summary>The device address (a CUdeviceptr), valid until dispose.</summary>
    public ulong DevicePointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            return _memory.Pointer;
        }
    }

    /// <summary>The buffer as a kernel argument (a device address: never dereference it on the host).</summary>
    public DeviceSpan<T> AsSpan() => new((nint)DevicePointer, Length);

    public ReadOnlyDeviceSpan<T> AsReadOnlySpan() => new((nint)DevicePointer, Length);

    /// <summary>Copies <paramref name="source"/> to the start of the buffer (synchronous).</summary>
    public void CopyFrom(ReadOnlySpan<T> source)
    {
        CheckFits(source.Length, nameof(source));
        Current();
        fixed (T* s = source)
            CudaCheck.Ok(CudaNative.cuMemcpyHtoD_v2(DevicePointer, s, Bytes(source.Length)), $"cuMemcpyHtoD ({Bytes(source.Length)} bytes)");
    }

    /// <summary>Copies the start of the buffer into <paramref name="destination"/> (synchronous: waits for prior work).</summary>
    public void CopyTo(Span<T> destination)
    {
        CheckFits(destination.Length, nameof(destination));
        Current();
        fixed (T* d = destination)
            CudaCheck.Ok(CudaNative.cuMemcpyDtoH_v2(d, DevicePointer, Bytes(destination.Length)), $"cuMemcpyDtoH ({Bytes(destination.Length)} bytes)");
    }

    public T[] ToArray()
    {
        var result = new T[Length];
        CopyTo(result);
        return result;
    }

    /// <summary>Device-to-device copy of all of <paramref name="source"/> to the start of this buffer.</summary>
    public void CopyFrom(CudaBuffer<T> source)
    {
        CheckFits(source.Length, nameof(source));
        Current();
        CudaCheck.Ok(CudaNative.cuMemcpyDtoD_v2(DevicePointer, source.DevicePointer, Bytes(source.Length)), $"cuMemcpyDtoD ({Bytes(source.Length)} bytes)");
    }

    public void CopyFromAsync(CudaHostBuffer<T> source, CudaStream stream)
    {
        CheckFits(source.Length, nameof(source));
        Current();
        CudaCheck.Ok(CudaNative.cuMemcpyHtoDAsync_v2(DevicePointer, source.Pointer, Bytes(source.Length), stream.Handle),
            $"cuMemcpyHtoDAsync ({Bytes(source.Length)} bytes)");
    }

    public void CopyToAsync(CudaHostBuffer<T> destination, CudaStream stream)
    {
        int count = Math.Min(destination.Length, Length);
        Current();
        CudaCheck.Ok(CudaNative.cuMemcpyDtoHAsync_v2(destination.Pointer, DevicePointer, Bytes(count), stream.Handle),
            $"cuMemcpyDtoHAsync ({Bytes(count)} bytes)");
    }

    public void CopyFromAsync(CudaBuffer<T> source, CudaStream stream)
    {
        CheckFits(source.Length, nameof(source));
        Current();
        CudaCheck.Ok(CudaNative.cuMemcpyDtoDAsync_v2(DevicePointer, source.DevicePointer, Bytes(source.Length), stream.Handle),
            $"cuMemcpyDtoDAsync ({Bytes(source.Length)} bytes)");
    }

    /// <summary>Sets every byte (cuMemsetD8); with a stream, asynchronously on it.</summary>
    public void FillBytes(byte value, CudaStream? stream = null)
    {
        Current();
        nuint count = Bytes(Length);
        if (count == 0) return;
        int result = stream is null
            ? CudaNative.cuMemsetD8_v2(DevicePointer, value, count)
            : CudaNative.cuMemsetD8Async(DevicePointer, value, count, stream.Handle);
        CudaCheck.Ok(result, $"cuMemsetD8 ({count} bytes)");
    }

    /// <summary>Zeroes the buffer.</summary>
    public void Clear(CudaStream? stream = null) => FillBytes(0, stream);

    /// <summary>Sets every 32-bit word to <paramref name="bits"/> (cuMemsetD32); the buffer's size must be a multiple of 4 bytes.</summary>
    public void Fill32(uint bits, CudaStream? stream = null)
    {
        if (SizeInBytes % 4 != 0)
            throw new InvalidOperationException($"Fill32 needs a size that is a multiple of 4 bytes; this buffer has {SizeInBytes}.");
        Current();
        nuint words = (nuint)(SizeInBytes / 4);
        if (words == 0) return;
        int result = stream is null
            ? CudaNative.cuMemsetD32_v2(DevicePointer, bits, words)
            : CudaNative.cuMemsetD32Async(DevicePointer, bits, words, stream.Handle);
        CudaCheck.Ok(result, $"cuMemsetD32 ({words} words)");
    }

    public void Dispose() => _memory.Dispose();

    private void Current() => _memory.Context.MakeCurrent();

    private static nuint Bytes(int count) => (nuint)count * (nuint)sizeof(T);

    private void CheckFits(int count, string what)
    {
        if (count > Length)
            throw new ArgumentException($"The {what} has {count} elements but the device buffer only {Length}.", what);
    }

    private static (long, long) TryMemoryInfo(CudaContext context)
    {
        try { return context.GetMemoryInfo(); }
        catch (CudaException) { return (-1, -1); }
    }
}
