using System.Runtime.InteropServices;

namespace Quamba.Kernels.Emulation;

/// <summary>
/// The shared memory of the block a worker is running: the static arrays (the k-th
/// <see cref="SharedMemory.Allocate{T}"/> of every thread is the k-th array) and the dynamic area.
/// Buffers are native (device spans hold raw pointers) and reused from block to block.
/// <para>
/// A GPU does not zero shared memory, so every block starts with garbage: floating-point arrays read NaN
/// (float 0x7FC0CDCD, double 0x7FF8CDCDCDCDCDCD, Half 0x7ECD, BFloat16 0x7FCD) and everything else, the
/// dynamic area included, reads 0xCD bytes (int -842150451). A kernel that forgets to initialise shared
/// memory therefore fails its emulator tests instead of passing by luck.
/// </para>
/// </summary>
internal sealed unsafe class SharedMemoryArena : IDisposable
{
    private const nuint Alignment = 16;
    private const byte GarbageByte = 0xCD;

    private readonly List<Slot> _slots = new();
    private int _used;
    private int _staticBytes;
    private void* _dynamic;
    private int _dynamicCapacity;
    private bool _dynamicFilled;

    private sealed class Slot
    {
        public void* Pointer;
        public int Capacity;
        public Type? ElementType;
        public int Length;
    }

    /// <summary>Forgets the previous block's arrays (keeping their memory for reuse).</summary>
    public void BeginBlock()
    {
        _used = 0;
        _staticBytes = 0;
        _dynamicFilled = false;
    }

    /// <summary>The <paramref name="index"/>-th static array of the block, created by the first thread that asks.</summary>
    public DeviceSpan<T> Static<T>(int index, int length, int dynamicBytes) where T : unmanaged
    {
        if (index < _used)
        {
            Slot existing = _slots[index];
            if (existing.ElementType != typeof(T) || existing.Length != length)
                throw new InvalidOperationException(
                    $"Shared-memory allocation #{index} is {typeof(T).Name}[{length}] in this thread but " +
                    $"{existing.ElementType?.Name}[{existing.Length}] in another thread of the block: every thread must " +
                    "call SharedMemory.Allocate in the same order with the same types and lengths (they are static arrays on a GPU).");
            return new DeviceSpan<T>((T*)existing.Pointer, length);
        }
        if (index != _used) throw new InvalidOperationException("Shared-memory allocations got out of order (emulator bug).");
        if (length <= 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, "SharedMemory.Allocate needs a positive length.");

        long bytes = (long)length * sizeof(T);
        if (_staticBytes + bytes > LaunchLimits.MaxStaticSharedBytes)
            throw new InvalidOperationException(
                $"Static shared memory of the block would reach {_staticBytes + bytes} bytes with {typeof(T).Name}[{length}], " +
                $"above the {LaunchLimits.MaxStaticSharedBytes} bytes (48 KB) a block's static arrays can hold: use SharedMemory.Dynamic " +
                "with LaunchConfig.DynamicSharedBytes for more.");
        if (_staticBytes + bytes + dynamicBytes > LaunchLimits.MaxSharedBytesOptIn)
            throw new InvalidOperationException(
                $"Static ({_staticBytes + bytes} B) plus dynamic ({dynamicBytes} B) shared memory exceed the " +
                $"{LaunchLimits.MaxSharedBytesOptIn} bytes (227 KB) of one block.");

        if (_used == _slots.Count) _slots.Add(new Slot());
        Slot slot = _slots[_used];
        if (slot.Capacity < bytes)
        {
            if (slot.Pointer != null) NativeMemory.AlignedFree(slot.Pointer);
            slot.Pointer = NativeMemory.AlignedAlloc((nuint)bytes, Alignment);
            slot.Capacity = (int)bytes;
        }
        slot.ElementType = typeof(T);
        slot.Length = length;
        FillGarbage<T>(slot.Pointer, length);
        _used++;
        _staticBytes += (int)bytes;
        return new DeviceSpan<T>((T*)slot.Pointer, length);
    }

    /// <summary>The launch's dynamic shared memory viewed as <typeparamref name="T"/> (bytes / sizeof(T) elements).</summary>
    public DeviceSpan<T> Dynamic<T>(int dynamicBytes) where T : unmanaged
    {
        if (dynamicBytes == 0) return new DeviceSpan<T>((T*)null, 0);
        if (_dynamicCapacity < dynamicBytes)
        {
            if (_dynamic != null) NativeMemory.AlignedFree(_dynamic);
            _dynamic = NativeMemory.AlignedAlloc((nuint)dynamicBytes, Alignment);
            _dynamicCapacity = dynamicBytes;
        }
        if (!_dynamicFilled)
        {
            new Span<byte>(_dynamic, dynamicBytes).Fill(GarbageByte);
            _dynamicFilled = true;
        }
        return new DeviceSpan<T>((T*)_dynamic, dynamicBytes / sizeof(T));
    }

    private static void FillGarbage<T>(void* pointer, int length) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) new Span<uint>(pointer, length).Fill(0x7FC0CDCDu);
        else if (typeof(T) == typeof(double)) new Span<ulong>(pointer, length).Fill(0x7FF8CDCDCDCDCDCDul);
        else if (typeof(T) == typeof(Half) || typeof(T) == typeof(BFloat16))
            new Span<ushort>(pointer, length).Fill(typeof(T) == typeof(Half) ? (ushort)0x7ECD : (ushort)0x7FCD);
        else new Span<byte>(pointer, length * sizeof(T)).Fill(GarbageByte);
    }

    public void Dispose()
    {
        foreach (Slot slot in _slots)
        {
            if (slot.Pointer != null) NativeMemory.AlignedFree(slot.Pointer);
            slot.Pointer = null;
        }
        _slots.Clear();
        if (_dynamic != null) NativeMemory.AlignedFree(_dynamic);
        _dynamic = null;
    }
}
