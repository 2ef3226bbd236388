using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text.Json;

namespace Quamba.Model.Checkpoints;

/// <summary>
/// A safetensors file opened read-only and memory-mapped: 8-byte little-endian header length, a JSON header, then the
/// data section. The header is validated completely on open, so a tensor view never points outside the file.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    /// <summary>Headers larger than this are rejected before parsing (the reference implementation uses the same cap).</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private readonly MemoryMappedFile? _mapping;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _base;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafetensorsTensor> _byName;
    private bool _disposed;

    private SafetensorsFile(string path, MemoryMappedFile? mapping, MemoryMappedViewAccessor? view, byte* basePointer,
        long dataStart, long dataLength, List<HeaderEntry> entries, Dictionary<string, string> metadata)
    {
        Path = path;
        _mapping = mapping;
        _view = view;
        _base = basePointer;
        _dataStart = dataStart;
        DataLength = dataLength;
        var tensors = entries.Select(e => new SafetensorsTensor(this, e.Name, e.DType, e.Shape, e.Begin, e.End - e.Begin)).ToList();
        Tensors = tensors;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Metadata = metadata;
    }

    public string Path { get; }

    /// <summary>The header's "__metadata__" string map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>All tensors, ordered by name.</summary>
    public IReadOnlyList<SafetensorsTensor> Tensors { get; }

    /// <summary>Length of the data section in bytes.</summary>
    public long DataLength { get; }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public bool TryGetTensor(string name, out SafetensorsTensor tensor) => _byName.TryGetValue(name, out tensor!);

    public SafetensorsTensor this[string name] =>
        _byName.TryGetValue(name, out var t)
            ? t
            : throw new CheckpointTensorException(Path, name, $"{Path}: no tensor named '{name}' (the file has {Tensors.Count} tensors)");

    internal byte* DataPointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _base + _dataStart;
        }
    }

    public static SafetensorsFile Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: safetensors file not found", path);
        long fileLength = new FileInfo(path).Length;
        if (fileLength < 8)
            throw new CheckpointFormatException(path, null, $"the file is {fileLength} bytes; it must start with an 8-byte header length (truncated or not a safetensors file?)");

        var mapping = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        byte* pointer = null;
        try
        {
            view = mapping.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            byte* basePointer = pointer + view.PointerOffset;
            var (entries, metadata, dataStart, dataLength) = ParseHeader(path, basePointer, fileLength);
            return new SafetensorsFile(path, mapping, view, basePointer, dataStart, dataLength, entries, metadata);
        }
        catch
        {
            if (pointer != null) view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            mapping.Dispose();
            throw;
        }
    }

    private readonly record struct HeaderEntry(string Name, SafetensorsDType DType, int[] Shape, long Begin, long End);

    private static (List<HeaderEntry>, Dictionary<string, string>, long, long) ParseHeader(string path, byte* basePointer, long fileLength)
    {
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(basePointer, 8));
        if (headerLength > (ulong)(fileLength - 8))
            throw new CheckpointFormatException(path, null, $"the header length field says {headerLength} bytes but only {fileLength - 8} bytes follow it (truncated file, or not a safetensors file)");
        if ((long)headerLength > MaxHeaderBytes)
            throw new CheckpointFormatException(path, null, $"the header is {headerLength} bytes, over the {MaxHeaderBytes}-byte limit");
        if (headerLength < 2)
            throw new CheckpointFormatException(path, null, $"the header is {headerLength} bytes; it must hold at least a JSON object '{{}}'");
        var headerBytes = new ReadOnlySpan<byte>(basePointer + 8, (int)headerLength);
        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;

        JsonDocument document;
        try
        {
            // Trailing spaces pad the header to an aligned length; JSON allows trailing whitespace.
            document = JsonDocument.Parse(headerBytes.ToArray());
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, null, $"the header is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException(path, null, $"the header must be a JSON object, found {root.ValueKind}");

            var entries = new List<HeaderEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new CheckpointFormatException(path, property.Name, "the name appears twice in the header");
                if (property.Name == "__metadata__")
                {
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }
                entries.Add(ReadEntry(path, property.Name, property.Value, dataLength));
            }

            CheckNoOverlap(path, entries);
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return (entries, metadata, dataStart, dataLength);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, "__metadata__", $"must be an object mapping strings to strings, found {value.ValueKind}");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointFormatException(path, "__metadata__", $"entry '{item.Name}' must be a string, found {item.Value.ValueKind}");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static HeaderEntry ReadEntry(string path, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new CheckpointFormatException(path, name, $"the header entry must be an object with dtype, shape and data_offsets, found {value.ValueKind}");

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new CheckpointFormatException(path, name, "missing or non-string 'dtype'");
        string dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDTypes.TryParse(dtypeName, out var dtype))
            throw new CheckpointFormatException(path, name, $"unknown dtype '{dtypeName}' (known: {SafetensorsDTypes.KnownNames})");

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new CheckpointFormatException(path, name, "missing or non-array 'shape'");
        var shape = new int[shapeElement.GetArrayLength()];
        long elements = 1;
        int i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d))
                throw new CheckpointFormatException(path, name, $"shape entry {i} is not an integer ({dim.GetRawText()})");
            if (d < 0)
                throw new CheckpointFormatException(path, name, $"shape entry {i} is negative ({d})");
            if (d > int.MaxValue)
                throw new CheckpointFormatException(path, name, $"shape entry {i} ({d}) is larger than {int.MaxValue}");
            shape[i++] = (int)d;
            elements = checked(elements * d);
        }

        if (!value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array || offsetsElement.GetArrayLength() != 2)
            throw new CheckpointFormatException(path, name, "missing 'data_offsets' or it is not an array of two integers [begin, end]");
        long begin = ReadOffset(path, name, offsetsElement[0]);
        long end = ReadOffset(path, name, offsetsElement[1]);
        if (end < begin)
            throw new CheckpointFormatException(path, name, $"data_offsets [{begin}, {end}] end before they begin");
        if (end > dataLength)
            throw new CheckpointFormatException(path, name, $"data_offsets [{begin}, {end}] reach past the end of the data section ({dataLength} bytes; truncated file?)");
        long expected = checked(elements * dtype.SizeOf());
        if (end - begin != expected)
            throw new CheckpointFormatException(path, name, $"shape {SafetensorsTensor.FormatShape(shape)} x {dtype} ({dtype.SizeOf()} bytes) needs {expected} bytes, but data_offsets [{begin}, {end}] cover {end - begin}");
        return new HeaderEntry(name, dtype, shape, begin, end);
    }

    private static long ReadOffset(string path, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long v) || v < 0)
            throw new CheckpointFormatException(path, name, $"data_offsets entry {element.GetRawText()} is not a non-negative integer");
        return v;
    }

    private static void CheckNoOverlap(string path, List<HeaderEntry> entries)
    {
        var byBegin = entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        for (int i = 1; i < byBegin.Count; i++)
        {
            var previous = byBegin[i - 1];
            var current = byBegin[i];
            if (current.Begin < previous.End)
                throw new CheckpointFormatException(path, current.Name,
                    $"byte range [{current.Begin}, {current.End}) overlaps tensor '{previous.Name}' [{previous.Begin}, {previous.End})");
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _mapping?.Dispose();
        _base = null;
    }
}
