namespace Quamba.Kernels.Mamba;

// The Walsh-Hadamard butterflies of each 2^k segment: stage h (h = 1, 2, 4, ... in that order) pairs elements
// i and i + h of a segment into (a + b, a - b), exactly the model's operations.
public static partial class HadamardKernels
{
    /// <summary>A store limit meaning "every element is inside the row".</summary>
    private const int WholeRow = int.MaxValue;

    /// <summary>
    /// Stages h &lt; min(2^k, 128). Warp w transforms chunks w, w + warps, ... (at most 8, <see cref="HadamardLayout.Threads"/>),
    /// loading all of them before the first butterfly. The result goes to the shared row, or straight to the output
    /// when it is final (m = 1, 2^k &lt;= 128).
    /// </summary>
    private static void FirstWalshPass<TShape>(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> row, int rowBase, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, RotationScales scales)
        where TShape : IHadamardShape
    {
        int warps = Gpu.BlockDimX >> 5;
        int lane = Gpu.ThreadIdxX & 31, warp = Gpu.ThreadIdxX >> 5;
        int chunks = HadamardLayout.Chunks(TShape.Width);
        // The shuffle stages' signs (-1 on the lane that keeps a - b), the same for every chunk.
        var signs = new Float4(LaneSign(lane, 1), LaneSign(lane, 2), LaneSign(lane, 4), LaneSign(lane, 8));
        float sign16 = LaneSign(lane, 16);
        Float4 c0 = LoadChunk<TShape>(input, rowBase, warp, lane), c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        if (warps < chunks) c1 = LoadChunk<TShape>(input, rowBase, warps + warp, lane);
        if (2 * warps < chunks) c2 = LoadChunk<TShape>(input, rowBase, 2 * warps + warp, lane);
        if (3 * warps < chunks) c3 = LoadChunk<TShape>(input, rowBase, 3 * warps + warp, lane);
        if (4 * warps < chunks) c4 = LoadChunk<TShape>(input, rowBase, 4 * warps + warp, lane);
        if (5 * warps < chunks) c5 = LoadChunk<TShape>(input, rowBase, 5 * warps + warp, lane);
        if (6 * warps < chunks) c6 = LoadChunk<TShape>(input, rowBase, 6 * warps + warp, lane);
        if (7 * warps < chunks) c7 = LoadChunk<TShape>(input, rowBase, 7 * warps + warp, lane);
        FinishChunk<TShape>(ref c0, warp, lane, signs, sign16, row, rowBase, codes, floats, quantize, scales);
        if (warps < chunks) FinishChunk<TShape>(ref c1, warps + warp, lane, signs, sign16, row, rowBase, codes, floats, quantize, scales);
        if (2 * warps < chunks) FinishChunk<TShape>(ref c2, 2 * warps + warp, lane, signs, sign16, row, rowBase, codes, floats, quantize, scales);
        if (3 * warps < chunks) FinishChunk<TShape>(ref c3, 3 * warps + warp, lane, signs, sign16, row, rowBase, codes, floats, quantize, scales);
        if (4 * warps < chunks) FinishChunk<TShape>(ref c4, 4 * warps + warp, lane, signs, sign16, row, rowBase, codes, floats, quantize, scales);
        if (5 * warps < chunks) FinishChunk<TShape>(ref c5, 5 * warps + warp, lane, signs, sign16, row, rowBase, codes, floats, quantize, scales);
        if (6 * warps < chunks) FinishChunk<TShape>(ref c6, 6 * warps + warp, lane, signs, sign16, row, rowBase, codes, floats, quantize, scales);
        if (7 * warps < chunks) FinishChunk<TShape>(ref c7, 7 * warps + warp, lane, signs, sign16, row, rowBase, codes, floats, quantize, scales);
    }

    /// <summary>-1 on lanes with bit <paramref name="h"/> set (the upper element of each stage-h pair), else 1.</summary>
    private static float LaneSign(int lane, int h) => (lane & h) != 0 ? -1f : 1f;

