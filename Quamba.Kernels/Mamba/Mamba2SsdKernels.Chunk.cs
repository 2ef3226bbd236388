namespace Quamba.Kernels.Mamba;

// Device helpers of the chunked SSD prefill shared by the A8 and A16 kernels (inlined into each): the shared-memory
// layout, the state tile's load and store in any state precision, and the whole chunk after staging (ScanChunk: the
// cumulative decays, the M tiles, the output rows, the state update). How the staged B and C rows are read (int8 codes
// or fp16 values) is the type argument TRows (Mamba2SsdKernels.Rows.cs); staging itself stays in each kernel.
public static partial class Mamba2SsdKernels
{
    /// <summary>Padded state row [n][p] in shared memory, in floats.</summary>
    private const int StateRow = Columns + 4;

    /// <summary>
    /// Word offsets (4 bytes) of the prefill's dynamic shared memory for chunks of <see cref="Chunk"/> tokens: B and C
    /// rows ([chunk][bcRowWords] each, codes or fp16 values), x [chunk][32], the state [N][36], a 64-row tile of M
    /// [64][chunk + 1], the cumulative sums S, dt and the decay weights w [chunk].
    /// </summary>
    private struct ChunkLayout
    {
        public int Chunk;
        public int BcRowWords;
        public int C;
        public int X;
        public int H;
        public int M;
        public int MRow;
        public int S;
        public int Dt;
        public int W;
        public int Words;

        public ChunkLayout(int chunk, int bcRowWords, int stateDim)
        {
            Chunk = chunk;
            BcRowWords = bcRowWords;
            C = chunk * bcRowWords;
            X = 2 * C;
            H = X + chunk * Columns;
            M = H + stateDim * StateRow;
            MRow = chunk + 1;
            S = M + TileRows * MRow;
            Dt = S + chunk;
            W = Dt + chunk;
            Words = W + chunk;
        }
    }

    /// <summary>Where a block's state tile starts in [batch, H, P, N]: head, its 32 channels from pBase, sequence b.</summary>
    private static int StateBase<TShape>(int b, int head, int pBase) where TShape : IMamba2Shape =>
        ((b * TShape.Heads + head) * TShape.HeadDim + pBase) * TShape.StateDim;

    /// <summary>The int8 state scale of (head, channel p, state n): x's group of (head, p) times N plus n (0 for other states).</summary>
    private static int StateScaleIndex<TShape, TState>(ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, int head, int p, int n)
        where TShape : IMamba2Shape
        where TState : unmanaged, ISsmState<TState> =>
        TState.IsQuantized ? ClusteredQuantization.ScaleIndex<TShape>(headGroupOfHead, dimGroupBoundaries, head, p) * TShape.StateDim + n : 0;

    /// <summary>Element e of the block's state tile: its index in shared memory ([n][p]) and its int8 scale (0 for other states).</summary>
    private static int StateTileElement<TShape, TState>(ChunkLayout layout, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries,
        int head, int pBase, int e, out int scaleIndex)
        where TShape : IMamba2Shape
        where TState : unmanaged, ISsmState<TState>
    {
        int p = e / TShape.StateDim, n = e - p * TShape.StateDim;
        scaleIndex = StateScaleIndex<TShape, TState>(headGroupOfHead, dimGroupBoundaries, head, pBase + p, n);
        return layout.H + n * StateRow + p;
    }

    /// <summary>Reads the block's 32 x N state tile into shared memory ([n][p], floats).</summary>
    private static void LoadStateTile<TShape, TState>(DeviceSpan<float> floats, ChunkLayout layout, ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales,
        ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, int b, int head, int pBase)
        where TShape : IMamba2Shape
        where TState : unmanaged, ISsmState<TState>
    {
        int stateBase = StateBase<TShape>(b, head, pBase);
        for (int e = Gpu.ThreadIdxX; e < Columns * TShape.StateDim; e += Threads)
        {
            int tile = StateTileElement<TShape, TState>(layout, headGroupOfHead, dimGroupBoundaries, head, pBase, e, out int scale);
            floats[tile] = SsmStateAccess.Load(stateIn[stateBase + e], stateScales, scale);
        }
    }

