namespace Quamba.Kernels.Mamba;

// The Walsh-Hadamard butterflies of each 2^k segment: stage h (h = 1, 2, 4, ... in that order) pairs elements
// i and i + h of a segment into (a + b, a - b), exactly the model's operations.
public static partial class HadamardKernels
{
    /// <summary>A store limit meaning "every element is inside the row".</summary>
    private const int WholeRow = int.MaxValue;

    /// <summary>
    /// Stages h &lt; min(2^k, 128). Warp w transforms chunks w, w + warps, ... (<see cref="HadamardLayout.ChunksPerWarp"/>,
    /// at most 8), loading all of them before the first butterfly. The result goes to the shared row, or straight
    /// to the output when it is final (m = 1, 2^k &lt;= 128).
    /// </summary>
    private static void FirstWalshPass<TShape>(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> row, int rowBase, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, float normalisation, float scale) where TShape : IHadamardShape
    {
        int threads = ThreadsFor<TShape>();
        int perWarp = HadamardLayout.ChunksPerWarp(TShape.Width, threads);
        int warps = threads / 32;
        int lane = Gpu.ThreadIdxX & 31, warp = Gpu.ThreadIdxX / 32;
        Float4 c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        c0 = LoadChunk<TShape>(input, rowBase, warp, lane);
        if (perWarp > 1) c1 = LoadChunk<TShape>(input, rowBase, warps + warp, lane);
        if (perWarp > 2) c2 = LoadChunk<TShape>(input, rowBase, 2 * warps + warp, lane);
        if (perWarp > 3) c3 = LoadChunk<TShape>(input, rowBase, 3 * warps + warp, lane);
        if (perWarp > 4) c4 = LoadChunk<TShape>(input, rowBase, 4 * warps + warp, lane);
        if (perWarp > 5) c5 = LoadChunk<TShape>(input, rowBase, 5 * warps + warp, lane);
        if (perWarp > 6) c6 = LoadChunk<TShape>(input, rowBase, 6 * warps + warp, lane);
        if (perWarp > 7) c7 = LoadChunk<TShape>(input, rowBase, 7 * warps + warp, lane);
        FinishChunk<TShape>(ref c0, warp, lane, row, rowBase, codes, floats, quantize, normalisation, scale);
        if (perWarp > 1) FinishChunk<TShape>(ref c1, warps + warp, lane, row, rowBase, codes, floats, quantize, normalisation, scale);
        if (perWarp > 2) FinishChunk<TShape>(ref c2, 2 * warps + warp, lane, row, rowBase, codes, floats, quantize, normalisation, scale);
        if (perWarp > 3) FinishChunk<TShape>(ref c3, 3 * warps + warp, lane, row, rowBase, codes, floats, quantize, normalisation, scale);
        if (perWarp > 4) FinishChunk<TShape>(ref c4, 4 * warps + warp, lane, row, rowBase, codes, floats, quantize, normalisation, scale);
        if (perWarp > 5) FinishChunk<TShape>(ref c5, 5 * warps + warp, lane, row, rowBase, codes, floats, quantize, normalisation, scale);
        if (perWarp > 6) FinishChunk<TShape>(ref c6, 6 * warps + warp, lane, row, rowBase, codes, floats, quantize, normalisation, scale);
        if (perWarp > 7) FinishChunk<TShape>(ref c7, 7 * warps + warp, lane, row, rowBase, codes, floats, quantize, normalisation, scale);
    }

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
    private static void FinishChunk<TShape>(ref Float4 v, int chunk, int lane, DeviceSpan<float> row, int rowBase, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, float normalisation, float scale) where TShape : IHadamardShape
    {
        // Stages h < 32 pair lanes l and l ^ h: the lower keeps a + b, the upper a - b = fma(b, -1, a) (one rounding,
        // the same as the subtraction).
        for (int h = 1; h < 32 && h < TShape.WalshSize; h <<= 1)
        {
            float sign = (lane & h) != 0 ? -1f : 1f;
            v.X = MathF.FusedMultiplyAdd(v.X, sign, Warp.ShuffleXor(v.X, h));
            v.Y = MathF.FusedMultiplyAdd(v.Y, sign, Warp.ShuffleXor(v.Y, h));
            v.Z = MathF.FusedMultiplyAdd(v.Z, sign, Warp.ShuffleXor(v.Z, h));
            v.W = MathF.FusedMultiplyAdd(v.W, sign, Warp.ShuffleXor(v.W, h));
        }
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
        if (TShape.BaseOrder == 1 && TShape.WalshSize <= HadamardLayout.Chunk)
        {
            WriteStrided<TShape>(rowBase + e, 32, v, 4, TShape.Width - e, codes, floats, quantize, normalisation, scale);
            return;
        }
        StoreStrided(row, e, 32, v, 4, TShape.Width - e);
    }