    /// <summary>Elements chunk * 128 + lane + 32 j (j = 0..3 in X..W) of the row; 0 past its end.</summary>
    private static Float4 LoadChunk<TShape>(ReadOnlyDeviceSpan<float> input, int rowBase, int chunk, int lane) where TShape : IHadamardShape
    {
        int e = chunk * HadamardLayout.Chunk + lane;
        Float4 v = default;
        if (TShape.Width % HadamardLayout.Chunk == 0)
        {
            // Whole chunks: one warp-uniform test instead of one per element.
            if (chunk < HadamardLayout.Chunks(TShape.Width))
            {
                v.X = input[rowBase + e];
                v.Y = input[rowBase + e + 32];
                v.Z = input[rowBase + e + 64];
                v.W = input[rowBase + e + 96];
            }
            return v;
        }
        if (e < TShape.Width) v.X = input[rowBase + e];
        if (e + 32 < TShape.Width) v.Y = input[rowBase + e + 32];
        if (e + 64 < TShape.Width) v.Z = input[rowBase + e + 64];
        if (e + 96 < TShape.Width) v.W = input[rowBase + e + 96];
        return v;
    }

    /// <summary>The butterflies of one chunk, then its store (or its outputs when the transform ends here).</summary>
    private static void FinishChunk<TShape>(ref Float4 v, int chunk, int lane, Float4 signs, float sign16, DeviceSpan<float> row, int rowBase,
        DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, RotationScales scales) where TShape : IHadamardShape
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
        // Whole chunks (n a multiple of 128): a chunk is stored entirely or, past the row, not at all (warp-uniform),
        // and the per-element limit folds away.
        bool wholeChunks = TShape.Width % HadamardLayout.Chunk == 0;
        if (wholeChunks && chunk >= HadamardLayout.Chunks(TShape.Width)) return;
        int limit = wholeChunks ? WholeRow : TShape.Width - e;
        if (TShape.BaseOrder == 1 && TShape.WalshSize <= HadamardLayout.Chunk)
        {
            WriteStrided(rowBase + e, 32, v, 4, limit, codes, floats, quantize, scales);
            return;
        }
        StoreStrided(row, e, 32, v, 4, limit);
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
    /// Stages h = 128 .. 2^k / 2 (2^k &gt; 128): one thread per (segment, residue r mod 128) holds the 2^k / 128
    /// elements r + 128 i of the segment in registers (i = 4 q + component of quad q); the result goes back to the
    /// shared row, or to the output when m = 1.
    /// </summary>
    private static void SecondWalshPass<TShape>(DeviceSpan<float> row, int rowBase, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, RotationScales scales) where TShape : IHadamardShape
    {
        int count = TShape.WalshSize / HadamardLayout.Chunk;
        int units = TShape.BaseOrder * HadamardLayout.Chunk;
        for (int u = Gpu.ThreadIdxX; u < units; u += Gpu.BlockDimX)
        {
            int e = (u >> 7) * TShape.WalshSize + (u & (HadamardLayout.Chunk - 1));
            const int Stride = HadamardLayout.Chunk;
            Float4 q0 = LoadStrided(row, e, Stride, count), q1 = default, q2 = default, q3 = default, q4 = default, q5 = default, q6 = default, q7 = default;
            if (count > 4) q1 = LoadStrided(row, e + 4 * Stride, Stride, 4);
            if (count > 8)
            {
                q2 = LoadStrided(row, e + 8 * Stride, Stride, 4);
                q3 = LoadStrided(row, e + 12 * Stride, Stride, 4);
            }
            if (count > 16)
            {
                q4 = LoadStrided(row, e + 16 * Stride, Stride, 4);
                q5 = LoadStrided(row, e + 20 * Stride, Stride, 4);
                q6 = LoadStrided(row, e + 24 * Stride, Stride, 4);
                q7 = LoadStrided(row, e + 28 * Stride, Stride, 4);
            }
            WalshInRegisters(ref q0, ref q1, ref q2, ref q3, ref q4, ref q5, ref q6, ref q7, count);
            if (TShape.BaseOrder == 1)
            {
                WriteStrided(rowBase + e, Stride, q0, count, WholeRow, codes, floats, quantize, scales);
                if (count > 4) WriteStrided(rowBase + e + 4 * Stride, Stride, q1, 4, WholeRow, codes, floats, quantize, scales);
                if (count > 8)
                {
                    WriteStrided(rowBase + e + 8 * Stride, Stride, q2, 4, WholeRow, codes, floats, quantize, scales);
                    WriteStrided(rowBase + e + 12 * Stride, Stride, q3, 4, WholeRow, codes, floats, quantize, scales);
                }
                if (count > 16)
                {
                    WriteStrided(rowBase + e + 16 * Stride, Stride, q4, 4, WholeRow, codes, floats, quantize, scales);
                    WriteStrided(rowBase + e + 20 * Stride, Stride, q5, 4, WholeRow, codes, floats, quantize, scales);
                    WriteStrided(rowBase + e + 24 * Stride, Stride, q6, 4, WholeRow, codes, floats, quantize, scales);
                    WriteStrided(rowBase + e + 28 * Stride, Stride, q7, 4, WholeRow, codes, floats, quantize, scales);
                }
                continue;
            }
            StoreStrided(row, e, Stride, q0, count, WholeRow);
            if (count > 4) StoreStrided(row, e + 4 * Stride, Stride, q1, 4, WholeRow);
            if (count > 8)
            {
                StoreStrided(row, e + 8 * Stride, Stride, q2, 4, WholeRow);
                StoreStrided(row, e + 12 * Stride, Stride, q3, 4, WholeRow);
            }
            if (count > 16)
            {
                StoreStrided(row, e + 16 * Stride, Stride, q4, 4, WholeRow);
                StoreStrided(row, e + 20 * Stride, Stride, q5, 4, WholeRow);
                StoreStrided(row, e + 24 * Stride, Stride, q6, 4, WholeRow);
                StoreStrided(row, e + 28 * Stride, Stride, q7, 4, WholeRow);
            }
        }
    }

