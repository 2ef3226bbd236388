using System.Runtime.InteropServices;
using Quamba.Model.Checkpoints;

namespace Quamba.Model.Quantization.Checkpoint;

/// <summary>One tensor of a quantized checkpoint as raw little-endian bytes: int8 codes, packed int4 codes or float32.</summary>
public sealed class StoredTensor
{
    public StoredTensor(SafetensorsDType dtype, int[] shape, byte[] bytes)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (bytes.Length != count * dtype.SizeOf())
            throw new ArgumentException($"shape {SafetensorsTensor.FormatShape(shape)} x {dtype} needs {count * dtype.SizeOf()} bytes; {bytes.Length} given", nameof(bytes));
        DType = dtype;
        Shape = shape;
        Bytes = bytes;
    }

    public SafetensorsDType DType { get; }
    public int[] Shape { get; }
    public byte[] Bytes { get; }

    public static StoredTensor Float32(float[] values, params int[] shape) => new(SafetensorsDType.F32, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    public static StoredTensor Int8(sbyte[] values, params int[] shape) => new(SafetensorsDType.I8, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    public static StoredTensor UInt8(byte[] values, params int[] shape) => new(SafetensorsDType.U8, shape, (byte[])values.Clone());

    public float[] ToFloat32() => MemoryMarshal.Cast<byte, float>(Bytes).ToArray();
    public sbyte[] ToInt8() => MemoryMarshal.Cast<byte, sbyte>(Bytes).ToArray();
    public byte[] ToUInt8() => (byte[])Bytes.Clone();

    public string ShapeText => SafetensorsTensor.FormatShape(Shape);
}
