namespace Quamba.Kernels.Mamba;

// The A16 (fp16-activation: FP16 and W4A16 layers) SSD: the A8 kernels' chunked form and decode step (the helpers in
// Mamba2SsdKernels.Chunk.cs) with fp16 x, B, C and dt; C . B is a float dot product. y is float (the gated norm reads it).
public static partial class Mamba2SsdKernels
{
    /// <summary>
    /// Tokens per chunk of the A16 prefill at most: B and C are held as fp16 rows, and 128 tokens of them keep a block of
    /// mamba2-2.7b (N 128) at 139,008 bytes of shared memory (a chunk of 256 would need 259,328, over the 232,448 bytes
    /// an H100 block can have). A shorter chunk changes only how the recurrence is split, not what it computes.
    /// </summary>
    public const int A16Chunk = 128;

    /// <summary>A16 prefill launch: grid (H, P / 32, batch), 256 threads, <see cref="PrefillA16SharedBytes{TShape}"/> of dynamic shared memory.</summary>
    public static LaunchConfig PrefillA16Launch<TShape>(int batch) where TShape : IMamba2Shape =>
        new(new Dim3(TShape.Heads, TShape.HeadDim / Columns, batch), Threads, PrefillA16SharedBytes<TShape>());

    /// <summary>Bytes of dynamic shared memory the A16 prefill needs (139.0 KB for mamba2-2.7b: opt-in above 48 KB, sm_70+).</summary>
    public static int PrefillA16SharedBytes<TShape>() where TShape : IMamba2Shape => 4 * A16Layout<TShape>().Words;

    /// <summary>The A16 layout: chunks of min(Q, 128) tokens, B and C as fp16 rows of N + 8 (padded).</summary>
    private static ChunkLayout A16Layout<TShape>() where TShape : IMamba2Shape =>
        new(Math.Min(TShape.ChunkSize, A16Chunk), TShape.StateDim / 2 + 4, TShape.StateDim);

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
        var layout = A16Layout<TShape>();
        int chunk = layout.Chunk;
        int rowHalves = 2 * layout.BcRowWords;
        var halves = SharedMemory.Dynamic<Half>();
        var floats = SharedMemory.Dynamic<float>();

        int tid = Gpu.ThreadIdxX;
        int lane = tid & 31;
        int head = Gpu.BlockIdxX;
        int pBase = Gpu.BlockIdxY * Columns;
        int sequence = Gpu.BlockIdxZ;
        int g = head / (TShape.Heads / TShape.StateGroups);
        float biasHead = dtBias[head];

        LoadStateTile<TShape, TState>(floats, layout, stateIn, stateScales, headGroupOfHead, dimGroupBoundaries, sequence, head, pBase);
        for (int t0 = 0; t0 < length; t0 += chunk)
        {
            int steps = Math.Min(chunk, length - t0);
            int firstRow = sequence * length + t0;
            Gpu.SyncThreads();
            // Stage dt (softplus), B and C of group g, and x of the block's 32 channels (zeros past the end).
            for (int s = tid; s < chunk; s += Threads)
                floats[layout.Dt + s] = s < steps ? KernelMath.Softplus((float)dt[(firstRow + s) * dtStride + head] + biasHead) : 0f;
            for (int e = tid; e < chunk * TShape.StateDim; e += Threads)
            {
                int s = e / TShape.StateDim, n = e - s * TShape.StateDim;
                int source = ((firstRow + s) * TShape.StateGroups + g) * TShape.StateDim + n;
                halves[s * rowHalves + n] = s < steps ? b[source] : (Half)0f;
                halves[2 * layout.C + s * rowHalves + n] = s < steps ? c[source] : (Half)0f;
            }
            for (int e = tid; e < chunk * Columns; e += Threads)
            {
                int s = e / Columns;
                floats[layout.X + e] = s < steps ? (float)x[(firstRow + s) * TShape.InnerDim + head * TShape.HeadDim + pBase + lane] : 0f;
            }
            Gpu.SyncThreads();
            ScanChunk<TShape, HalfRows>(layout, y, steps, firstRow, head, pBase, a[head], d[head], 1f, 1f);
        }
        Gpu.SyncThreads();
        StoreStateTile<TShape, TState>(floats, layout, stateOut, stateScales, headGroupOfHead, dimGroupBoundaries, sequence, head, pBase);
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
