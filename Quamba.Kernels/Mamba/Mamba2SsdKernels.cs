namespace Quamba.Kernels.Mamba;

/// <summary>
/// Mamba2's SSD. A8 kernels on Quamba2's quantized inputs: x codes [batch, L, H * P] with the cross-head scales
/// ([G, HG, DG] and tables), B and C codes [batch, L, G * N] with one scale per state group, dt codes read from
/// in_proj's rows (before dt_bias and softplus, per-tensor scale); A16 kernels
/// (<see cref="Mamba2SsdPrefillA16{TShape, TState}"/>, <see cref="Mamba2SsdStepA16{TShape, TState}"/>) on fp16 x, B, C
/// and dt. A = -exp(A_log) [H], D [H]. Every kernel is generic over the state storage <typeparamref name="TState"/>
/// (<see cref="Fp32State"/>, <see cref="Fp16State"/>, <see cref="Int8State"/> with scales [G, HG, DG, N]: x's group
/// of (h, p) times N plus n) of the states [batch, H, P, N]. The output y [batch, L, H * P] is float and un-gated
/// (the gated RMSNorm follows). Per head h (state group g = h / (H / G)):
/// <code>
///   dt_t = softplus(dt + dtBias[h]);   x_t[p], B_t[n], C_t[n] dequantized codes or fp16 values
///   h_t[p, n] = exp(dt_t A[h]) h_{t-1}[p, n] + dt_t x_t[p] B_t[n]
///   y_t[p]    = sum_n C_t[n] h_t[p, n] + D[h] x_t[p]
/// </code>
/// Prefill is the chunked form over steps of <see cref="PrefillSteps"/> tokens (the result does not depend on the
/// model's chunk size Q): with S_t the inclusive cumulative sum of dt A inside the step,
/// <code>
///   y_t[p] = sum_{s &lt;= t} (C_t . B_s) exp(S_t - S_s) dt_s x_s[p]  +  exp(S_t) C_t . h_prev[p]  +  D x_t[p]
///   h[p, n] = exp(S_31) h_prev[p, n] + sum_s exp(S_31 - S_s) dt_s x_s[p] B_s[n]
/// </code>
/// where C_t . B_s is a dot product of the codes (exact: codes are staged as floats and the sums stay below 2^24) times
/// the two scales (A8), or of the fp16 values (A16). A block owns one head, 32 of its P channels and one sequence (grid
/// H x P/32 x batch, 256 threads) and walks the steps in order, the state in shared memory as floats (read from
/// stateIn and written to stateOut in <typeparamref name="TState"/> once each). Per step: dt/softplus and its warp
/// scan, C and B (transposed) and x staged as floats (71.0 KB of dynamic shared memory at N 128: three blocks fit an
/// H100 SM), then every product as 4 x 2 register tiles per thread (Mamba2SsdKernels.Tiles.cs; phases in
/// Mamba2SsdKernels.Chunk.cs). Decode: the recurrence for one token, a warp per channel row with its lanes over n
/// (coalesced state rows), the state updated in place. stateScales and the group tables are read for an int8 state
/// only (A16).
/// </summary>
public static partial class Mamba2SsdKernels
{
    public const int Threads = 256;

    /// <summary>Tokens per step of the prefill's chunked form: one per lane, so the cumulative sums are a warp scan.</summary>
    public const int PrefillSteps = 32;

    private const int Columns = 32;

    /// <summary>Prefill launch: grid (H, P / 32, batch), 256 threads, <see cref="PrefillSharedBytes{TShape}"/> of dynamic shared memory.</summary>
    public static LaunchConfig PrefillLaunch<TShape>(int batch) where TShape : IMamba2Shape =>
        new(new Dim3(TShape.Heads, TShape.HeadDim / Columns, batch), Threads, PrefillSharedBytes<TShape>());

    /// <summary>Bytes of dynamic shared memory the A8 prefill needs (71.0 KB for mamba2-2.7b: opt-in above 48 KB, sm_70+).</summary>
    public static int PrefillSharedBytes<TShape>() where TShape : IMamba2Shape => 4 * new ChunkLayout(TShape.StateDim).Words;

    public static LaunchConfig StepLaunch<TShape>(int batch) where TShape : IMamba2Shape => new(new Dim3(TShape.Heads, batch), Threads);

