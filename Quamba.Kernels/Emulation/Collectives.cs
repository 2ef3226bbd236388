using System.Runtime.CompilerServices;

namespace Quamba.Kernels.Emulation;

/// <summary>The emulator side of <see cref="Gpu"/> barriers and <see cref="Warp"/> collectives.</summary>
internal static class Collectives
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Arrive(Collective kind, uint operand, int argument)
    {
        EmulatedThread thread = EmulatedThread.Current;
        return thread.Block.Arrive(thread, kind, operand, argument);
    }

    public static int Int(Collective kind, int value, int argument) => (int)Arrive(kind, (uint)value, argument);

    public static float Float(Collective kind, float value, int argument) =>
        BitConverter.UInt32BitsToSingle(Arrive(kind, BitConverter.SingleToUInt32Bits(value), argument));
}
