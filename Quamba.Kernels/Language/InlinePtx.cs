namespace Quamba.Kernels;

/// <summary>
/// The escape hatch: PTX text inserted verbatim into the kernel. In the template <c>{0}</c> is the result
/// register and <c>{1}</c>.. the operands. The emulator cannot run PTX, so guard a call with
/// <see cref="Gpu.IsDevice"/> and give the CPU path beside it.
/// </summary>
public static class InlinePtx
{
    public static void Emit(string ptx) => throw Unsupported();

    public static uint U32(string template, uint a) => throw Unsupported();
    public static uint U32(string template, uint a, uint b) => throw Unsupported();
    public static uint U32(string template, uint a, uint b, uint c) => throw Unsupported();

    public static float F32(string template, float a) => throw Unsupported();
    public static float F32(string template, float a, float b) => throw Unsupported();
    public static float F32(string template, float a, float b, float c) => throw Unsupported();

    private static NotSupportedException Unsupported() =>
        new("Inline PTX has no CPU emulation: guard it with `if (Gpu.IsDevice)` and give a C# path for the emulator.");
}
