using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Quamba.Model.Checkpoints;

/// <summary>Name, element type and shape of a tensor to be written.</summary>
public sealed record SafetensorsTensorSpec(string Name, SafetensorsDType DType, IReadOnlyList<int> Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => checked(a * d));
    public long ByteLength => checked(ElementCount * DType.SizeOf());
}

/// <summary>
/// Writes a safetensors file as a stream: the header is fixed up front from the tensor specs, then the data of each
/// tensor is appended in <see cref="WriteOrder"/>, piece by piece, so a checkpoint larger than memory can be written.
/// Output is deterministic: header keys sorted by name, data ordered by element size (largest first) then name so
/// every tensor starts at an offset aligned to its element size without gaps, header padded with spaces to 8 bytes.
/// The file appears under its final name only after <see cref="Complete"/>; until then it is written to "path.partial".
/// </summary>
public sealed class SafetensorsWriter : IDisposable
{
    private readonly string _path;
    private readonly string _partialPath;
    private readonly FileStream _stream;
    private readonly long[] _lengths;
    private int _current;
    private long _writtenInCurrent;
    private bool _completed;
    private bool _disposed;

    public SafetensorsWriter(string path, IEnumerable<SafetensorsTensorSpec> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        _path = Path.GetFullPath(path);
        _partialPath = _path + ".partial";
        var specs = tensors.ToList();
        var duplicate = specs.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"tensor '{duplicate.Key}' is listed twice", nameof(tensors));
        foreach (var s in specs)
        {
            if (s.Name == "__metadata__" || string.IsNullOrEmpty(s.Name))
                throw new ArgumentException($"'{s.Name}' is not a valid tensor name", nameof(tensors));
            if (s.Shape.Any(d => d < 0))
                throw new ArgumentException($"tensor '{s.Name}' has a negative dimension {SafetensorsTensor.FormatShape(s.Shape)}", nameof(tensors));
        }

        WriteOrder = specs
            .OrderByDescending(s => s.DType.SizeOf())
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        _lengths = WriteOrder.Select(s => s.ByteLength).ToArray();

