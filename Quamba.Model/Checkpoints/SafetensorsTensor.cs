using System.Runtime.InteropServices;

namespace Quamba.Model.Checkpoints;

/// <summary>
/// One tensor of an open <see cref="SafetensorsFile"/>: a view over the mapped bytes, valid while the file is open.
/// </summary>
public sealed unsafe class SafetensorsTensor
{
    private readonly SafetensorsFile _file;
    private readonly int[] _shape;

    internal SafetensorsTensor(SafetensorsFile file, string name, SafetensorsDType dtype, int[] shape, long dataOffset, long byteLength)
    {
        _file = file;
        Name = name;
        DType = dtype;
        _shape = shape;
        DataOffset = dataOffset;
        ByteLength = byteLength;
        long count = 1;
        foreach (int d in shape) count *= d;
        ElementCount = count;
    }

    public string Name { get; }
    public SafetensorsDType DType { get; }
    public IReadOnlyList<int> Shape => _shape;
    public long ElementCount { get; }
    public long ByteLength { get; }

    /// <summary>Offset of the first byte relative to the start of the data section (the header's data_offsets[0]).</summary>
    public long DataOffset { get; }

    /// <summary>The file this tensor lives in.</summary>
    public string FilePath => _file.Path;

    /// <summary>The shape as "[a, b, c]".</summary>
    public string ShapeText => FormatShape(_shape);

    internal int[] ShapeArray => _shape;

    /// <summary>The raw little-endian bytes. Tensors over 2 GiB must be read in pieces with <see cref="GetBytes"/>.</summary>
    public ReadOnlySpan<byte> Bytes
    {
        get
        {
            if (ByteLength > int.MaxValue)
                throw new InvalidOperationException($"{FilePath}: tensor '{Name}' is {ByteLength} bytes, over the 2 GiB a span can hold; read it in pieces with GetBytes or CopyToFloat32(elementOffset, ...)");
            return new ReadOnlySpan<byte>(_file.DataPointer + DataOffset, (int)ByteLength);
        }
    }

    /// <summary>A piece of the raw bytes.</summary>
    public ReadOnlySpan<byte> GetBytes(long offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > ByteLength)
            throw new ArgumentOutOfRangeException(nameof(offset), $"bytes [{offset}, {offset + length}) are outside tensor '{Name}' ({ByteLength} bytes)");
        return new ReadOnlySpan<byte>(_file.DataPointer + DataOffset + offset, length);
    }

    /// <summary>The elements reinterpreted as <typeparamref name="T"/>, whose size must match the dtype (e.g. int for I32).</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged
    {
        if (sizeof(T) != DType.SizeOf())
            throw new InvalidOperationException($"{FilePath}: tensor '{Name}' has dtype {DType} ({DType.SizeOf()} bytes per element); it cannot be read as {typeof(T).Name} ({sizeof(T)} bytes)");
        return MemoryMarshal.Cast<byte, T>(Bytes);
    }

    /// <summary>Copies the elements to a new array of <typeparamref name="T"/> (same-size reinterpretation).</summary>
    public T[] ToArray<T>() where T : unmanaged => AsSpan<T>().ToArray();

    /// <summary>Converts elements [elementOffset, elementOffset + destination.Length) to float32.</summary>
    public void CopyToFloat32(long elementOffset, Span<float> destination)
    {
        if (elementOffset < 0 || elementOffset + destination.Length > ElementCount)
            throw new ArgumentOutOfRangeException(nameof(elementOffset), $"elements [{elementOffset}, {elementOffset + destination.Length}) are outside tensor '{Name}' ({ElementCount} elements)");
        int size = DType.SizeOf();
        // Convert in pieces so a span over the source never exceeds int.MaxValue bytes.
        const int piece = 1 << 24;
        for (int done = 0; done < destination.Length; done += piece)
        {
            int n = Math.Min(piece, destination.Length - done);
            var src = GetBytes((elementOffset + done) * size, n * size);
            ElementConversion.ToFloat32(DType, src, destination.Slice(done, n));
        }
    }

    /// <summary>Converts the whole tensor to float32 (F16, BF16, F64 and integer types are converted by value).</summary>
    public void CopyToFloat32(Span<float> destination)
    {
        if (destination.Length != ElementCount)
            throw new ArgumentException($"tensor '{Name}' has {ElementCount} elements; destination has {destination.Length}", nameof(destination));
        CopyToFloat32(0, destination);
    }

    public float[] ToFloat32Array()
    {
        if (ElementCount > Array.MaxLength)
            throw new InvalidOperationException($"{FilePath}: tensor '{Name}' has {ElementCount} elements, more than an array holds");
        var result = new float[ElementCount];
        CopyToFloat32(result);
        return result;
    }

    public override string ToString() => $"{Name}: {DType} {ShapeText}";

    public static string FormatShape(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
}
