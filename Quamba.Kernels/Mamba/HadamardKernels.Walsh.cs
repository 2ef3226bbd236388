using System.Numerics;

namespace Quamba.Kernels.Mamba;

// The Walsh-Hadamard butterflies of each 2^k segment: stage h (h = 1, 2, 4, ... in that order) pairs elements
// i and i + h of a segment into (a + b, a - b), exactly the model's operations. The results stay in the shared row.
public static partial class HadamardKernels
{
    /// <summary>
    /// Stages h &lt; min(2^k, 128). Warp w transforms chunks w, w + warps, ... (a chunk's four loads in flight
    /// together) and stores them to the shared row.
    /// </summary>
    private static void FirstWalshPass<TShape>(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> row, int rowBase) where TShape : IHadamardShape
    {
        int lane = Gpu.ThreadIdxX & 31;
        // The shuffle stages' signs (-1 on the lane that keeps a - b), the same for every chunk.
        var signs = new Float4(LaneSign(lane, 1), LaneSign(lane, 2), LaneSign(lane, 4), LaneSign(lane, 8));
        float sign16 = LaneSign(lane, 16);
        // The loop test is warp-uniform, so the shuffles run on full warps.
        for (int chunk = Gpu.ThreadIdxX >> 5; chunk < HadamardLayout.Chunks(TShape.Width); chunk += Gpu.BlockDimX >> 5)
        {
            Float4 v = LoadChunk<TShape>(input, rowBase, chunk, lane);
            FinishChunk<TShape>(ref v, chunk, lane, signs, sign16, row);
        }
    }

    /// <summary>-1 on lanes with bit <paramref name="h"/> set (the upper element of each stage-h pair), else 1.</summary>
    private static float LaneSign(int lane, int h) => (lane & h) != 0 ? -1f : 1f;

    /// <summary>Elements chunk * 128 + lane + 32 j (j = 0..3 in X..W) of the row; 0 past its end.</summary>
    private static Float4 LoadChunk<TShape>(ReadOnlyDeviceSpan<float> input, int rowBase, int chunk, int lane) where TShape : IHadamardShape
    {
        int e = chunk * HadamardLayout.Chunk + lane;
        Float4 v = default;
        if (e < TShape.Width) v.X = input[rowBase + e];
        if (e + 32 < TShape.Width) v.Y = input[rowBase + e + 32];
        if (e + 64 < TShape.Width) v.Z = input[rowBase + e + 64];
        if (e + 96 < TShape.Width) v.W = input[rowBase + e + 96];
        return v;
    }

    /// <summary>The butterflies of one chunk, then its store to the shared row.</summary>
    private static void FinishChunk<TShape>(ref Float4 v, int chunk, int lane, Float4 signs, float sign16, DeviceSpan<float> row) where TShape : IHadamardShape
    {
        if (TShape.WalshSize > 1) ShuffleStage(ref v, 1, signs.X);
        if (TShape.WalshSize > 2) ShuffleStage(ref v, 2, signs.Y);
        if (TShape.WalshSize > 4) ShuffleStage(ref v, 4, signs.Z);
        if (TShape.WalshSize > 8) ShuffleStage(ref v, 8, signs.W);
        if (TShape.WalshSize > 16) ShuffleStage(ref v, 16, sign16);
        // h = 32 pairs j = 0, 1 and 2, 3; h = 64 pairs j = 0, 2 and 1, 3.
        if (TShape.WalshSize > 32)
        {
            Butterfly(ref v.X, ref v.Y);
            Butterfly(ref v.Z, ref v.W);
        }
        if (TShape.WalshSize > 64)
        {
            Butterfly(ref v.X, ref v.Z);
            Butterfly(ref v.Y, ref v.W);
        }
        int e = chunk * HadamardLayout.Chunk + lane;
        if (e < TShape.Width) row[e] = v.X;
        if (e + 32 < TShape.Width) row[e + 32] = v.Y;
        if (e + 64 < TShape.Width) row[e + 64] = v.Z;
        if (e + 96 < TShape.Width) row[e + 96] = v.W;
    }