        byte[] header = BuildHeader(WriteOrder, metadata);
        _stream = new FileStream(_partialPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> lengthBytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthBytes, (ulong)header.Length);
        _stream.Write(lengthBytes);
        _stream.Write(header);
        SkipEmptyTensors();
    }

    /// <summary>The order in which tensor data must be supplied.</summary>
    public IReadOnlyList<SafetensorsTensorSpec> WriteOrder { get; }

    /// <summary>The tensor whose data is expected next; null once every tensor is complete.</summary>
    public SafetensorsTensorSpec? Current => _current < WriteOrder.Count ? WriteOrder[_current] : null;

    /// <summary>Appends raw bytes to the current tensor (they may span into the following tensors).</summary>
    public void WriteBytes(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!data.IsEmpty)
        {
            if (Current is null)
                throw new InvalidOperationException($"{_path}: more data written than the {WriteOrder.Count} tensors declared");
            long room = _lengths[_current] - _writtenInCurrent;
            int n = (int)Math.Min(room, data.Length);
            _stream.Write(data[..n]);
            data = data[n..];
            _writtenInCurrent += n;
            if (_writtenInCurrent == _lengths[_current])
            {
                _current++;
                _writtenInCurrent = 0;
                SkipEmptyTensors();
            }
        }
    }

    /// <summary>Appends float values to the current tensor, converted to its floating-point dtype (F32, F16, BF16, F64).</summary>
    public void WriteFloat32(ReadOnlySpan<float> values)
    {
        var spec = Current ?? throw new InvalidOperationException($"{_path}: more data written than the tensors declared");
        if (!spec.DType.IsFloatingPoint())
            throw new InvalidOperationException($"tensor '{spec.Name}' is {spec.DType}; write integer tensors with WriteBytes/Write<T>");
        long remaining = (_lengths[_current] - _writtenInCurrent) / spec.DType.SizeOf();
        if (values.Length > remaining)
            throw new InvalidOperationException($"tensor '{spec.Name}' has room for {remaining} more elements; {values.Length} were given (float writes may not span tensors)");
        int size = spec.DType.SizeOf();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(values.Length, 1 << 16) * size);
        try
        {
            for (int i = 0; i < values.Length; i += 1 << 16)
            {
                int n = Math.Min(1 << 16, values.Length - i);
                ElementConversion.FromFloat32(spec.DType, values.Slice(i, n), buffer.AsSpan(0, n * size));
                WriteBytes(buffer.AsSpan(0, n * size));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Appends elements whose size matches the current tensor's dtype (e.g. sbyte for I8, int for I32).</summary>
    public void Write<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        var spec = Current ?? throw new InvalidOperationException($"{_path}: more data written than the tensors declared");
        if (Unsafe.SizeOf<T>() != spec.DType.SizeOf())
            throw new InvalidOperationException($"tensor '{spec.Name}' is {spec.DType}; {typeof(T).Name} elements do not fit it");
        WriteBytes(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Checks every tensor got all its bytes, flushes and moves the file to its final name.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Current is { } missing)
            throw new InvalidOperationException($"{_path}: tensor '{missing.Name}' got {_writtenInCurrent} of {_lengths[_current]} bytes (and {WriteOrder.Count - _current - 1} tensors after it none)");
        _stream.Flush(flushToDisk: false);
        _stream.Dispose();
        File.Move(_partialPath, _path, overwrite: true);
        _completed = true;
        _disposed = true;
    }

    /// <summary>Abandons an incomplete file (deletes the partial output).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stream.Dispose();
        if (!_completed && File.Exists(_partialPath)) File.Delete(_partialPath);
    }

    /// <summary>Writes a whole file from in-memory tensors (raw little-endian bytes per tensor).</summary>
    public static void WriteFile(string path, IEnumerable<(SafetensorsTensorSpec Spec, ReadOnlyMemory<byte> Data)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        foreach (var (spec, data) in list)
            if (data.Length != spec.ByteLength)
                throw new ArgumentException($"tensor '{spec.Name}': shape {SafetensorsTensor.FormatShape(spec.Shape)} x {spec.DType} needs {spec.ByteLength} bytes; {data.Length} given", nameof(tensors));
        var byName = list.ToDictionary(t => t.Spec.Name, t => t.Data, StringComparer.Ordinal);
        using var writer = new SafetensorsWriter(path, list.Select(t => t.Spec), metadata);
        foreach (var spec in writer.WriteOrder)
            writer.WriteBytes(byName[spec.Name].Span);
        writer.Complete();
    }

    /// <summary>Writes float32 tensors (converted to each spec's floating-point dtype).</summary>
    public static void WriteFloat32File(string path, IEnumerable<(SafetensorsTensorSpec Spec, float[] Data)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var byName = list.ToDictionary(t => t.Spec.Name, t => t.Data, StringComparer.Ordinal);
        using var writer = new SafetensorsWriter(path, list.Select(t => t.Spec), metadata);
        foreach (var spec in writer.WriteOrder)
        {
            var data = byName[spec.Name];
            if (data.Length != spec.ElementCount)
                throw new ArgumentException($"tensor '{spec.Name}': shape {SafetensorsTensor.FormatShape(spec.Shape)} has {spec.ElementCount} elements; {data.Length} given", nameof(tensors));
            writer.WriteFloat32(data);
        }
        writer.Complete();
    }

    private void SkipEmptyTensors()
    {
        while (_current < _lengths.Length && _lengths[_current] == 0) _current++;
    }

    private static byte[] BuildHeader(IReadOnlyList<SafetensorsTensorSpec> order, IReadOnlyDictionary<string, string>? metadata)
    {
        var offsets = new Dictionary<string, (long Begin, long End)>(StringComparer.Ordinal);
        long position = 0;
        foreach (var spec in order)
        {
            offsets[spec.Name] = (position, position + spec.ByteLength);
            position += spec.ByteLength;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            foreach (var spec in order.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject(spec.Name);
                json.WriteString("dtype", spec.DType.HeaderName());
                json.WriteStartArray("shape");
                foreach (int d in spec.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offsets[spec.Name].Begin);
                json.WriteNumberValue(offsets[spec.Name].End);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        // Pad with spaces so the data section starts 8-byte aligned (8-byte length field + header).
        int length = (int)buffer.Length;
        int padded = (length + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.GetBuffer().AsSpan(0, length).CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }
}
