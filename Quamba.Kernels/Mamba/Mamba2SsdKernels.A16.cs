namespace Quamba.Kernels.Mamba;

// The A16 (fp16-activation: FP16 and W4A16 layers) SSD: the A8 kernels' chunked form and decode step (the helpers in
// Mamba2SsdKernels.Chunk.cs) with fp16 x, B, C and dt, staged as floats; C . B is a float dot product. y is float
// (the gated norm reads it).
public static partial class Mamba2SsdKernels
{
    /// <summary>A16 prefill launch: grid (H, P / 32, batch), 256 threads, <see cref="PrefillA16SharedBytes{TShape}"/> of dynamic shared memory.</summary>
    public static LaunchConfig PrefillA16Launch<TShape>(int batch) where TShape : IMamba2Shape =>
        new(new Dim3(TShape.Heads, TShape.HeadDim / Columns, batch), Threads, PrefillA16SharedBytes<TShape>());

    /// <summary>Bytes of dynamic shared memory the A16 prefill needs: the A8 layout (71.0 KB for mamba2-2.7b: opt-in above 48 KB, sm_70+).</summary>
    public static int PrefillA16SharedBytes<TShape>() where TShape : IMamba2Shape => PrefillSharedBytes<TShape>();

    /// <param name="x">[batch, length, H * P].</param>
    /// <param name="headGroupOfHead">x's head groups (the int8 state scales' index; read for an int8 state only).</param>
    /// <param name="dimGroupBoundaries">x's dim groups, likewise.</param>
    /// <param name="b">B [batch, length, G * N].</param>
    /// <param name="c">C [batch, length, G * N].</param>
    /// <param name="dt">dt of token (b, t), head h at (b * length + t) * dtStride + h (in_proj's dt segment, before bias and softplus).</param>
    /// <param name="stateIn">[batch, H, P, N].</param>
    /// <param name="stateScales">[G, HG, DG, N] for an int8 state, else unused.</param>
    /// <param name="y">[batch, length, H * P] (un-gated).</param>
    /// <param name="stateOut">[batch, H, P, N] (a buffer other than stateIn).</param>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny), typeof(Fp32State))]
    [Specialize(typeof(Mamba2Tiny), typeof(Fp16State))]
    [Specialize(typeof(Mamba2Tiny), typeof(Int8State))]
    [Specialize(typeof(Mamba2_2p7B), typeof(Fp16State))]
    [Specialize(typeof(Mamba2TestQ256), typeof(Fp16State))]
    public static void Mamba2SsdPrefillA16<TShape, TState>(
        ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<Half> b, ReadOnlyDeviceSpan<Half> c,
        ReadOnlyDeviceSpan<Half> dt, int dtStride, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
        ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length)
        where TShape : IMamba2Shape
        where TState : unmanaged, ISsmState<TState>
    {
        var layout = new ChunkLayout(TShape.StateDim);
        int tid = Gpu.ThreadIdxX;
        int lane = tid & 31;
        int head = Gpu.BlockIdxX;
        int pBase = Gpu.BlockIdxY * Columns;
        int sequence = Gpu.BlockIdxZ;
        int g = head / (TShape.Heads / TShape.StateGroups);
        var floats = SharedMemory.Dynamic<float>();
        float biasHead = dtBias[head];

        TransferStateTile<TShape, TState>(floats, layout, stateIn, stateOut, stateScales, headGroupOfHead, dimGroupBoundaries, sequence, head, pBase, store: false);
        for (int t0 = 0; t0 < length; t0 += PrefillSteps)
        {
            int steps = Math.Min(PrefillSteps, length - t0);
            int firstRow = sequence * length + t0;
            Gpu.SyncThreads();
            if (tid >> 5 == 0)
                ScanDecays(layout, lane < steps ? KernelMath.Softplus((float)dt[(firstRow + lane) * dtStride + head] + biasHead) : 0f, a[head], 1f);
            // B and C of group g (zeros past the end). A warp reads 4 tokens x 8 states: 4 segments of 16 bytes, and its
            // writes down the columns of B transposed (bank 4n + s mod 32) are free of conflicts.
            for (int e = tid; e < PrefillSteps * TShape.StateDim; e += Threads)
            {
                int group = e >> 5;
                int s = ((group & 7) << 2) | (e & 3);
                int n = ((group >> 3) << 3) | ((e >> 2) & 7);
                int source = ((firstRow + s) * TShape.StateGroups + g) * TShape.StateDim + n;
                bool live = s < steps;
                floats[layout.BT + n * StateRow + s] = live ? (float)b[source] : 0f;
                floats[layout.C + s * layout.CRow + n] = live ? (float)c[source] : 0f;
            }
            for (int e = tid; e < PrefillSteps * Columns; e += Threads)
            {
                int s = e >> 5;
                floats[layout.X + e] = s < steps ? (float)x[(firstRow + s) * TShape.InnerDim + head * TShape.HeadDim + pBase + lane] : 0f;
            }
            Gpu.SyncThreads();
            ChunkProducts<TShape>(layout, y, steps, firstRow, head, pBase, d[head], 1f, 1f);
        }
        Gpu.SyncThreads();
        TransferStateTile<TShape, TState>(floats, layout, stateIn, stateOut, stateScales, headGroupOfHead, dimGroupBoundaries, sequence, head, pBase, store: true);
    }

    /// <summary>
    /// One decode step with fp16 activations: x [batch, E], B/C [batch, G * N], dt at b * dtStride + h; the state
    /// [batch, H, P, N] updated in place (int8: scales [G, HG, DG, N] through x's group tables); y [batch, E] (un-gated).
    /// </summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny), typeof(Fp32State))]
    [Specialize(typeof(Mamba2Tiny), typeof(Fp16State))]
    [Specialize(typeof(Mamba2Tiny), typeof(Int8State))]
    [Specialize(typeof(Mamba2_2p7B), typeof(Fp16State))]
    public static void Mamba2SsdStepA16<TShape, TState>(
        ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<Half> b, ReadOnlyDeviceSpan<Half> c,
        ReadOnlyDeviceSpan<Half> dt, int dtStride, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
        DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y)
        where TShape : IMamba2Shape
        where TState : unmanaged, ISsmState<TState>
    {
        int lane = Gpu.ThreadIdxX & 31;
        int warp = Gpu.ThreadIdxX >> 5;
        int head = Gpu.BlockIdxX;
        int sequence = Gpu.BlockIdxY;
        int g = head / (TShape.Heads / TShape.StateGroups);
        float dtv = KernelMath.Softplus((float)dt[sequence * dtStride + head] + dtBias[head]);
        float decay = MathF.Exp(dtv * a[head]);
        int bcBase = (sequence * TShape.StateGroups + g) * TShape.StateDim;
        for (int p = warp; p < TShape.HeadDim; p += Threads / 32)
        {
            int channel = head * TShape.HeadDim + p;
            float xv = (float)x[sequence * TShape.InnerDim + channel];
            int row = ((sequence * TShape.Heads + head) * TShape.HeadDim + p) * TShape.StateDim;
            int scaleRow = StateScaleIndex<TShape, TState>(headGroupOfHead, dimGroupBoundaries, head, p, 0);
            float partial = 0f;
            for (int n = lane; n < TShape.StateDim; n += 32)
            {
                float h = StepStateElement(state, stateScales, row + n, scaleRow + n, decay, dtv * xv, (float)b[bcBase + n]);
                partial += (float)c[bcBase + n] * h;
            }
            WriteStepOutput(y, sequence * TShape.InnerDim + channel, partial, d[head] * xv);
        }
    }
}
