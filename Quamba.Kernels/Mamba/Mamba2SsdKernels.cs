namespace Quamba.Kernels.Mamba;

/// <summary>
/// Mamba2's SSD on Quamba2's quantized inputs: x codes [batch, L, H * P] with the cross-head scales ([G, HG, DG] and
/// tables), B and C codes [batch, L, G * N] with one scale per state group, dt codes read from in_proj's rows
/// (before dt_bias and softplus, per-tensor scale), A = -exp(A_log) [H], D [H]; fp32 states [batch, H, P, N]. The
/// output y [batch, L, H * P] is un-gated (the gated RMSNorm follows). Per head h (state group g = h / (H / G)):
/// <code>
///   dt_t = softplus(dtCode * dtScale + dtBias[h]);   x_t[p] = xCode * xScale(h, p);   B_t[n] = bCode * bScale[g]
///   h_t[p, n] = exp(dt_t A[h]) h_{t-1}[p, n] + dt_t x_t[p] B_t[n]
///   y_t[p]    = sum_n C_t[n] h_t[p, n] + D[h] x_t[p]
/// </code>
/// Prefill (<see cref="Mamba2SsdPrefill{TShape}"/>) is the chunked form (chunk Q): with S_t the inclusive cumulative
/// sum of dt A inside the chunk,
/// <code>
///   y_t[p] = sum_{s &lt;= t} (C_t . B_s) exp(S_t - S_s) dt_s x_s[p]  +  exp(S_t) C_t . h_prev[p]  +  D x_t[p]
///   h[p, n] = exp(S_Q) h_prev[p, n] + sum_s exp(S_Q - S_s) dt_s x_s[p] B_s[n]
/// </code>
/// where C_t . B_s is an exact int32 dot product of the codes (dp4a) times the two scales. A block owns one head,
/// 32 of its P channels and one sequence (grid H x P/32 x batch, 256 threads) and walks the chunks in order, the
/// state in shared memory. Per chunk: dt/softplus and the codes staged in (dynamic) shared memory, the cumulative
/// sum, then 64-row tiles of the masked matrix M[t, s] (dp4a over N, 16 codes per 128-bit load) and of y (each
/// thread 2 rows x 4 channels in registers), then the state update (each thread 1 channel x 4 states at a time).
/// Decode (<see cref="Mamba2SsdStep{TShape}"/>): the recurrence for one token, a warp per channel row with its lanes
/// over n (coalesced state rows), the state updated in place.
/// </summary>
public static partial class Mamba2SsdKernels
{
    public const int Threads = 256;
    public const int TileRows = 64;
    private const int Columns = 32;

    /// <summary>Prefill launch: grid (H, P / 32, batch), 256 threads, <see cref="PrefillSharedBytes{TShape}"/> of dynamic shared memory.</summary>
    public static LaunchConfig PrefillLaunch<TShape>(int batch) where TShape : IMamba2Shape =>
        new(new Dim3(TShape.Heads, TShape.HeadDim / Columns, batch), Threads, PrefillSharedBytes<TShape>());

    /// <summary>Bytes of dynamic shared memory the prefill needs (193.8 KB for mamba2-2.7b: opt-in above 48 KB, sm_70+).</summary>
    public static int PrefillSharedBytes<TShape>() where TShape : IMamba2Shape
    {
        int q = TShape.ChunkSize, n = TShape.StateDim;
        int words = 2 * q * (n / 4 + 4) + q * Columns + n * (Columns + 4) + TileRows * (q + 1) + 3 * q;
        return 4 * words;
    }

    public static LaunchConfig StepLaunch<TShape>(int batch) where TShape : IMamba2Shape => new(new Dim3(TShape.Heads, batch), Threads);

