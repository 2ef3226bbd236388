namespace Quamba.Kernels.Mamba;

/// <summary>
/// Mamba1's selective scan. A8 (Quamba W8A8/W4A8: int8 x, dt, B, C and z with per-tensor scales) and A16
/// (<see cref="Mamba1ScanPrefillA16{TShape, TState}"/>, <see cref="Mamba1ScanStepA16{TShape, TState}"/>: fp16 x, dt,
/// B, C, z) kernels, each generic over the state storage <typeparamref name="TState"/> (<see cref="Fp32State"/>,
/// <see cref="Fp16State"/>, <see cref="Int8State"/> with per state index scales [N]); float A = -exp(A_log) [E, N],
/// D [E], dt bias [E]. Per channel c, state n, token t:
/// <code>
///   dt   = softplus(dt_t[c] + dtBias[c])                  (dt_t: dtCode * dtScale, or the fp16 value)
///   h[n] = exp(dt * A[c, n]) * h[n] + (dt * x) * B[n]     (x = xCode * xScale, B[n] = bCode[n] * bScale, or fp16)
///   y    = (sum_{n = 0..N-1, in order} C[n] * h[n]) + D[c] * x
///   out  = y * SiLU(z)                                     (the gate, fused; out is float)
/// </code>
/// Prefill: a block of 128 threads owns 128 / N channels, one thread per (channel, state), h in a register; the
/// sequence is walked in chunks of <see cref="TimeChunk"/> tokens whose dt (softplus done once per token and channel),
/// x, gate, B and C are staged in shared memory by all threads; the per-state products C[n] h[n] of the chunk go to
/// shared memory and are summed per (token, channel) after the chunk, so the scan loop has no reductions and no
/// barriers. The state is read from stateIn and written to stateOut in <typeparamref name="TState"/> once each.
/// Decode: one token, a thread per (channel, state), the state updated in place.
/// </summary>
/// <remarks>
/// Operands are read where the layers leave them: x [batch, L, E] from the conv; dt [batch, L, E] from dt_proj
/// (before bias and softplus); B and C from x_proj's output rows ([dt_low | B | C], pass the slice at R and the row
/// width as bcStride); z from in_proj's rows ([x | z], pass the slice at E and 2E as zStride). stateScales [N] are
/// read only for <see cref="Int8State"/> (pass an empty span otherwise).
/// </remarks>
public static partial class Mamba1ScanKernels
{
    public const int PrefillThreads = 128;
    public const int StepThreads = 256;
    public const int TimeChunk = 32;

    public static LaunchConfig PrefillLaunch<TShape>(int batch) where TShape : IMamba1Shape =>
        new(new Dim3(TShape.InnerDim / (PrefillThreads / TShape.StateDim), batch), PrefillThreads);

    public static LaunchConfig StepLaunch<TShape>(int batch) where TShape : IMamba1Shape =>
        new(new Dim3(TShape.InnerDim / (StepThreads / TShape.StateDim), batch), StepThreads);

