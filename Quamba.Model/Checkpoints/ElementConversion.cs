using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Quamba.Model.Checkpoints;

/// <summary>Conversions between the stored element types and float32 (little-endian, as safetensors stores them).</summary>
internal static class ElementConversion
{
    /// <summary>Converts <paramref name="source"/> (whole elements of <paramref name="dtype"/>) to float32.</summary>
    public static void ToFloat32(SafetensorsDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        int count = source.Length / dtype.SizeOf();
        if (destination.Length < count)
            throw new ArgumentException("destination is shorter than the source", nameof(destination));
        destination = destination[..count];
        switch (dtype)
        {
            case SafetensorsDType.F32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case SafetensorsDType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case SafetensorsDType.BF16:
                BFloat16ToFloat32(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            case SafetensorsDType.F64:
                TensorPrimitives.ConvertTruncating(MemoryMarshal.Cast<byte, double>(source), destination);
                break;
            case SafetensorsDType.I64:
                {
                    var s = MemoryMarshal.Cast<byte, long>(source);
                    for (int i = 0; i < count; i++) destination[i] = s[i];
                    break;
                }
            case SafetensorsDType.I32:
                {
                    var s = MemoryMarshal.Cast<byte, int>(source);
                    for (int i = 0; i < count; i++) destination[i] = s[i];
                    break;
                }
            case SafetensorsDType.I16:
                {
                    var s = MemoryMarshal.Cast<byte, short>(source);
                    for (int i = 0; i < count; i++) destination[i] = s[i];
                    break;
                }
            case SafetensorsDType.I8:
                {
                    var s = MemoryMarshal.Cast<byte, sbyte>(source);
                    for (int i = 0; i < count; i++) destination[i] = s[i];
                    break;
                }
            case SafetensorsDType.U8:
            case SafetensorsDType.BOOL:
                for (int i = 0; i < count; i++) destination[i] = source[i];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null);
        }
    }

    /// <summary>Converts float32 values to a floating-point storage type (round to nearest even).</summary>
    public static void FromFloat32(SafetensorsDType dtype, ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (destination.Length < source.Length * dtype.SizeOf())
            throw new ArgumentException("destination is too short", nameof(destination));
        switch (dtype)
        {
            case SafetensorsDType.F32:
                MemoryMarshal.AsBytes(source).CopyTo(destination);
                break;
            case SafetensorsDType.F16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination)[..source.Length]);
                break;
            case SafetensorsDType.BF16:
                {
                    var d = MemoryMarshal.Cast<byte, ushort>(destination);
                    for (int i = 0; i < source.Length; i++) d[i] = Float32ToBFloat16(source[i]);
                    break;
                }
            case SafetensorsDType.F64:
                {
                    var d = MemoryMarshal.Cast<byte, double>(destination);
                    for (int i = 0; i < source.Length; i++) d[i] = source[i];
                    break;
                }
            default:
                throw new ArgumentException($"cannot store float values as {dtype}; write integer tensors as raw bytes", nameof(dtype));
        }
    }

    /// <summary>bfloat16 is the upper half of a float32: widen and shift.</summary>
    public static void BFloat16ToFloat32(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var dst = MemoryMarshal.Cast<float, uint>(destination);
            for (; i <= source.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Create(source.Slice(i, Vector256<ushort>.Count)));
                Vector256.ShiftLeft(lo, 16).CopyTo(dst.Slice(i));
                Vector256.ShiftLeft(hi, 16).CopyTo(dst.Slice(i + Vector256<uint>.Count));
            }
        }
        for (; i < source.Length; i++)
            destination[i] = BitConverter.Int32BitsToSingle(source[i] << 16);
    }

    public static ushort Float32ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40); // keep it a (quiet) NaN
        bits += 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)(bits >> 16);
    }

    public static float BFloat16ToFloat32(ushort value) => BitConverter.Int32BitsToSingle(value << 16);
}
