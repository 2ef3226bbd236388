namespace Quamba.Kernels.Mamba;

// One step of 32 tokens of the SSD prefill after staging, shared by the A8 and A16 kernels (inlined into each): the
// cumulative decays (a warp scan), then three phases between barriers. Phase 1: x weighted for the state update; every
// thread the inter-step term C_t . h and the dot products C_t . B_s of its tile over half of the states. Phase 2:
// warps 0-3 complete the inter-step term (registers), warps 4-7 complete M and store it masked and decayed. Phase 3:
// warps 0-3 the intra-step term M x and the output rows; every thread its tiles of the state update. The state is read
// (phase 1) before it is updated (phase 3), so one copy of it suffices.
public static partial class Mamba2SsdKernels
{
    /// <summary>
    /// Warp 0, lane s = token s of the step: S_s = the inclusive cumulative sum of dt A (a warp scan), dt_s, and the
    /// state update's weight w_s = exp(S_31 - S_s) dt_s bScale, written to shared memory (dt 0 past the sequence's end).
    /// </summary>
    private static void ScanDecays(ChunkLayout layout, float dtv, float aHead, float bScale)
    {
        var floats = SharedMemory.Dynamic<float>();
        int lane = Gpu.ThreadIdxX & 31;
        float cumulative = dtv * aHead;
        for (int d = 1; d < PrefillSteps; d <<= 1)
        {
            float below = Warp.ShuffleUp(cumulative, d);
            if (lane >= d) cumulative += below;
        }
        float total = Warp.Shuffle(cumulative, PrefillSteps - 1);
        floats[layout.S + lane] = cumulative;
        floats[layout.Dt + lane] = dtv;
        floats[layout.W + lane] = MathF.Exp(total - cumulative) * dtv * bScale;
    }

    /// <summary>
    /// The step after staging (C, B transposed, x as floats and the scan's S, dt, w in shared memory; callers sync
    /// before): y of its <paramref name="steps"/> tokens and the state updated in shared memory. bScale and cScale
    /// scale the staged B and C values (1 for fp16 values).
    /// </summary>
    private static void ChunkProducts<TShape>(ChunkLayout layout, DeviceSpan<float> y, int steps, int firstRow, int head, int pBase, float dHead, float bScale, float cScale)
        where TShape : IMamba2Shape
    {
        var floats = SharedMemory.Dynamic<float>();
        int tid = Gpu.ThreadIdxX;
        int warp = tid >> 5;
        int rowQuad = RowQuad(tid & 127);
        int column = ColumnPair(tid);
        for (int e = tid; e < PrefillSteps * Columns; e += Threads)
            floats[layout.XW + e] = floats[layout.W + (e >> 5)] * floats[layout.X + e];
        // C times the state (the inter-step term) and times B transposed (M's dot products), sharing C's loads: warps
        // 0-3 over the states n < N/2, warps 4-7 over the rest. The halves swap partial sums: warps 0-3 complete (and
        // keep) the inter-step term, warps 4-7 complete M, each reading the other half's partial of its own tile.
        int half = warp >> 2, n0 = half * (TShape.StateDim / 2);
        int mTile = layout.M + 4 * rowQuad * StateRow + column, interTile = layout.P + 4 * rowQuad * Columns + column;
        var inter = default(Tile4x2);
        var dots = default(Tile4x2);
        MultiplyTilePair(layout.C + 4 * rowQuad * layout.CRow + n0, layout.CRow, layout.H + n0 * StateRow + column, layout.BT + n0 * StateRow + column,
            StateRow, TShape.StateDim / 8, ref inter, ref dots);
        if (half == 0) StoreTile(mTile, StateRow, dots);
        else StoreTile(interTile, Columns, inter);
        Gpu.SyncThreads();
        if (half == 0)
        {
            AddStoredTile(interTile, Columns, ref inter);
        }
        else
        {
            AddStoredTile(mTile, StateRow, ref dots);
            StoreDecayedM(layout, 4 * rowQuad, column, dots, bScale * cScale);
        }
        Gpu.SyncThreads();
        if (warp < 4)
        {
            var intra = default(Tile4x2);
            MultiplyTile(layout.M + 4 * rowQuad * StateRow, StateRow, layout.X + column, Columns, rowQuad + 1, ref intra);
            int t = 4 * rowQuad, channel = head * TShape.HeadDim + pBase + column;
            WriteOutputRow<TShape>(y, layout, t, steps, firstRow, channel, column, intra.R0C0, intra.R0C1, inter.R0C0, inter.R0C1, cScale, dHead);
            WriteOutputRow<TShape>(y, layout, t + 1, steps, firstRow, channel, column, intra.R1C0, intra.R1C1, inter.R1C0, inter.R1C1, cScale, dHead);
            WriteOutputRow<TShape>(y, layout, t + 2, steps, firstRow, channel, column, intra.R2C0, intra.R2C1, inter.R2C0, inter.R2C1, cScale, dHead);
            WriteOutputRow<TShape>(y, layout, t + 3, steps, firstRow, channel, column, intra.R3C0, intra.R3C1, inter.R3C0, inter.R3C1, cScale, dHead);
        }
        UpdateState<TShape>(layout);
    }

