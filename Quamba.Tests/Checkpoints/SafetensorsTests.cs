using System.Buffers.Binary;
using System.Text;
using Quamba.Model.Checkpoints;

namespace Quamba.Tests.Checkpoints;

public sealed class SafetensorsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Writes a file by hand: 8-byte length, the header text exactly as given, then the data bytes.</summary>
    private string WriteRaw(string header, int dataBytes, string name = "raw.safetensors", long? declaredLength = null)
    {
        string path = _temp.File(name);
        byte[] headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + headerBytes.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(declaredLength ?? headerBytes.Length));
        headerBytes.CopyTo(bytes, 8);
        for (int i = 0; i < dataBytes; i++) bytes[8 + headerBytes.Length + i] = (byte)i;
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static CheckpointFormatException Rejects(string path, string? tensor, params string[] fragments)
    {
        var e = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(path, e.Message);
        Assert.Equal(tensor, e.TensorName);
        if (tensor is not null) Assert.Contains($"'{tensor}'", e.Message);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
        return e;
    }

    [Fact]
    public void WriterRoundTripsEveryDTypeAndMetadata()
    {
        string path = _temp.File("all.safetensors");
        float[] floats = [1.5f, -2.25f, 3.0e-3f, 65504f, 0f, -0f];
        var i8 = new sbyte[] { -128, -1, 0, 1, 127 };
        var i32 = new[] { int.MinValue, -5, 7, int.MaxValue };
        var i64 = new[] { long.MinValue, 42L };
        var i16 = new short[] { -300, 300 };
        var u8 = new byte[] { 0, 255, 7 };
        var boolean = new byte[] { 1, 0, 1 };
        double[] f64 = [Math.PI, -1e300];
        using (var writer = new SafetensorsWriter(path,
        [
            new("w.f32", SafetensorsDType.F32, [2, 3]), new("w.f16", SafetensorsDType.F16, [6]), new("w.bf16", SafetensorsDType.BF16, [3, 2]),
            new("w.f64", SafetensorsDType.F64, [2]), new("q.i8", SafetensorsDType.I8, [5]), new("q.i16", SafetensorsDType.I16, [2]),
            new("q.i32", SafetensorsDType.I32, [4]), new("q.i64", SafetensorsDType.I64, [2]), new("q.u8", SafetensorsDType.U8, [3]),
            new("mask", SafetensorsDType.BOOL, [3]), new("empty", SafetensorsDType.F32, [0, 4]),
        ], new Dictionary<string, string> { ["format"] = "pt", ["note"] = "round trip" }))
        {
            foreach (var spec in writer.WriteOrder)
            {
                switch (spec.Name)
                {
                    case "w.f32" or "w.f16" or "w.bf16": writer.WriteFloat32(floats); break;
                    case "w.f64": writer.Write<double>(f64); break;
                    case "q.i8": writer.Write<sbyte>(i8); break;
                    case "q.i16": writer.Write<short>(i16); break;
                    case "q.i32": writer.Write<int>(i32); break;
                    case "q.i64": writer.Write<long>(i64); break;
                    case "q.u8": writer.WriteBytes(u8); break;
                    case "mask": writer.WriteBytes(boolean); break;
                    case "empty": break;
                }
            }
            writer.Complete();
        }

        using var file = SafetensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("round trip", file.Metadata["note"]);
        Assert.Equal(floats, file["w.f32"].ToFloat32Array());
        Assert.Equal([2, 3], file["w.f32"].Shape);
        Assert.Equal(floats.Select(f => (float)(Half)f), file["w.f16"].ToFloat32Array()); // round to nearest F16
        Assert.Equal(floats.Select(f => ElementConversionReference.RoundToBFloat16(f)), file["w.bf16"].ToFloat32Array());
        Assert.Equal(f64.Select(d => (float)d), file["w.f64"].ToFloat32Array());
        Assert.Equal(i8, file["q.i8"].ToArray<sbyte>());
        Assert.Equal(i8.Select(v => (float)v), file["q.i8"].ToFloat32Array());
        Assert.Equal(i16, file["q.i16"].ToArray<short>());
        Assert.Equal(i32, file["q.i32"].ToArray<int>());
        Assert.Equal(i64, file["q.i64"].ToArray<long>());
        Assert.Equal(u8, file["q.u8"].Bytes.ToArray());
        Assert.Equal(boolean, file["mask"].ToArray<byte>());
        Assert.Equal(0, file["empty"].ElementCount);
        Assert.Equal(file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Name));
        // Every tensor starts at a multiple of its element size, and the data section has no holes.
        foreach (var t in file.Tensors) Assert.Equal(0, t.DataOffset % t.DType.SizeOf());
        Assert.Equal(file.Tensors.Sum(t => t.ByteLength), file.DataLength);
        Assert.Throws<InvalidOperationException>(() => file["q.i32"].AsSpan<short>());
    }

    [Fact]
    public void WriterOutputIsDeterministicAndHeaderAligned()
    {
        byte[] Write(string name, bool reverse)
        {
            var tensors = new List<(SafetensorsTensorSpec, float[])>
            {
                (new SafetensorsTensorSpec("b", SafetensorsDType.F32, [2]), [1f, 2f]),
                (new SafetensorsTensorSpec("a", SafetensorsDType.F16, [3]), [3f, 4f, 5f]),
            };
            if (reverse) tensors.Reverse();
            SafetensorsWriter.WriteFloat32File(_temp.File(name), tensors, new Dictionary<string, string> { ["format"] = "pt" });
            return File.ReadAllBytes(_temp.File(name));
        }
        var first = Write("one.safetensors", reverse: false);
        var second = Write("two.safetensors", reverse: true);
        Assert.Equal(first, second);
        Assert.Equal(0UL, (8 + BinaryPrimitives.ReadUInt64LittleEndian(first)) % 8);
        Assert.False(File.Exists(_temp.File("one.safetensors.partial")));
    }

    [Fact]
    public void IncompleteWriterLeavesNoFile()
    {
        string path = _temp.File("partial.safetensors");
        using (var writer = new SafetensorsWriter(path, [new("x", SafetensorsDType.F32, [4])]))
        {
            writer.WriteFloat32([1f, 2f]);
            Assert.Throws<InvalidOperationException>(() => writer.Complete());
        }
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void ReadsTheTinyModel()
    {
        using var file = SafetensorsFile.Open(Path.Combine(Quamba.Tests.Model.TestModels.Directory("mamba1-tiny"), "model.safetensors"));
        var embedding = file["backbone.embeddings.weight"];
        Assert.Equal(SafetensorsDType.F32, embedding.DType);
        Assert.Equal([4096, 192], embedding.Shape);
        Assert.Equal("pt", file.Metadata["format"]);
        var e = Assert.Throws<CheckpointTensorException>(() => file["no.such.tensor"]);
        Assert.Contains("no.such.tensor", e.Message);
    }

    [Fact]
    public void FileShorterThanTheLengthField() =>
        Rejects(WriteRawBytes([1, 2, 3]), null, "3 bytes", "8-byte header length");

    [Fact]
    public void HeaderLengthBeyondTheFile() =>
        Rejects(WriteRaw("{}", 0, declaredLength: 1_000_000), null, "1000000", "only 2 bytes follow");

    [Fact]
    public void TruncatedDataSection()
    {
        // Declares 16 bytes of data, carries 10: what a cut-off download looks like.
        string path = WriteRaw("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 10);
        Rejects(path, "w", "past the end of the data section (10 bytes", "truncated");
    }

    [Fact]
    public void HeaderIsNotJson() =>
        Rejects(WriteRaw("{\"w\": [", 0), null, "not valid JSON");

    [Fact]
    public void HeaderIsNotAnObject() =>
        Rejects(WriteRaw("[1, 2]", 0), null, "must be a JSON object");

    [Fact]
    public void OverlappingRanges()
    {
        string path = WriteRaw("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12);
        Rejects(path, "b", "overlaps tensor 'a'");
    }

    [Fact]
    public void UnknownDType() =>
        Rejects(WriteRaw("""{"w":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}}""", 4), "w", "unknown dtype 'F8_E4M3'", "BF16");

    [Fact]
    public void ShapeTimesDTypeDiffersFromTheRange() =>
        Rejects(WriteRaw("""{"w":{"dtype":"F16","shape":[3,2],"data_offsets":[0,8]}}""", 8), "w", "needs 12 bytes", "cover 8");

    [Fact]
    public void NegativeShape() =>
        Rejects(WriteRaw("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", 0), "w", "negative");

    [Fact]
    public void MissingDataOffsets() =>
        Rejects(WriteRaw("""{"w":{"dtype":"F32","shape":[1]}}""", 4), "w", "data_offsets");

    [Fact]
    public void MetadataMustMapStringsToStrings() =>
        Rejects(WriteRaw("""{"__metadata__":{"format":1}}""", 0), "__metadata__", "'format' must be a string");

    [Fact]
    public void DuplicateTensorName() =>
        Rejects(WriteRaw("""{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", 2), "w", "twice");

    [Fact]
    public void Float16AndBFloat16ConvertExactly()
    {
        string path = _temp.File("halves.safetensors");
        // Bit patterns: F16 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504, 0x0001 = 2^-24 (subnormal);
        // BF16 0x3F80 = 1, 0xC040 = -3, 0x7F80 = +inf, 0x0080 = 2^-126.
        ushort[] f16 = [0x3C00, 0xC000, 0x7BFF, 0x0001];
        ushort[] bf16 = [0x3F80, 0xC040, 0x7F80, 0x0080];
        var f16Bytes = new byte[8];
        var bf16Bytes = new byte[8];
        for (int i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(f16Bytes.AsSpan(2 * i), f16[i]);
            BinaryPrimitives.WriteUInt16LittleEndian(bf16Bytes.AsSpan(2 * i), bf16[i]);
        }
        SafetensorsWriter.WriteFile(path,
        [
            (new SafetensorsTensorSpec("h", SafetensorsDType.F16, [4]), f16Bytes),
            (new SafetensorsTensorSpec("b", SafetensorsDType.BF16, [4]), bf16Bytes),
        ]);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal([1f, -2f, 65504f, MathF.Pow(2, -24)], file["h"].ToFloat32Array());
        Assert.Equal([1f, -3f, float.PositiveInfinity, MathF.Pow(2, -126)], file["b"].ToFloat32Array());
    }

    [Fact]
    public void LongBFloat16TensorsUseTheVectorPathCorrectly()
    {
        // 100 elements: several 16-wide vector steps plus a scalar tail.
        var values = Enumerable.Range(0, 100).Select(i => (i - 50) * 0.37f).ToArray();
        string path = _temp.File("bf16.safetensors");
        SafetensorsWriter.WriteFloat32File(path, [(new SafetensorsTensorSpec("x", SafetensorsDType.BF16, [100]), values)]);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(values.Select(ElementConversionReference.RoundToBFloat16), file["x"].ToFloat32Array());
    }

    private string WriteRawBytes(byte[] bytes)
    {
        string path = _temp.File("short.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

/// <summary>An independent round-to-nearest-even bfloat16 rounding, via double arithmetic.</summary>
internal static class ElementConversionReference
{
    public static float RoundToBFloat16(float value)
    {
        if (value == 0 || float.IsInfinity(value) || float.IsNaN(value)) return value;
        int exponent = Math.ILogB(value);
        double quantum = Math.ScaleB(1.0, exponent - 7); // 8 significant bits
        return (float)(Math.Round(value / quantum, MidpointRounding.ToEven) * quantum);
    }
}