    /// <summary>
    /// The Walsh-Hadamard transform of <paramref name="count"/> (2..32) values, value i = 4 q + c in component c of
    /// quad q: stage bit 0, bit 1 inside each quad, then bits 2, 3, 4 across quads, in that order.
    /// </summary>
    private static void WalshInRegisters(ref Float4 q0, ref Float4 q1, ref Float4 q2, ref Float4 q3, ref Float4 q4, ref Float4 q5, ref Float4 q6, ref Float4 q7, int count)
    {
        for (int bit = 1; bit < 4 && bit < count; bit <<= 1)
        {
            QuadStage(ref q0, bit);
            if (count > 4) QuadStage(ref q1, bit);
            if (count > 8)
            {
                QuadStage(ref q2, bit);
                QuadStage(ref q3, bit);
            }
            if (count > 16)
            {
                QuadStage(ref q4, bit);
                QuadStage(ref q5, bit);
                QuadStage(ref q6, bit);
                QuadStage(ref q7, bit);
            }
        }
        // Bits 2, 3, 4 pair quads k and k + 1, k + 2, k + 4 (k with that bit clear), among the count / 4 in use.
        int pairs = count >> 3;
        if (count > 4) ButterflyQuads(ref q0, ref q2, ref q4, ref q6, ref q1, ref q3, ref q5, ref q7, pairs);
        if (count > 8) ButterflyQuads(ref q0, ref q1, ref q4, ref q5, ref q2, ref q3, ref q6, ref q7, pairs);
        if (count > 16) ButterflyQuads(ref q0, ref q1, ref q2, ref q3, ref q4, ref q5, ref q6, ref q7, pairs);
    }

    /// <summary>(a_k, b_k) = (a_k + b_k, a_k - b_k) component-wise for the first <paramref name="pairs"/> (1, 2 or 4) k.</summary>
    private static void ButterflyQuads(ref Float4 a0, ref Float4 a1, ref Float4 a2, ref Float4 a3, ref Float4 b0, ref Float4 b1, ref Float4 b2, ref Float4 b3, int pairs)
    {
        Butterfly(ref a0, ref b0);
        if (pairs > 1) Butterfly(ref a1, ref b1);
        if (pairs > 2)
        {
            Butterfly(ref a2, ref b2);
            Butterfly(ref a3, ref b3);
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

    /// <summary>Stores X..W at e + stride j for j &lt; min(count, limit) (limit: elements left in the row, in strides).</summary>
    private static void StoreStrided(DeviceSpan<float> row, int e, int stride, Float4 v, int count, int limit)
    {
        if (limit > 0) row[e] = v.X;
        if (count > 1 && limit > stride) row[e + stride] = v.Y;
        if (count > 2 && limit > 2 * stride) row[e + 2 * stride] = v.Z;
        if (count > 3 && limit > 3 * stride) row[e + 3 * stride] = v.W;
    }

    /// <summary>As <see cref="StoreStrided"/>, writing the outputs of final values (times 1/sqrt(n)).</summary>
    private static void WriteStrided(int o, int stride, Float4 v, int count, int limit, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, RotationScales scales)
    {
        if (limit > 0) Write(codes, floats, quantize, o, v.X, scales);
        if (count > 1 && limit > stride) Write(codes, floats, quantize, o + stride, v.Y, scales);
        if (count > 2 && limit > 2 * stride) Write(codes, floats, quantize, o + 2 * stride, v.Z, scales);
        if (count > 3 && limit > 3 * stride) Write(codes, floats, quantize, o + 3 * stride, v.W, scales);
    }
}
