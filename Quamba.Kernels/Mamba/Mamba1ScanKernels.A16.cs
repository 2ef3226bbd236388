namespace Quamba.Kernels.Mamba;

// The A16 (fp16-activation: FP16 and W4A16 layers) selective scans: the A8 kernels' recurrence, staging and output
// (the helpers in Mamba1ScanKernels.Helpers.cs) with fp16 x, dt, B, C and z read as floats instead of scaled codes.
// y is written as float, which the A16 layer's next kernel (HadamardRotate, then out_proj) reads.
public static partial class Mamba1ScanKernels
{
    /// <summary>Prefill with fp16 activations; operands laid out as in <see cref="Mamba1ScanPrefill{TShape, TState}"/>.</summary>
    /// <param name="x">[batch, length, E].</param>
    /// <param name="dt">[batch, length, E] (dt_proj output, before bias and softplus).</param>
    /// <param name="bc">B at row * bcStride + n, C at row * bcStride + N + n (x_proj's rows).</param>
    /// <param name="z">z at row * zStride + c (in_proj's rows).</param>
    [Kernel]
    [Specialize(typeof(Mamba1Tiny), typeof(Fp32State))]
    [Specialize(typeof(Mamba1Tiny), typeof(Fp16State))]
    [Specialize(typeof(Mamba1Tiny), typeof(Int8State))]
    [Specialize(typeof(Mamba1_2p8B), typeof(Fp16State))]
    public static void Mamba1ScanPrefillA16<TShape, TState>(
        ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<Half> dt, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<Half> bc, int bcStride,
        ReadOnlyDeviceSpan<Half> z, int zStride, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
        ReadOnlyDeviceSpan<TState> stateIn, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y, DeviceSpan<TState> stateOut, int length)
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
                StageChannel<TShape>(staged, i, KernelMath.Softplus((float)dt[e] + dtBias[cc]), (float)x[e], KernelMath.SiLU((float)z[row * zStride + cc]));
            }
            for (int i = lane.Tid; i < steps * TShape.StateDim; i += PrefillThreads)
            {
                int e = StagedState<TShape>(firstRow, i, bcStride);
                StageState<TShape>(staged, i, (float)bc[e], (float)bc[e + TShape.StateDim]);
            }
            h = ScanStagedChunk<TShape>(staged, lane, h, an, d, y, firstRow, steps);
        }
        stateOut[lane.StateIndex] = SsmStateAccess.Store<TState>(h, stateScales, lane.N);
    }

    /// <summary>One decode step with fp16 activations; operands laid out as in <see cref="Mamba1ScanStep{TShape, TState}"/>.</summary>
    [Kernel]
    [Specialize(typeof(Mamba1Tiny), typeof(Fp32State))]
    [Specialize(typeof(Mamba1Tiny), typeof(Fp16State))]
    [Specialize(typeof(Mamba1Tiny), typeof(Int8State))]
    [Specialize(typeof(Mamba1_2p8B), typeof(Fp16State))]
    public static void Mamba1ScanStepA16<TShape, TState>(
        ReadOnlyDeviceSpan<Half> x, ReadOnlyDeviceSpan<Half> dt, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<Half> bc, int bcStride,
        ReadOnlyDeviceSpan<Half> z, int zStride, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
        DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, DeviceSpan<float> y)
        where TShape : IMamba1Shape
        where TState : unmanaged, ISsmState<TState>
    {
        var partial = SharedMemory.Allocate<float>(StepThreads);
        var lane = ScanLane.Of<TShape>(StepThreads);
        int e = lane.Batch * TShape.InnerDim + lane.Channel;
        int bcRow = lane.Batch * bcStride;
        float dtv = KernelMath.Softplus((float)dt[e] + dtBias[lane.Channel]);
        float h = StepState<TShape, TState>(state, stateScales, a, lane, dtv, (float)x[e], (float)bc[bcRow + lane.N]);
        partial[lane.Tid] = (float)bc[bcRow + TShape.StateDim + lane.N] * h;
        Gpu.SyncThreads();
        if (lane.Tid < lane.ChannelsPerBlock)
        {
            int cc = lane.FirstChannel + lane.Tid;
            int o = lane.Batch * TShape.InnerDim + cc;
            y[o] = (SumOverStates<TShape>(partial, lane.Tid * TShape.StateDim) + d[cc] * (float)x[o]) * KernelMath.SiLU((float)z[lane.Batch * zStride + cc]);
        }
    }
}
