using System.Runtime.CompilerServices;

namespace Quamba.Kernels;

/// <summary>
/// A read-write view of device memory passed to a kernel. On the GPU it is a global-memory pointer and a
/// length (two kernel parameters); on the CPU emulator it points at pinned host memory and checks bounds,
/// so an out-of-range index is caught while debugging instead of corrupting memory.
/// It is a plain (non-ref) struct so the emulator can hand it to each emulated thread.
/// </summary>
public readonly unsafe struct DeviceSpan<T> where T : unmanaged
{
    private readonly T* _pointer;
    private readonly int _length;

    public DeviceSpan(T* pointer, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _pointer = pointer;
        _length = length;
    }

    public DeviceSpan(nint pointer, int length) : this((T*)pointer, length) { }

    public int Length => _length;

    public nint Pointer => (nint)_pointer;

    public ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)_length) ThrowIndex(index, _length);
            return ref _pointer[index];
        }
    }

    public DeviceSpan<T> Slice(int start)
    {
        if ((uint)start > (uint)_length) ThrowIndex(start, _length);
        return new DeviceSpan<T>(_pointer + start, _length - start);
    }

    public DeviceSpan<T> Slice(int start, int length)
    {
        if ((uint)start > (uint)_length || (uint)length > (uint)(_length - start)) ThrowIndex(start + length, _length);
        return new DeviceSpan<T>(_pointer + start, length);
    }

    /// <summary>
    /// The same memory as <typeparamref name="TTo"/> elements (<c>Length * sizeof(T) / sizeof(TTo)</c> of them, rounded
    /// down), e.g. floats as <c>Float4</c> for 128-bit loads or bytes as <c>uint</c> for 4-byte stores. The start must be
    /// aligned to <c>sizeof(TTo)</c> (a GPU faults on a misaligned vector access; the emulator throws).
    /// </summary>
    public DeviceSpan<TTo> Cast<TTo>() where TTo : unmanaged => new((TTo*)SpanCasts.Aligned<TTo>(_pointer), SpanCasts.Length<T, TTo>(_length));

    public ReadOnlyDeviceSpan<T> AsReadOnly() => new(_pointer, _length);

    public static implicit operator ReadOnlyDeviceSpan<T>(DeviceSpan<T> span) => span.AsReadOnly();

    internal static void ThrowIndex(int index, int length) =>
        throw new IndexOutOfRangeException($"Kernel index {index} is outside the span of length {length}.");
}

/// <summary>
/// A read-only view of device memory. On the GPU loads go through the non-coherent path
/// (<c>ld.global.nc</c>), which is only valid because the kernel never writes through it.
/// </summary>
public readonly unsafe struct ReadOnlyDeviceSpan<T> where T : unmanaged
{
    private readonly T* _pointer;
    private readonly int _length;

    public ReadOnlyDeviceSpan(T* pointer, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _pointer = pointer;
        _length = length;
    }

    public ReadOnlyDeviceSpan(nint pointer, int length) : this((T*)pointer, length) { }

    public int Length => _length;

    public nint Pointer => (nint)_pointer;

    public T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)_length) DeviceSpan<T>.ThrowIndex(index, _length);
            return _pointer[index];
        }
    }

    public ReadOnlyDeviceSpan<T> Slice(int start)
    {
        if ((uint)start > (uint)_length) DeviceSpan<T>.ThrowIndex(start, _length);
        return new ReadOnlyDeviceSpan<T>(_pointer + start, _length - start);
    }

    public ReadOnlyDeviceSpan<T> Slice(int start, int length)
    {
        if ((uint)start > (uint)_length || (uint)length > (uint)(_length - start)) DeviceSpan<T>.ThrowIndex(start + length, _length);
        return new ReadOnlyDeviceSpan<T>(_pointer + start, length);
    }

    /// <summary>The same memory as <typeparamref name="TTo"/> elements; see <see cref="DeviceSpan{T}.Cast{TTo}"/>.</summary>
    public ReadOnlyDeviceSpan<TTo> Cast<TTo>() where TTo : unmanaged => new((TTo*)SpanCasts.Aligned<TTo>(_pointer), SpanCasts.Length<T, TTo>(_length));
}

/// <summary>The checks and length arithmetic of the spans' <c>Cast</c>.</summary>
internal static unsafe class SpanCasts
{
    public static void* Aligned<TTo>(void* pointer) where TTo : unmanaged
    {
        if ((nuint)pointer % (nuint)sizeof(TTo) != 0)
            throw new ArgumentException(
                $"A span at 0x{(nuint)pointer:x} cannot be cast to {typeof(TTo).Name}: its start is not aligned to {sizeof(TTo)} bytes. Cast a span whose offset is a multiple of {sizeof(TTo)} bytes.");
        return pointer;
    }

    public static int Length<T, TTo>(int length) where T : unmanaged where TTo : unmanaged => (int)((long)length * sizeof(T) / sizeof(TTo));
}