    /// <param name="x">[batch, length, H * P] codes.</param>
    /// <param name="bCodes">B codes [batch, length, G * N] viewed as Int4 (16 codes each).</param>
    /// <param name="cCodes">C codes, likewise.</param>
    /// <param name="dt">dt codes of token (b, t), head h at (b * length + t) * dtStride + h (in_proj's dt segment).</param>
    /// <param name="stateIn">[batch, H, P, N].</param>
    /// <param name="y">[batch, length, H * P].</param>
    /// <param name="stateOut">[batch, H, P, N] (a buffer other than stateIn).</param>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    [Specialize(typeof(Mamba2TestQ256))]
    public static void Mamba2SsdPrefill<TShape>(
        ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
        ReadOnlyDeviceSpan<Int4> bCodes, ReadOnlyDeviceSpan<Int4> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
        ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
        ReadOnlyDeviceSpan<float> stateIn, DeviceSpan<float> y, DeviceSpan<float> stateOut, int length)
        where TShape : IMamba2Shape
    {

        int chunk = TShape.ChunkSize;
        int stateDim = TShape.StateDim;
        int rowInt4 = TShape.StateDim / 16 + 1;          // padded row of codes, in Int4
        int rowInts = 4 * rowInt4;                         // the same row in ints
        int hRow = Columns + 4;                            // padded state row [n][p], in floats
        int mRow = TShape.ChunkSize + 1;                   // padded row of M

        var int4s = SharedMemory.Dynamic<Int4>();
        var ints = SharedMemory.Dynamic<int>();
        var floats = SharedMemory.Dynamic<float>();
        var float4s = SharedMemory.Dynamic<Float4>();
        int bWords = TShape.ChunkSize * rowInts;
        int cOff = bWords;                                 // words
        int xOff = 2 * bWords;
        int hOff = xOff + TShape.ChunkSize * Columns;
        int mOff = hOff + TShape.StateDim * hRow;
        int sOff = mOff + TileRows * mRow;
        int dtOff = sOff + TShape.ChunkSize;
        int wOff = dtOff + TShape.ChunkSize;

        int tid = Gpu.ThreadIdxX;
        int lane = tid & 31;
        int warp = tid >> 5;
        int head = Gpu.BlockIdxX;
        int pBase = Gpu.BlockIdxY * Columns;
        int b = Gpu.BlockIdxZ;
        int g = head / (TShape.Heads / TShape.StateGroups);
        float xScale = xScales[ClusteredQuantization.ScaleIndex<TShape>(headGroupOfHead, dimGroupBoundaries, head, pBase + lane)];
        float bScale = bScales[g], cScale = cScales[g];
        float bcScale = bScale * cScale;
        float aHead = a[head], dHead = d[head], biasHead = dtBias[head];
        int stateBase = ((b * TShape.Heads + head) * TShape.HeadDim + pBase) * TShape.StateDim;

        for (int e = tid; e < Columns * TShape.StateDim; e += Threads)
        {
            int p = e / TShape.StateDim, n = e - p * TShape.StateDim;
            floats[hOff + n * hRow + p] = stateIn[stateBase + e];
        }

        for (int t0 = 0; t0 < length; t0 += chunk)
        {
            int steps = Math.Min(chunk, length - t0);
            Gpu.SyncThreads();
            // Stage dt (softplus), the B and C codes of group g, and x of the block's 32 channels (zeros past the end).
            for (int s = tid; s < TShape.ChunkSize; s += Threads)
                floats[dtOff + s] = s < steps ? KernelMath.Softplus(dt[(b * length + t0 + s) * dtStride + head] * dtScale + biasHead) : 0f;
            for (int e = tid; e < TShape.ChunkSize * (TShape.StateDim / 16); e += Threads)
            {
                int s = e / (TShape.StateDim / 16), k = e - s * (TShape.StateDim / 16);
                Int4 bv = default, cv = default;
                if (s < steps)
                {
                    int source = ((b * length + t0 + s) * TShape.StateGroups + g) * (TShape.StateDim / 16) + k;
                    bv = bCodes[source];
                    cv = cCodes[source];
                }
                int4s[s * rowInt4 + k] = bv;
                int4s[cOff / 4 + s * rowInt4 + k] = cv;
            }
            for (int e = tid; e < TShape.ChunkSize * Columns; e += Threads)
            {
                int s = e / Columns;
                floats[xOff + e] = s < steps ? x[(b * length + t0 + s) * TShape.InnerDim + head * TShape.HeadDim + pBase + lane] * xScale : 0f;
            }
            Gpu.SyncThreads();
            if (tid == 0)
            {
                float cumulative = 0f;
                for (int s = 0; s < TShape.ChunkSize; s++)
                {
                    cumulative += floats[dtOff + s] * aHead;
                    floats[sOff + s] = cumulative;
                }
            }
            Gpu.SyncThreads();
            float total = floats[sOff + TShape.ChunkSize - 1];
            for (int s = tid; s < TShape.ChunkSize; s += Threads)
                floats[wOff + s] = MathF.Exp(total - floats[sOff + s]) * floats[dtOff + s] * bScale;

            for (int tr0 = 0; tr0 < steps; tr0 += TileRows)
            {
                // M[t, s] = (C_t . B_s) bScale cScale exp(S_t - S_s) dt_s for s <= t, else 0; rows tr0 .. tr0 + 63, s < sMax.
                int sMax = Math.Min(steps, tr0 + TileRows);
                for (int e = tid; e < TileRows * sMax; e += Threads)
                {
                    int tr = e / sMax, s = e - tr * sMax;
                    int t = tr0 + tr;
                    float m = 0f;
                    if (s <= t && t < steps)
                    {
                        int dot = 0;
                        for (int k = 0; k < TShape.StateDim / 16; k++)
                        {
                            Int4 cv = int4s[cOff / 4 + t * rowInt4 + k];
                            Int4 bv = int4s[s * rowInt4 + k];
                            dot = DeviceMath.Dp4a(cv.X, bv.X, dot);
                            dot = DeviceMath.Dp4a(cv.Y, bv.Y, dot);
                            dot = DeviceMath.Dp4a(cv.Z, bv.Z, dot);
                            dot = DeviceMath.Dp4a(cv.W, bv.W, dot);
                        }
                        m = dot * bcScale * MathF.Exp(floats[sOff + t] - floats[sOff + s]) * floats[dtOff + s];
                    }
                    floats[mOff + tr * mRow + s] = m;
                }
                Gpu.SyncThreads();
                {
                    int pair = tid >> 3, q = tid & 7;
                    int ta = tr0 + 2 * pair, tb = ta + 1;
                    float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, b0 = 0f, b1 = 0f, b2 = 0f, b3 = 0f;
                    int sEnd = Math.Min(tb + 1, sMax);
                    for (int s = 0; s < sEnd; s++)
                    {
                        Float4 xv = float4s[(xOff >> 2) + s * (Columns / 4) + q];
                        float ma = floats[mOff + 2 * pair * mRow + s];
                        float mb = floats[mOff + (2 * pair + 1) * mRow + s];
                        a0 += ma * xv.X; a1 += ma * xv.Y; a2 += ma * xv.Z; a3 += ma * xv.W;
                        b0 += mb * xv.X; b1 += mb * xv.Y; b2 += mb * xv.Z; b3 += mb * xv.W;
                    }
                    // Inter-chunk term: C_t . h_prev[p] over n, four states per packed word.
                    float ia0 = 0f, ia1 = 0f, ia2 = 0f, ia3 = 0f, ib0 = 0f, ib1 = 0f, ib2 = 0f, ib3 = 0f;
                    int ra = Math.Min(ta, TShape.ChunkSize - 1), rb = Math.Min(tb, TShape.ChunkSize - 1);
                    for (int k = 0; k < TShape.StateDim / 4; k++)
                    {
                        int wa = ints[cOff + ra * rowInts + k];
                        int wb = ints[cOff + rb * rowInts + k];
                        for (int j = 0; j < 4; j++)
                        {
                            Float4 hv = float4s[(hOff >> 2) + (4 * k + j) * (hRow / 4) + q];
                            float ca = KernelMath.Byte(wa, j), cb = KernelMath.Byte(wb, j);
                            ia0 += ca * hv.X; ia1 += ca * hv.Y; ia2 += ca * hv.Z; ia3 += ca * hv.W;
                            ib0 += cb * hv.X; ib1 += cb * hv.Y; ib2 += cb * hv.Z; ib3 += cb * hv.W;
                        }
                    }
                    int p0 = 4 * q;
                    if (ta < steps)
                    {
                        float decay = MathF.Exp(floats[sOff + ta]) * cScale;
                        int o = (b * length + t0 + ta) * TShape.InnerDim + head * TShape.HeadDim + pBase + p0;
                        int xr = xOff + ta * Columns + p0;
                        y[o] = a0 + decay * ia0 + dHead * floats[xr];
                        y[o + 1] = a1 + decay * ia1 + dHead * floats[xr + 1];
                        y[o + 2] = a2 + decay * ia2 + dHead * floats[xr + 2];
                        y[o + 3] = a3 + decay * ia3 + dHead * floats[xr + 3];
                    }
                    if (tb < steps)
                    {
                        float decay = MathF.Exp(floats[sOff + tb]) * cScale;
                        int o = (b * length + t0 + tb) * TShape.InnerDim + head * TShape.HeadDim + pBase + p0;
                        int xr = xOff + tb * Columns + p0;
                        y[o] = b0 + decay * ib0 + dHead * floats[xr];
                        y[o + 1] = b1 + decay * ib1 + dHead * floats[xr + 1];
                        y[o + 2] = b2 + decay * ib2 + dHead * floats[xr + 2];
                        y[o + 3] = b3 + decay * ib3 + dHead * floats[xr + 3];
                    }
                }
                Gpu.SyncThreads();
            }

            // State: h[n][p] = exp(S_Q) h[n][p] + sum_s (exp(S_Q - S_s) dt_s bScale x_s[p]) bCode_s[n]; lane = p, warp = n range.
            {
                float chunkDecay = MathF.Exp(total);
                int perWarp = TShape.StateDim / 8;
                for (int k = warp * perWarp / 4; k < (warp + 1) * perWarp / 4; k++)
                {
                    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                    for (int s = 0; s < steps; s++)
                    {
                        float xw = floats[wOff + s] * floats[xOff + s * Columns + lane];
                        int word = ints[s * rowInts + k];
                        s0 += xw * KernelMath.Byte(word, 0);
                        s1 += xw * KernelMath.Byte(word, 1);
                        s2 += xw * KernelMath.Byte(word, 2);
                        s3 += xw * KernelMath.Byte(word, 3);
                    }
                    int h0 = hOff + 4 * k * hRow + lane;
                    floats[h0] = chunkDecay * floats[h0] + s0;
                    floats[h0 + hRow] = chunkDecay * floats[h0 + hRow] + s1;
                    floats[h0 + 2 * hRow] = chunkDecay * floats[h0 + 2 * hRow] + s2;
                    floats[h0 + 3 * hRow] = chunkDecay * floats[h0 + 3 * hRow] + s3;
                }
            }
        }
        Gpu.SyncThreads();
        for (int e = tid; e < Columns * TShape.StateDim; e += Threads)
        {
            int p = e / TShape.StateDim, n = e - p * TShape.StateDim;
            stateOut[stateBase + e] = floats[hOff + n * hRow + p];
        }
    }