    /// <summary>
    /// Stages h = 128 .. 2^k / 2 (2^k &gt; 128): one thread per (segment, residue r mod 128) holds the 2^k / 128
    /// elements r + 128 i of the segment in registers (i = 4 q + component of quad q); the result goes back to the
    /// shared row, or to the output when m = 1.
    /// </summary>
    private static void SecondWalshPass<TShape>(DeviceSpan<float> row, int rowBase, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, float normalisation, float scale) where TShape : IHadamardShape
    {
        int threads = ThreadsFor<TShape>();
        int count = TShape.WalshSize / HadamardLayout.Chunk;
        int units = HadamardLayout.SecondPassUnits(TShape.BaseOrder, TShape.WalshSize);
        for (int u = Gpu.ThreadIdxX; u < units; u += threads)
        {
            int e = (u / HadamardLayout.Chunk) * TShape.WalshSize + u % HadamardLayout.Chunk;
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
                WriteStrided<TShape>(rowBase + e, Stride, q0, count, WholeRow, codes, floats, quantize, normalisation, scale);
                if (count > 4) WriteStrided<TShape>(rowBase + e + 4 * Stride, Stride, q1, 4, WholeRow, codes, floats, quantize, normalisation, scale);
                if (count > 8)
                {
                    WriteStrided<TShape>(rowBase + e + 8 * Stride, Stride, q2, 4, WholeRow, codes, floats, quantize, normalisation, scale);
                    WriteStrided<TShape>(rowBase + e + 12 * Stride, Stride, q3, 4, WholeRow, codes, floats, quantize, normalisation, scale);
                }
                if (count > 16)
                {
                    WriteStrided<TShape>(rowBase + e + 16 * Stride, Stride, q4, 4, WholeRow, codes, floats, quantize, normalisation, scale);
                    WriteStrided<TShape>(rowBase + e + 20 * Stride, Stride, q5, 4, WholeRow, codes, floats, quantize, normalisation, scale);
                    WriteStrided<TShape>(rowBase + e + 24 * Stride, Stride, q6, 4, WholeRow, codes, floats, quantize, normalisation, scale);
                    WriteStrided<TShape>(rowBase + e + 28 * Stride, Stride, q7, 4, WholeRow, codes, floats, quantize, normalisation, scale);
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
        if (count > 4)
        {
            Butterfly(ref q0, ref q1);
            if (count > 8)
            {
                Butterfly(ref q2, ref q3);
            }
            if (count > 16)
            {
                Butterfly(ref q4, ref q5);
                Butterfly(ref q6, ref q7);
            }
        }
        if (count > 8)
        {
            Butterfly(ref q0, ref q2);
            Butterfly(ref q1, ref q3);
            if (count > 16)
            {
                Butterfly(ref q4, ref q6);
                Butterfly(ref q5, ref q7);
            }
        }
        if (count > 16)
        {
            Butterfly(ref q0, ref q4);
            Butterfly(ref q1, ref q5);
            Butterfly(ref q2, ref q6);
            Butterfly(ref q3, ref q7);
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
    private static void WriteStrided<TShape>(int o, int stride, Float4 v, int count, int limit, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, float normalisation, float scale) where TShape : IHadamardShape
    {
        if (limit > 0) Write(codes, floats, quantize, o, v.X, normalisation, scale);
        if (count > 1 && limit > stride) Write(codes, floats, quantize, o + stride, v.Y, normalisation, scale);
        if (count > 2 && limit > 2 * stride) Write(codes, floats, quantize, o + 2 * stride, v.Z, normalisation, scale);
        if (count > 3 && limit > 3 * stride) Write(codes, floats, quantize, o + 3 * stride, v.W, normalisation, scale);
    }
}
