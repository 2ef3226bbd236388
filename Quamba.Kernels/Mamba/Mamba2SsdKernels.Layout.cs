namespace Quamba.Kernels.Mamba;

// The SSD prefill's dynamic shared memory (the same for the A8 and A16 kernels: both stage B, C and x as floats) and
// the block's state tile: its load from stateIn and store to stateOut in any state precision.
public static partial class Mamba2SsdKernels
{
    /// <summary>
    /// Row stride, in floats, of the [.][32] matrices that are the left operand of a tile product (B transposed, M) and
    /// of the state: 36 = 4 mod 32, so the rows 4 apart that the two halves of a warp read lie in different banks.
    /// </summary>
    private const int StateRow = Columns + 4;

    /// <summary>
    /// Word offsets (4 bytes) of the prefill's dynamic shared memory for steps of <see cref="PrefillSteps"/> tokens:
    /// C [32][N + 4] (row t: C_t), B transposed [N][36] (row n: B_s[n] over s), the state [N][36] (row n: h[., n] over the
    /// block's 32 channels), M [32][36], x [32][32] (row s: the 32 channels), x weighted by the state update's w_s
    /// [32][32], the partial inter-step terms of the upper states [32][32], the cumulative sums S, dt and w [32]. All 16-byte aligned. A8 codes are held as floats (exact), so
    /// C_t . B_s stays an exact integer (at most 256 * 127 * 128 &lt; 2^24) and A8 and A16 share every step after staging.
    /// </summary>
    private struct ChunkLayout
    {
        public int CRow;
        public int C;
        public int BT;
        public int H;
        public int M;
        public int X;
        public int XW;
        public int P;
        public int S;
        public int Dt;
        public int W;
        public int Words;

        public ChunkLayout(int stateDim)
        {
            CRow = stateDim + 4;
            C = 0;
            BT = PrefillSteps * CRow;
            H = BT + stateDim * StateRow;
            M = H + stateDim * StateRow;
            X = M + PrefillSteps * StateRow;
            XW = X + PrefillSteps * Columns;
            P = XW + PrefillSteps * Columns;
            S = P + PrefillSteps * Columns;
            Dt = S + PrefillSteps;
            W = Dt + PrefillSteps;
            Words = W + PrefillSteps;
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

    /// <summary>
    /// Moves the block's 32 x N state tile between [batch, H, P, N] and shared memory ([n][p], floats): from stateIn
    /// at the start of the prefill, or (<paramref name="store"/>) to stateOut in its storage precision at the end.
    /// </summary>
    private static void TransferStateTile<TShape, TState>(DeviceSpan<float> floats, ChunkLayout layout, ReadOnlyDeviceSpan<TState> stateIn, DeviceSpan<TState> stateOut,
        ReadOnlyDeviceSpan<float> stateScales, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, int b, int head, int pBase, bool store)
        where TShape : IMamba2Shape
        where TState : unmanaged, ISsmState<TState>
    {
        int stateBase = StateBase<TShape>(b, head, pBase);
        for (int e = Gpu.ThreadIdxX; e < Columns * TShape.StateDim; e += Threads)
        {
            int tile = StateTileElement<TShape, TState>(layout, headGroupOfHead, dimGroupBoundaries, head, pBase, e, out int scale);
            if (store) stateOut[stateBase + e] = SsmStateAccess.Store<TState>(floats[tile], stateScales, scale);
            else floats[tile] = SsmStateAccess.Load(stateIn[stateBase + e], stateScales, scale);
        }
    }
}
