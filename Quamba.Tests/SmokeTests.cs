namespace Quamba.Tests;

public class SmokeTests
{
    [Fact]
    public void Dp4aMultipliesSignedBytes()
    {
        int a = unchecked((int)0x80_7F_FF_02); // bytes (lsb first): 2, -1, 127, -128
        int b = unchecked((int)0x02_03_04_05);  // 5, 4, 3, 2
        Assert.Equal(10 - 4 + 381 - 256 + 7, Quamba.Kernels.DeviceMath.Dp4a(a, b, 7));
    }
}