    /// <summary>Writes the shared state tile to stateOut in its storage precision.</summary>
    private static void StoreStateTile<TShape, TState>(DeviceSpan<float> floats, ChunkLayout layout, DeviceSpan<TState> stateOut, ReadOnlyDeviceSpan<float> stateScales,
        ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, int b, int head, int pBase)
        where TShape : IMamba2Shape
        where TState : unmanaged, ISsmState<TState>
    {
        int stateBase = StateBase<TShape>(b, head, pBase);
        for (int e = Gpu.ThreadIdxX; e < Columns * TShape.StateDim; e += Threads)
        {
            int tile = StateTileElement<TShape, TState>(layout, headGroupOfHead, dimGroupBoundaries, head, pBase, e, out int scale);
            stateOut[stateBase + e] = SsmStateAccess.Store<TState>(floats[tile], stateScales, scale);
        }
    }

    /// <summary>
    /// One chunk after staging (dt, B and C rows, x): its cumulative decays, then per 64-row tile the masked matrix
    /// M[t, s] = (C_t . B_s) bScale cScale exp(S_t - S_s) dt_s (s &lt;= t) and the output rows, then the state update.
    /// <typeparamref name="TRows"/> reads the staged B and C rows (codes with scales bScale, cScale; or fp16 values with 1, 1).
    /// </summary>
    private static void ScanChunk<TShape, TRows>(ChunkLayout layout, DeviceSpan<float> y, int steps, int firstRow, int head, int pBase,
        float aHead, float dHead, float bScale, float cScale)
        where TShape : IMamba2Shape
        where TRows : IChunkRows
    {
        var ints = SharedMemory.Dynamic<int>();
        var int4s = SharedMemory.Dynamic<Int4>();
        var halves = SharedMemory.Dynamic<Half>();
        var floats = SharedMemory.Dynamic<float>();
        var float4s = SharedMemory.Dynamic<Float4>();
        int tid = Gpu.ThreadIdxX;
        int lane = tid & 31;
        int warp = tid >> 5;
        float bcScale = bScale * cScale;
        float total = ChunkDecays(floats, layout, aHead, bScale);

        for (int tr0 = 0; tr0 < steps; tr0 += TileRows)
        {
            // M, rows tr0 .. tr0 + 63, s < sMax.
            int sMax = Math.Min(steps, tr0 + TileRows);
            for (int e = tid; e < TileRows * sMax; e += Threads)
            {
                int tr = e / sMax, s = e - tr * sMax;
                int t = tr0 + tr;
                float m = 0f;
                if (s <= t && t < steps) m = TRows.Dot(int4s, halves, layout.C + t * layout.BcRowWords, s * layout.BcRowWords, TShape.StateDim) * bcScale * MDecay(floats, layout, t, s);
                floats[layout.M + tr * layout.MRow + s] = m;
            }
            Gpu.SyncThreads();
            {
                int pair = tid >> 3, q = tid & 7;
                int ta = tr0 + 2 * pair, tb = ta + 1;
                TileProducts(floats, float4s, layout, pair, q, Math.Min(tb + 1, sMax), out Float4 ya, out Float4 yb);
                // Inter-chunk term: C_t . h_prev[p] over n, four states at a time.
                Float4 ia = default, ib = default;
                int ra = layout.C + Math.Min(ta, layout.Chunk - 1) * layout.BcRowWords, rb = layout.C + Math.Min(tb, layout.Chunk - 1) * layout.BcRowWords;
                for (int k = 0; k < TShape.StateDim / 4; k++)
                {
                    Float4 ca = TRows.Four(ints, halves, ra, k), cb = TRows.Four(ints, halves, rb, k);
                    int h0 = (layout.H >> 2) + 4 * k * (StateRow / 4) + q;
                    AddScaled(ref ia, ref ib, ca.X, cb.X, float4s[h0]);
                    AddScaled(ref ia, ref ib, ca.Y, cb.Y, float4s[h0 + StateRow / 4]);
                    AddScaled(ref ia, ref ib, ca.Z, cb.Z, float4s[h0 + 2 * (StateRow / 4)]);
                    AddScaled(ref ia, ref ib, ca.W, cb.W, float4s[h0 + 3 * (StateRow / 4)]);
                }
                WriteOutputRow<TShape>(y, floats, layout, ta, steps, firstRow, head, pBase, 4 * q, ya, ia, cScale, dHead);
                WriteOutputRow<TShape>(y, floats, layout, tb, steps, firstRow, head, pBase, 4 * q, yb, ib, cScale, dHead);
            }
            Gpu.SyncThreads();
        }

        // State: h[n][p] = exp(S_Q) h[n][p] + sum_s (exp(S_Q - S_s) dt_s bScale x_s[p]) B_s[n]; lane = p, warp = n range.
        float chunkDecay = MathF.Exp(total);
        int perWarp = TShape.StateDim / 8;
        for (int k = warp * perWarp / 4; k < (warp + 1) * perWarp / 4; k++)
        {
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (int s = 0; s < steps; s++)
            {
                float xw = floats[layout.W + s] * floats[layout.X + s * Columns + lane];
                Float4 bv = TRows.Four(ints, halves, s * layout.BcRowWords, k);
                s0 += xw * bv.X;
                s1 += xw * bv.Y;
                s2 += xw * bv.Z;
                s3 += xw * bv.W;
            }
            UpdateStateRows(floats, layout, k, lane, chunkDecay, new Float4(s0, s1, s2, s3));
        }
    }