    /// <param name="x">[batch, length, E] codes.</param>
    /// <param name="dt">[batch, length, E] codes (dt_proj output, before bias and softplus).</param>
    /// <param name="dtBias">[E].</param>
    /// <param name="bc">B at row * bcStride + n, C at row * bcStride + N + n (row = b * length + t).</param>
    /// <param name="z">z at row * zStride + c.</param>
    /// <param name="a">[E, N]: A = -exp(A_log).</param>
    /// <param name="d">[E].</param>
    /// <param name="stateIn">[batch, E, N] (zeros for a fresh sequence).</param>
    /// <param name="stateScales">[N] for an int8 state, else unused.</param>
    /// <param name="y">[batch, length, E]: the gated output.</param>
    /// <param name="stateOut">[batch, E, N]: the state after the last token (a buffer other than stateIn).</param>
    [Kernel]
    [Specialize(typeof(Mamba1Tiny), typeof(Fp32State))]
    [Specialize(typeof(Mamba1Tiny), typeof(Fp16State))]
    [Specialize(typeof(Mamba1Tiny), typeof(Int8State))]
    [Specialize(typeof(Mamba1_2p8B), typeof(Fp32State))]
    [Specialize(typeof(Mamba1_2p8B), typeof(Int8State))]
    public static void Mamba1ScanPrefill<TShape, TState>(
        ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
        ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
        ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales,
        DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length)
        where TShape : IMamba1Shape
        where TState : unmanaged, ISsmState<TState>
    {
        var staged = SharedMemory.Allocate<float>(3 * TimeChunk * (PrefillThreads / TShape.StateDim) + 2 * TimeChunk * TShape.StateDim + TimeChunk * (PrefillThreads + 1));
        var lane = ScanLane.Of<TShape>(PrefillThreads);
        float h = SsmStateAccess.Load(stateIn[lane.StateIndex], stateScales, lane.N);
        float an = a[lane.Channel * TShape.StateDim + lane.N];
        for (int t0 = 0; t0 < length; t0 += TimeChunk)
        {
            int steps = Math.Min(TimeChunk, length - t0);
            int firstRow = lane.Batch * length + t0;
            Gpu.SyncThreads(); // the previous chunk's output phase is done with the staging arrays
            for (int i = lane.Tid; i < steps * lane.ChannelsPerBlock; i += PrefillThreads)
            {
                StagedChannel(lane, firstRow, i, out int row, out int cc);
                int e = row * TShape.InnerDim + cc;
                StageChannel<TShape>(staged, i, KernelMath.Softplus(dt[e] * dtScale + dtBias[cc]), x[e] * xScale, KernelMath.SiLU(z[row * zStride + cc] * zScale));
            }
            for (int i = lane.Tid; i < steps * TShape.StateDim; i += PrefillThreads)
            {
                int e = StagedState<TShape>(firstRow, i, bcStride);
                StageState<TShape>(staged, i, bc[e] * bScale, bc[e + TShape.StateDim] * cScale);
            }
            h = ScanStagedChunk<TShape>(staged, lane, h, an, d, y, firstRow, steps);
        }
        stateOut[lane.StateIndex] = SsmStateAccess.Store<TState>(h, stateScales, lane.N);
    }

    /// <summary>One decode step; x, dt at b * E + c, B/C at b * bcStride, z at b * zStride + c; state [batch, E, N] in place; y [batch, E].</summary>
    [Kernel]
    [Specialize(typeof(Mamba1Tiny), typeof(Fp32State))]
    [Specialize(typeof(Mamba1Tiny), typeof(Fp16State))]
    [Specialize(typeof(Mamba1Tiny), typeof(Int8State))]
    [Specialize(typeof(Mamba1_2p8B), typeof(Fp32State))]
    [Specialize(typeof(Mamba1_2p8B), typeof(Int8State))]
    public static void Mamba1ScanStep<TShape, TState>(
        ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
        ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
        ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y)
        where TShape : IMamba1Shape
        where TState : unmanaged, ISsmState<TState>
    {
        var partial = SharedMemory.Allocate<float>(StepThreads);
        var lane = ScanLane.Of<TShape>(StepThreads);
        int e = lane.Batch * TShape.InnerDim + lane.Channel;
        int bcRow = lane.Batch * bcStride;
        float dtv = KernelMath.Softplus(dt[e] * dtScale + dtBias[lane.Channel]);
        float h = StepState<TShape, TState>(state, stateScales, a, lane, dtv, x[e] * xScale, bc[bcRow + lane.N] * bScale);
        partial[lane.Tid] = bc[bcRow + TShape.StateDim + lane.N] * cScale * h;
        Gpu.SyncThreads();
        if (lane.Tid < lane.ChannelsPerBlock)
        {
            int cc = lane.FirstChannel + lane.Tid;
            int o = lane.Batch * TShape.InnerDim + cc;
            y[o] = (SumOverStates<TShape>(partial, lane.Tid * TShape.StateDim) + d[cc] * (x[o] * xScale)) * KernelMath.SiLU(z[lane.Batch * zStride + cc] * zScale);
        }
    }
}
