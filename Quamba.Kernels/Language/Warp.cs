using Quamba.Kernels.Emulation;

namespace Quamba.Kernels;

/// <summary>
/// Warp collectives over the full warp (member mask 0xffffffff): shuffles and votes. Every lane of the
/// warp must execute the same call; the emulator exchanges values across its 32 emulated lanes.
/// Shuffles follow <c>shfl.sync</c> with a whole-warp segment: only the low 5 bits of the lane argument
/// count, and a source lane outside the warp (ShuffleUp below 0, ShuffleDown above 31) gives the calling
/// lane its own value. The emulator reports a shuffle that reads a lane missing from a partial last warp
/// (undefined on a GPU); votes ignore such lanes.
/// </summary>
public static class Warp
{
    public static int ShuffleXor(int value, int laneMask) => Collectives.Int(Collective.ShuffleXor, value, laneMask);
    public static uint ShuffleXor(uint value, int laneMask) => Collectives.Arrive(Collective.ShuffleXor, value, laneMask);
    public static float ShuffleXor(float value, int laneMask) => Collectives.Float(Collective.ShuffleXor, value, laneMask);

    public static int ShuffleDown(int value, int delta) => Collectives.Int(Collective.ShuffleDown, value, delta);
    public static uint ShuffleDown(uint value, int delta) => Collectives.Arrive(Collective.ShuffleDown, value, delta);
    public static float ShuffleDown(float value, int delta) => Collectives.Float(Collective.ShuffleDown, value, delta);

    public static int ShuffleUp(int value, int delta) => Collectives.Int(Collective.ShuffleUp, value, delta);
    public static uint ShuffleUp(uint value, int delta) => Collectives.Arrive(Collective.ShuffleUp, value, delta);
    public static float ShuffleUp(float value, int delta) => Collectives.Float(Collective.ShuffleUp, value, delta);

    public static int Shuffle(int value, int sourceLane) => Collectives.Int(Collective.ShuffleIdx, value, sourceLane);
    public static uint Shuffle(uint value, int sourceLane) => Collectives.Arrive(Collective.ShuffleIdx, value, sourceLane);
    public static float Shuffle(float value, int sourceLane) => Collectives.Float(Collective.ShuffleIdx, value, sourceLane);

    public static bool All(bool predicate) => Collectives.Arrive(Collective.VoteAll, predicate ? 1u : 0u, 0) != 0;
    public static bool Any(bool predicate) => Collectives.Arrive(Collective.VoteAny, predicate ? 1u : 0u, 0) != 0;
    public static uint Ballot(bool predicate) => Collectives.Arrive(Collective.VoteBallot, predicate ? 1u : 0u, 0);
}