    /// <summary>ia += ca h, ib += cb h, per channel.</summary>
    private static void AddScaled(ref Float4 ia, ref Float4 ib, float ca, float cb, Float4 h)
    {
        ia.X += ca * h.X; ia.Y += ca * h.Y; ia.Z += ca * h.Z; ia.W += ca * h.W;
        ib.X += cb * h.X; ib.Y += cb * h.Y; ib.Z += cb * h.Z; ib.W += cb * h.W;
    }

    /// <summary>
    /// After dt is staged: S = the inclusive cumulative sum of dt A over the chunk (one thread, in order), then the state
    /// update's weights w_s = exp(S_Q - S_s) dt_s bScale. Returns S_Q. Ends with the weights written (callers sync before use).
    /// </summary>
    private static float ChunkDecays(DeviceSpan<float> floats, ChunkLayout layout, float aHead, float bScale)
    {
        if (Gpu.ThreadIdxX == 0)
        {
            float cumulative = 0f;
            for (int s = 0; s < layout.Chunk; s++)
            {
                cumulative += floats[layout.Dt + s] * aHead;
                floats[layout.S + s] = cumulative;
            }
        }
        Gpu.SyncThreads();
        float total = floats[layout.S + layout.Chunk - 1];
        for (int s = Gpu.ThreadIdxX; s < layout.Chunk; s += Threads)
            floats[layout.W + s] = MathF.Exp(total - floats[layout.S + s]) * floats[layout.Dt + s] * bScale;
        return total;
    }

    /// <summary>The decay factor exp(S_t - S_s) dt_s of M[t, s] (times the C . B product and its scales).</summary>
    private static float MDecay(DeviceSpan<float> floats, ChunkLayout layout, int t, int s) =>
        MathF.Exp(floats[layout.S + t] - floats[layout.S + s]) * floats[layout.Dt + s];