    /// <summary>
    /// Stage h &lt; 32: lanes l and l ^ h exchange values; the lower keeps a + b, the upper a - b = fma(b, -1, a) (one
    /// rounding, the same as the subtraction). <paramref name="sign"/> is this lane's <see cref="LaneSign"/>.
    /// </summary>
    private static void ShuffleStage(ref Float4 v, int h, float sign)
    {
        v.X = MathF.FusedMultiplyAdd(v.X, sign, Warp.ShuffleXor(v.X, h));
        v.Y = MathF.FusedMultiplyAdd(v.Y, sign, Warp.ShuffleXor(v.Y, h));
        v.Z = MathF.FusedMultiplyAdd(v.Z, sign, Warp.ShuffleXor(v.Z, h));
        v.W = MathF.FusedMultiplyAdd(v.W, sign, Warp.ShuffleXor(v.W, h));
    }

    /// <summary>
    /// Stages h = 128 .. 2^k / 2 (2^k &gt; 128), in register passes of up to <see cref="HadamardLayout.RegisterPassBits"/>
    /// stages: a pass over stages h = s .. s 2^(bits-1) gives each unit the 2^bits elements r + s i (i &lt; 2^bits) of
    /// a block of s 2^bits elements (r &lt; s), value i in component i % 4 of quad i / 4; each pass ends with a barrier.
    /// </summary>
    private static void LaterWalshPasses<TShape>(DeviceSpan<float> row) where TShape : IHadamardShape
    {
        int stages = 31 - BitOperations.LeadingZeroCount((uint)TShape.WalshSize);
        for (int low = 7; low < stages; low += HadamardLayout.RegisterPassBits)
        {
            int stride = 1 << low;
            int bits = Math.Min(stages - low, HadamardLayout.RegisterPassBits);
            int count = 1 << bits;
            for (int u = Gpu.ThreadIdxX; u < TShape.Width >> bits; u += Gpu.BlockDimX)
            {
                int e = (u >> low) * stride * count + (u & (stride - 1));
                Float4 low4 = LoadStrided(row, e, stride, count), high4 = default;
                if (count > 4) high4 = LoadStrided(row, e + 4 * stride, stride, 4);
                // Bits 0 and 1 of i inside each quad, then bit 2 across the two quads.
                for (int bit = 1; bit < 4 && bit < count; bit <<= 1)
                {
                    QuadStage(ref low4, bit);
                    QuadStage(ref high4, bit);
                }
                if (count > 4) Butterfly(ref low4, ref high4);
                StoreStrided(row, e, stride, low4, count);
                if (count > 4) StoreStrided(row, e + 4 * stride, stride, high4, 4);
            }
            Gpu.SyncThreads();
        }
    }

    /// <summary>The stage pairing components c and c ^ <paramref name="bit"/> (bit 1: X-Y, Z-W; bit 2: X-Z, Y-W).</summary>
    private static void QuadStage(ref Float4 q, int bit)
    {
        if (bit == 1)
        {
            Butterfly(ref q.X, ref q.Y);
            Butterfly(ref q.Z, ref q.W);
            return;
        }
        Butterfly(ref q.X, ref q.Z);
        Butterfly(ref q.Y, ref q.W);
    }

    /// <summary>(a, b) = (a + b, a - b).</summary>
    private static void Butterfly(ref float a, ref float b)
    {
        float x = a;
        a = x + b;
        b = x - b;
    }

    /// <summary>Component-wise <see cref="Butterfly(ref float, ref float)"/>.</summary>
    private static void Butterfly(ref Float4 a, ref Float4 b)
    {
        Butterfly(ref a.X, ref b.X);
        Butterfly(ref a.Y, ref b.Y);
        Butterfly(ref a.Z, ref b.Z);
        Butterfly(ref a.W, ref b.W);
    }

    /// <summary>Elements e + stride j, j &lt; count (at most 4), into X..W.</summary>
    private static Float4 LoadStrided(DeviceSpan<float> row, int e, int stride, int count)
    {
        Float4 v = default;
        v.X = row[e];
        if (count > 1) v.Y = row[e + stride];
        if (count > 2) v.Z = row[e + 2 * stride];
        if (count > 3) v.W = row[e + 3 * stride];
        return v;
    }

    /// <summary>Stores X..W at e + stride j for j &lt; count (at most 4).</summary>
    private static void StoreStrided(DeviceSpan<float> row, int e, int stride, Float4 v, int count)
    {
        row[e] = v.X;
        if (count > 1) row[e + stride] = v.Y;
        if (count > 2) row[e + 2 * stride] = v.Z;
        if (count > 3) row[e + 3 * stride] = v.W;
    }
}