    /// <summary>
    /// One decode step: x [batch, E] codes, B/C [batch, G * N] codes, dt at b * dtStride + h; the state [batch, H, P, N]
    /// updated in place; y [batch, E] (un-gated).
    /// </summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void Mamba2SsdStep<TShape>(
        ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
        ReadOnlyDeviceSpan<sbyte> bCodes, ReadOnlyDeviceSpan<sbyte> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
        ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
        DeviceSpan<float> state, DeviceSpan<float> y)
        where TShape : IMamba2Shape
    {
        int lane = Gpu.ThreadIdxX & 31;
        int warp = Gpu.ThreadIdxX >> 5;
        int head = Gpu.BlockIdxX;
        int b = Gpu.BlockIdxY;
        int g = head / (TShape.Heads / TShape.StateGroups);
        float dtv = KernelMath.Softplus(dt[b * dtStride + head] * dtScale + dtBias[head]);
        float decay = MathF.Exp(dtv * a[head]);
        float bScale = bScales[g], cScale = cScales[g];
        int bcBase = (b * TShape.StateGroups + g) * TShape.StateDim;
        for (int p = warp; p < TShape.HeadDim; p += Threads / 32)
        {
            int channel = head * TShape.HeadDim + p;
            float xv = x[b * TShape.InnerDim + channel] * xScales[ClusteredQuantization.ScaleIndex<TShape>(headGroupOfHead, dimGroupBoundaries, head, p)];
            int row = ((b * TShape.Heads + head) * TShape.HeadDim + p) * TShape.StateDim;
            float partial = 0f;
            for (int n = lane; n < TShape.StateDim; n += 32)
            {
                float h = decay * state[row + n] + dtv * xv * (bCodes[bcBase + n] * bScale);
                state[row + n] = h;
                partial += cCodes[bcBase + n] * cScale * h;
            }
            for (int mask = 16; mask > 0; mask >>= 1) partial += Warp.ShuffleXor(partial, mask);
            if (lane == 0) y[b * TShape.InnerDim + channel] = partial + d[head] * xv;
        }
    }
}