    /// <summary>
    /// The intra-chunk part of two output rows (ta = tr0 + 2 pair and ta + 1) for 4 channels from 4q: sum over s of
    /// M[t, s] x_s, from the M tile (rows tr0 ..) and the staged x.
    /// </summary>
    private static void TileProducts(DeviceSpan<float> floats, DeviceSpan<Float4> float4s, ChunkLayout layout, int pair, int q, int sEnd, out Float4 ya, out Float4 yb)
    {
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, b0 = 0f, b1 = 0f, b2 = 0f, b3 = 0f;
        for (int s = 0; s < sEnd; s++)
        {
            Float4 xv = float4s[(layout.X >> 2) + s * (Columns / 4) + q];
            float ma = floats[layout.M + 2 * pair * layout.MRow + s];
            float mb = floats[layout.M + (2 * pair + 1) * layout.MRow + s];
            a0 += ma * xv.X; a1 += ma * xv.Y; a2 += ma * xv.Z; a3 += ma * xv.W;
            b0 += mb * xv.X; b1 += mb * xv.Y; b2 += mb * xv.Z; b3 += mb * xv.W;
        }
        ya = new Float4(a0, a1, a2, a3);
        yb = new Float4(b0, b1, b2, b3);
    }

    /// <summary>
    /// y of chunk row t for 4 channels from p0: intra + exp(S_t) cScale (C_t . h_prev) + D x_t, where inter is C_t . h_prev
    /// before the scale (cScale 1 for fp16 C). Rows past the chunk's steps are not written.
    /// </summary>
    private static void WriteOutputRow<TShape>(DeviceSpan<float> y, DeviceSpan<float> floats, ChunkLayout layout, int t, int steps, int firstRow, int head, int pBase, int p0,
        Float4 intra, Float4 inter, float cScale, float dHead)
        where TShape : IMamba2Shape
    {
        if (t >= steps) return;
        float decay = MathF.Exp(floats[layout.S + t]) * cScale;
        int o = (firstRow + t) * TShape.InnerDim + head * TShape.HeadDim + pBase + p0;
        int xr = layout.X + t * Columns + p0;
        y[o] = intra.X + decay * inter.X + dHead * floats[xr];
        y[o + 1] = intra.Y + decay * inter.Y + dHead * floats[xr + 1];
        y[o + 2] = intra.Z + decay * inter.Z + dHead * floats[xr + 2];
        y[o + 3] = intra.W + decay * inter.W + dHead * floats[xr + 3];
    }

    /// <summary>h[n][lane] = exp(S_Q) h[n][lane] + sums, for the four states 4k .. 4k + 3.</summary>
    private static void UpdateStateRows(DeviceSpan<float> floats, ChunkLayout layout, int k, int lane, float chunkDecay, Float4 sums)
    {
        int h0 = layout.H + 4 * k * StateRow + lane;
        floats[h0] = chunkDecay * floats[h0] + sums.X;
        floats[h0 + StateRow] = chunkDecay * floats[h0 + StateRow] + sums.Y;
        floats[h0 + 2 * StateRow] = chunkDecay * floats[h0 + 2 * StateRow] + sums.Z;
        floats[h0 + 3 * StateRow] = chunkDecay * floats[h0 + 3 * StateRow] + sums.W;
    }

    /// <summary>The decode step's y of one channel row: the warp's partial sums over n (butterfly), plus D x, written by lane 0.</summary>
    private static void WriteStepOutput(DeviceSpan<float> y, int index, float partial, float dx)
    {
        for (int mask = 16; mask > 0; mask >>= 1) partial += Warp.ShuffleXor(partial, mask);
        if (Gpu.LaneId == 0) y[index] = partial + dx;
    }

    /// <summary>The decode step's update of one state element in place (h = decay h + dtx B_n); returns h as float (before storing).</summary>
    private static float StepStateElement<TState>(DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, int index, int scaleIndex, float decay, float dtx, float bn)
        where TState : unmanaged, ISsmState<TState>
    {
        float h = decay * SsmStateAccess.Load(state[index], stateScales, scaleIndex) + dtx * bn;
        state[index] = SsmStateAccess.Store<TState>(h, stateScales, scaleIndex);
        return h;
    }
}