    /// <param name="x">[batch, length, H * P] codes.</param>
    /// <param name="bCodes">B codes [batch, length, G * N] viewed as Int4 (16 codes each).</param>
    /// <param name="cCodes">C codes, likewise.</param>
    /// <param name="dt">dt codes of token (b, t), head h at (b * length + t) * dtStride + h (in_proj's dt segment).</param>
    /// <param name="stateIn">[batch, H, P, N].</param>
    /// <param name="stateScales">[G, HG, DG, N] for an int8 state, else unused.</param>
    /// <param name="y">[batch, length, H * P].</param>
    /// <param name="stateOut">[batch, H, P, N] (a buffer other than stateIn).</param>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny), typeof(Fp32State))]
    [Specialize(typeof(Mamba2Tiny), typeof(Fp16State))]
    [Specialize(typeof(Mamba2Tiny), typeof(Int8State))]
    [Specialize(typeof(Mamba2_2p7B), typeof(Fp32State))]
    [Specialize(typeof(Mamba2_2p7B), typeof(Int8State))]
    [Specialize(typeof(Mamba2TestQ256), typeof(Fp32State))]
    public static void Mamba2SsdPrefill<TShape, TState>(
        ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
        ReadOnlyDeviceSpan<Int4> bCodes, ReadOnlyDeviceSpan<Int4> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
        ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
        ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length)
        where TShape : IMamba2Shape
        where TState : unmanaged, ISsmState<TState>
    {
        var layout = new ChunkLayout(TShape.StateDim);
        int tid = Gpu.ThreadIdxX;
        int lane = tid & 31;
        int head = Gpu.BlockIdxX;
        int pBase = Gpu.BlockIdxY * Columns;
        int b = Gpu.BlockIdxZ;
        int g = head / (TShape.Heads / TShape.StateGroups);
        var floats = SharedMemory.Dynamic<float>();
        float xScale = xScales[ClusteredQuantization.ScaleIndex<TShape>(headGroupOfHead, dimGroupBoundaries, head, pBase + lane)];
        float bScale = bScales[g], cScale = cScales[g];
        float biasHead = dtBias[head];

        TransferStateTile<TShape, TState>(floats, layout, stateIn, stateOut, stateScales, headGroupOfHead, dimGroupBoundaries, b, head, pBase, store: false);
        for (int t0 = 0; t0 < length; t0 += PrefillSteps)
        {
            int steps = Math.Min(PrefillSteps, length - t0);
            int firstRow = b * length + t0;
            Gpu.SyncThreads();
            if (tid >> 5 == 0)
                ScanDecays(layout, lane < steps ? KernelMath.Softplus(dt[(firstRow + lane) * dtStride + head] * dtScale + biasHead) : 0f, a[head], bScale);
            // B and C of group g, 16 codes per load, token s = e mod 32 (zeros past the end); x of the block's 32 channels.
            for (int e = tid; e < PrefillSteps * (TShape.StateDim / 16); e += Threads)
            {
                int s = e & (PrefillSteps - 1), k = e >> 5;
                Int4 bv = default, cv = default;
                if (s < steps)
                {
                    int source = ((firstRow + s) * TShape.StateGroups + g) * (TShape.StateDim / 16) + k;
                    bv = bCodes[source];
                    cv = cCodes[source];
                }
                StageCodes(layout, s, 16 * k, cv, bv);
            }
            for (int e = tid; e < PrefillSteps * Columns; e += Threads)
            {
                int s = e >> 5;
                floats[layout.X + e] = s < steps ? x[(firstRow + s) * TShape.InnerDim + head * TShape.HeadDim + pBase + lane] * xScale : 0f;
            }
            Gpu.SyncThreads();
            ChunkProducts<TShape>(layout, y, steps, firstRow, head, pBase, d[head], bScale, cScale);
        }
        Gpu.SyncThreads();
        TransferStateTile<TShape, TState>(floats, layout, stateIn, stateOut, stateScales, headGroupOfHead, dimGroupBoundaries, b, head, pBase, store: true);
    }

    /// <summary>Stages 16 codes (states n0 .. n0 + 15) of token s as floats: C's row s and column s of B transposed.</summary>
    private static void StageCodes(ChunkLayout layout, int s, int n0, Int4 c, Int4 b)
    {
        var floats = SharedMemory.Dynamic<float>();
        var float4s = SharedMemory.Dynamic<Float4>();
        for (int j = 0; j < 4; j++)
        {
            int cw = Word(c, j), bw = Word(b, j);
            int n = n0 + 4 * j;
            float4s[(layout.C + s * layout.CRow + n) >> 2] = new Float4(KernelMath.Byte(cw, 0), KernelMath.Byte(cw, 1), KernelMath.Byte(cw, 2), KernelMath.Byte(cw, 3));
            int column = layout.BT + n * StateRow + s;
            floats[column] = KernelMath.Byte(bw, 0);
            floats[column + StateRow] = KernelMath.Byte(bw, 1);
            floats[column + 2 * StateRow] = KernelMath.Byte(bw, 2);
            floats[column + 3 * StateRow] = KernelMath.Byte(bw, 3);
        }
    }

    /// <summary>Word j (0..3) of 16 packed codes.</summary>
    private static int Word(Int4 codes, int j) => j switch { 0 => codes.X, 1 => codes.Y, 2 => codes.Z, _ => codes.W };

    /// <summary>
    /// One decode step: x [batch, E] codes, B/C [batch, G * N] codes, dt at b * dtStride + h; the state [batch, H, P, N]
    /// updated in place (int8: scales [G, HG, DG, N]); y [batch, E] (un-gated).
    /// </summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny), typeof(Fp32State))]
    [Specialize(typeof(Mamba2Tiny), typeof(Fp16State))]
    [Specialize(typeof(Mamba2Tiny), typeof(Int8State))]
    [Specialize(typeof(Mamba2_2p7B), typeof(Fp32State))]
    [Specialize(typeof(Mamba2_2p7B), typeof(Int8State))]
    public static void Mamba2SsdStep<TShape, TState>(
        ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
        ReadOnlyDeviceSpan<sbyte> bCodes, ReadOnlyDeviceSpan<sbyte> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
        ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
        DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y)
        where TShape : IMamba2Shape
        where TState : unmanaged, ISsmState<TState>
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
            int group = ClusteredQuantization.ScaleIndex<TShape>(headGroupOfHead, dimGroupBoundaries, head, p);
            float xv = x[b * TShape.InnerDim + channel] * xScales[group];
            int row = ((b * TShape.Heads + head) * TShape.HeadDim + p) * TShape.StateDim;
            float partial = 0f;
            for (int n = lane; n < TShape.StateDim; n += 32)
            {
                float h = StepStateElement(state, stateScales, row + n, group * TShape.StateDim + n, decay, dtv * xv, bCodes[bcBase + n] * bScale);
                partial += cCodes[bcBase + n] * cScale * h;
            }
            WriteStepOutput(y, b * TShape.InnerDim + channel, partial, d[head] * xv);
        }
    }
}
