using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Quamba.Model.Backends.Cpu;

/// <summary>
/// A float buffer on the pinned object heap whose first element is 64-byte aligned (one cache line, one Vector512),
/// so SIMD loads never split cache lines. Pinned and GC-owned: a raw pointer stays valid for the buffer's lifetime
/// with no fixed statements and no manual freeing.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private const int AlignmentFloats = 16;
    private readonly float[] _array;
    private readonly int _offset;

    public AlignedBuffer(long length)
    {
        if (length < 0 || length > Array.MaxLength - AlignmentFloats)
            throw new ArgumentOutOfRangeException(nameof(length), $"{length} floats do not fit one buffer");
        _array = GC.AllocateArray<float>((int)length + AlignmentFloats, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _offset = (int)((64 - (address & 63)) & 63) / sizeof(float);
        Length = (int)length;
        Pointer = (float*)address + _offset;
    }

    public float* Pointer { get; }
    public int Length { get; }
    public Span<float> Span => new(Pointer, Length);
    public Span<float> Slice(int start, int length) => Span.Slice(start, length);

    public static AlignedBuffer FromSpan(ReadOnlySpan<float> values)
    {
        var buffer = new AlignedBuffer(values.Length);
        values.CopyTo(buffer.Span);
        return buffer;
    }

    public void Clear() => Span.Clear();
}

/// <summary>Scratch buffers reused across calls: a slot grows when a call needs more and never shrinks.</summary>
internal sealed class ScratchBuffers
{
    private readonly AlignedBuffer?[] _slots;

    public ScratchBuffers(int slotCount) => _slots = new AlignedBuffer?[slotCount];

    public unsafe float* Get(int slot, long length)
    {
        var buffer = _slots[slot];
        if (buffer is null || buffer.Length < length)
        {
            // Grow by a quarter more than asked so a slowly increasing length does not reallocate each call.
            long size = Math.Max(length, buffer is null ? 0 : buffer.Length + buffer.Length / 4);
            buffer = new AlignedBuffer(Math.Max(size, 16));
            _slots[slot] = buffer;
        }
        return buffer.Pointer;
    }
}
