namespace Quamba.Kernels;

/// <summary>
/// Warp collectives over the full warp (member mask 0xffffffff): shuffles and votes. Every lane of the
/// warp must execute the same call; the emulator exchanges values across its 32 emulated lanes.
/// </summary>
public static class Warp
{
    public static int ShuffleXor(int value, int laneMask) => throw Gpu.Pending();
    public static uint ShuffleXor(uint value, int laneMask) => throw Gpu.Pending();
    public static float ShuffleXor(float value, int laneMask) => throw Gpu.Pending();

    public static int ShuffleDown(int value, int delta) => throw Gpu.Pending();
    public static uint ShuffleDown(uint value, int delta) => throw Gpu.Pending();
    public static float ShuffleDown(float value, int delta) => throw Gpu.Pending();

    public static int ShuffleUp(int value, int delta) => throw Gpu.Pending();
    public static uint ShuffleUp(uint value, int delta) => throw Gpu.Pending();
    public static float ShuffleUp(float value, int delta) => throw Gpu.Pending();

    public static int Shuffle(int value, int sourceLane) => throw Gpu.Pending();
    public static uint Shuffle(uint value, int sourceLane) => throw Gpu.Pending();
    public static float Shuffle(float value, int sourceLane) => throw Gpu.Pending();

    public static bool All(bool predicate) => throw Gpu.Pending();
    public static bool Any(bool predicate) => throw Gpu.Pending();
    public static uint Ballot(bool predicate) => throw Gpu.Pending();
}
