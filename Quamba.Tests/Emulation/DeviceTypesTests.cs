using Quamba.Kernels;

namespace Quamba.Tests.Emulation;

/// <summary>The CPU meaning of BFloat16 conversion and DeviceMath, which kernels on the emulator rely on.</summary>
public class DeviceTypesTests
{
    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3F80)] // 1.0
    [InlineData(0x3F808000u, (ushort)0x3F80)] // halfway, even below: round down
    [InlineData(0x3F818000u, (ushort)0x3F82)] // halfway, odd below: round up to even
    [InlineData(0x3F808001u, (ushort)0x3F81)] // above halfway
    [InlineData(0x80000000u, (ushort)0x8000)] // -0
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float max rounds to +inf
    [InlineData(0xFF800000u, (ushort)0xFF80)] // -inf
    [InlineData(0x00000001u, (ushort)0x0000)] // smallest subnormal rounds to 0
    public void BFloat16RoundsToNearestEven(uint floatBits, ushort expected) =>
        Assert.Equal(expected, ((BFloat16)BitConverter.UInt32BitsToSingle(floatBits)).Bits);

    [Fact]
    public void BFloat16KeepsNaNAndWidensExactly()
    {
        Assert.True(float.IsNaN((float)(BFloat16)float.NaN));
        Assert.True(float.IsNaN((float)(BFloat16)BitConverter.UInt32BitsToSingle(0x7F800001u))); // a NaN whose payload is all below bit 16
        for (int bits = 0; bits < 0x10000; bits += 7)
        {
            var value = new BFloat16((ushort)bits);
            float wide = (float)value;
            if (!float.IsNaN(wide)) Assert.Equal(value, (BFloat16)wide);
        }
    }

    [Fact]
    public void UnsignedDp4aAndFmaFollowPtx()
    {
        Assert.Equal(255u * 255u * 4u + 1u, DeviceMath.Dp4a(0xFFFFFFFFu, 0xFFFFFFFFu, 1u));
        Assert.Equal(int.MinValue, DeviceMath.Dp4a(0, 0, int.MinValue));
        Assert.Equal(4 * -128 * -128, DeviceMath.Dp4a(unchecked((int)0x80808080), unchecked((int)0x80808080), 0));
        // fma rounds once: (1 + 2^-23)^2 - (1 + 2^-22) keeps the 2^-46 term a separate multiply and add would lose.
        float x = 1f + MathF.Pow(2, -23);
        Assert.Equal(MathF.Pow(2, -46), DeviceMath.Fma(x, x, -(1f + MathF.Pow(2, -22))));
        Assert.Equal(8f, DeviceMath.FastExp2(3f));
        Assert.Equal(0.25f, DeviceMath.FastRcp(4f));
    }
}