    /// <summary>
    /// Rows t0 .. t0 + 3, columns s = column, column + 1 of M[t, s] = (C_t . B_s) bScale cScale exp(S_t - S_s) dt_s
    /// for s &lt;= t, else 0, from the dot products <paramref name="dots"/>.
    /// </summary>
    private static void StoreDecayedM(ChunkLayout layout, int t0, int column, Tile4x2 dots, float bcScale)
    {
        var floats = SharedMemory.Dynamic<float>();
        float s0 = floats[layout.S + column], s1 = floats[layout.S + column + 1];
        float w0 = floats[layout.Dt + column] * bcScale, w1 = floats[layout.Dt + column + 1] * bcScale;
        StoreDecayedMRow(layout, t0, column, dots.R0C0, dots.R0C1, s0, s1, w0, w1);
        StoreDecayedMRow(layout, t0 + 1, column, dots.R1C0, dots.R1C1, s0, s1, w0, w1);
        StoreDecayedMRow(layout, t0 + 2, column, dots.R2C0, dots.R2C1, s0, s1, w0, w1);
        StoreDecayedMRow(layout, t0 + 3, column, dots.R3C0, dots.R3C1, s0, s1, w0, w1);
    }

    /// <summary>M[t, column] and M[t, column + 1]: the dots times w_s exp(S_t - S_s), zero above the diagonal.</summary>
    private static void StoreDecayedMRow(ChunkLayout layout, int t, int column, float dot0, float dot1, float s0, float s1, float w0, float w1)
    {
        var floats = SharedMemory.Dynamic<float>();
        var float2s = SharedMemory.Dynamic<Float2>();
        float st = floats[layout.S + t];
        float m0 = column <= t ? dot0 * w0 * MathF.Exp(st - s0) : 0f;
        float m1 = column + 1 <= t ? dot1 * w1 * MathF.Exp(st - s1) : 0f;
        float2s[(layout.M + t * StateRow + column) >> 1] = new Float2(m0, m1);
    }

    /// <summary>
    /// y of step row t for channels column, column + 1 (<paramref name="channel"/> is the first one's index in a token's
    /// row): intra + exp(S_t) cScale (C_t . h_prev) + D x_t. Rows past the sequence's end are not written.
    /// </summary>
    private static void WriteOutputRow<TShape>(DeviceSpan<float> y, ChunkLayout layout, int t, int steps, int firstRow, int channel, int column,
        float intra0, float intra1, float inter0, float inter1, float cScale, float dHead)
        where TShape : IMamba2Shape
    {
        if (t >= steps) return;
        var floats = SharedMemory.Dynamic<float>();
        float decay = MathF.Exp(floats[layout.S + t]) * cScale;
        int xr = layout.X + t * Columns + column;
        int o = (firstRow + t) * TShape.InnerDim + channel;
        y[o] = intra0 + decay * inter0 + dHead * floats[xr];
        y[o + 1] = intra1 + decay * inter1 + dHead * floats[xr + 1];
    }

    /// <summary>h[n][p] = exp(S_31) h[n][p] + sum_s B_s[n] w_s x_s[p]: 4 x 2 tiles (states x channels), each thread one or more.</summary>
    private static void UpdateState<TShape>(ChunkLayout layout) where TShape : IMamba2Shape
    {
        var floats = SharedMemory.Dynamic<float>();
        float chunkDecay = MathF.Exp(floats[layout.S + PrefillSteps - 1]);
        for (int tile = Gpu.ThreadIdxX; tile < TShape.StateDim / 4 * (Columns / 2); tile += Threads)
        {
            int rows = 4 * RowQuad(tile) * StateRow, column = ColumnPair(tile);
            var sums = default(Tile4x2);
            MultiplyTile(layout.BT + rows, StateRow, layout.XW + column, Columns, PrefillSteps / 4, ref sums);
            int h = layout.H + rows + column;
            DecayStateRow(h, chunkDecay, sums.R0C0, sums.R0C1);
            DecayStateRow(h + StateRow, chunkDecay, sums.R1C0, sums.R1C1);
            DecayStateRow(h + 2 * StateRow, chunkDecay, sums.R2C0, sums.R2C1);
            DecayStateRow(h + 3 * StateRow, chunkDecay, sums.R3C0, sums.R3C1);
        }
    }

    /// <summary>Two adjacent state elements at word <paramref name="word"/>: h = decay h + add.</summary>
    private static void DecayStateRow(int word, float decay, float add0, float add1)
    {
        var float2s = SharedMemory.Dynamic<Float2>();
        Float2 h = float2s[word >> 1];
        float2s[word >> 1] = new Float2(MathF.FusedMultiplyAdd(decay, h.X, add0), MathF.FusedMultiplyAdd(decay, h.Y, add1));
    }
}
