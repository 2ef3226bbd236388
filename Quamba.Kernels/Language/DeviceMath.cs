namespace Quamba.Kernels;

/// <summary>
/// Math intrinsics with a fixed PTX meaning. The CPU versions compute the exact function; the GPU "fast"
/// forms are the hardware approximations (<c>ex2.approx</c>, <c>lg2.approx</c>, <c>rcp.approx</c>,
/// <c>rsqrt.approx</c>, <c>tanh.approx</c> which needs sm_75), so tests compare them with a tolerance.
/// </summary>
public static class DeviceMath
{
    public static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    public static float FastExp2(float x) => MathF.Pow(2f, x);
    public static float FastLog2(float x) => MathF.Log2(x);
    public static float FastRcp(float x) => 1f / x;
    public static float FastRsqrt(float x) => 1f / MathF.Sqrt(x);
    public static float FastTanh(float x) => MathF.Tanh(x);

    /// <summary>Signed 4 x int8 dot product plus accumulator (<c>dp4a.s32.s32</c>, sm_61).</summary>
    public static int Dp4a(int a, int b, int accumulator)
    {
        int sum = accumulator;
        for (int i = 0; i < 32; i += 8) sum += (sbyte)(a >> i) * (sbyte)(b >> i);
        return sum;
    }

    /// <summary>Unsigned 4 x uint8 dot product plus accumulator (<c>dp4a.u32.u32</c>, sm_61).</summary>
    public static uint Dp4a(uint a, uint b, uint accumulator)
    {
        uint sum = accumulator;
        for (int i = 0; i < 32; i += 8) sum += (byte)(a >> i) * (uint)(byte)(b >> i);
        return sum;
    }
}
