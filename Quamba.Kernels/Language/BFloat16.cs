namespace Quamba.Kernels;

/// <summary>
/// bfloat16: the upper 16 bits of a float. Conversion from float rounds to nearest even (NaN stays NaN),
/// matching <c>cvt.rn.bf16.f32</c>.
/// </summary>
public readonly struct BFloat16 : IEquatable<BFloat16>
{
    public BFloat16(ushort bits) => Bits = bits;

    public ushort Bits { get; }

    public static explicit operator BFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return new BFloat16((ushort)((bits >> 16) | 0x40));
        uint rounding = 0x7FFFu + ((bits >> 16) & 1u);
        return new BFloat16((ushort)((bits + rounding) >> 16));
    }

    public static explicit operator float(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value.Bits << 16);

    public bool Equals(BFloat16 other) => Bits == other.Bits;
    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);
    public override int GetHashCode() => Bits;
    public override string ToString() => ((float)this).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
