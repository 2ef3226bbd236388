namespace Quamba.Kernels.Mamba;

// Device helpers shared by the A8 and A16 selective scans (inlined into each kernel): which (channel, state) a thread
// owns, the prefill's staging layout, the recurrence over a staged chunk, the sums over n, and the step's state update.
public static partial class Mamba1ScanKernels
{
    /// <summary>
    /// The (channel, state n) a thread owns: a block of <c>threads</c> covers threads / N channels from
    /// <see cref="FirstChannel"/>, blockIdx.y is the sequence; <see cref="StateIndex"/> is its element of [batch, E, N].
    /// </summary>
    private struct ScanLane
    {
        public int Tid;
        public int Batch;
        public int ChannelsPerBlock;
        public int FirstChannel;
        public int Local;
        public int N;
        public int Channel;
        public int StateIndex;

        public ScanLane(int threads, int innerDim, int stateDim)
        {
            Tid = Gpu.ThreadIdxX;
            Batch = Gpu.BlockIdxY;
            ChannelsPerBlock = threads / stateDim;
            FirstChannel = Gpu.BlockIdxX * ChannelsPerBlock;
            Local = Tid / stateDim;
            N = Tid - Local * stateDim;
            Channel = FirstChannel + Local;
            StateIndex = (Batch * innerDim + Channel) * stateDim + N;
        }

        public static ScanLane Of<TShape>(int threads) where TShape : IMamba1Shape => new(threads, TShape.InnerDim, TShape.StateDim);
    }

    // The prefill's shared array, in floats: dt (after softplus), x and the gate [TimeChunk, channels per block]; B and C
    // [TimeChunk, N]; the products C[n] h[n] [TimeChunk, PrefillThreads + 1] (padded rows).
    private static int ChannelSlots<TShape>() where TShape : IMamba1Shape => TimeChunk * (PrefillThreads / TShape.StateDim);

    private static int BOffset<TShape>() where TShape : IMamba1Shape => 3 * ChannelSlots<TShape>();

    private static int COffset<TShape>() where TShape : IMamba1Shape => BOffset<TShape>() + TimeChunk * TShape.StateDim;

    private static int ProductOffset<TShape>() where TShape : IMamba1Shape => COffset<TShape>() + TimeChunk * TShape.StateDim;

    private const int ProductRow = PrefillThreads + 1;

    /// <summary>Staging slot <paramref name="i"/> of the (token, channel) slots: its input row (b * length + t) and channel.</summary>
    private static void StagedChannel(ScanLane lane, int firstRow, int i, out int row, out int channel)
    {
        int tt = i / lane.ChannelsPerBlock;
        row = firstRow + tt;
        channel = lane.FirstChannel + (i - tt * lane.ChannelsPerBlock);
    }

    /// <summary>Staging slot <paramref name="i"/> of the (token, n) slots: the index of its B in x_proj's rows (C follows N later).</summary>
    private static int StagedState<TShape>(int firstRow, int i, int bcStride) where TShape : IMamba1Shape
    {
        int tt = i / TShape.StateDim;
        return (firstRow + tt) * bcStride + (i - tt * TShape.StateDim);
    }

    private static void StageChannel<TShape>(DeviceSpan<float> staged, int i, float dt, float x, float gate) where TShape : IMamba1Shape
    {
        staged[i] = dt;
        staged[ChannelSlots<TShape>() + i] = x;
        staged[2 * ChannelSlots<TShape>() + i] = gate;
    }

    private static void StageState<TShape>(DeviceSpan<float> staged, int i, float b, float c) where TShape : IMamba1Shape
    {
        staged[BOffset<TShape>() + i] = b;
        staged[COffset<TShape>() + i] = c;
    }

    /// <summary>
    /// A staged chunk (the caller has staged it; the barrier is here): the recurrence for the thread's (channel, n), each
    /// token's C[n] h[n] to the products, then y of every (token, channel). Returns the thread's h after the chunk.
    /// </summary>
    private static float ScanStagedChunk<TShape>(DeviceSpan<float> staged, ScanLane lane, float h, float an, ReadOnlyDeviceSpan<float> d, DeviceSpan<float> y,
        int firstRow, int steps) where TShape : IMamba1Shape
    {
        Gpu.SyncThreads();
        int slots = ChannelSlots<TShape>();
        for (int tt = 0; tt < steps; tt++)
        {
            int slot = tt * lane.ChannelsPerBlock + lane.Local;
            float dtv = staged[slot];
            float xv = staged[slots + slot];
            h = MathF.Exp(dtv * an) * h + dtv * xv * staged[BOffset<TShape>() + tt * TShape.StateDim + lane.N];
            staged[ProductOffset<TShape>() + tt * ProductRow + lane.Tid] = staged[COffset<TShape>() + tt * TShape.StateDim + lane.N] * h;
        }
        Gpu.SyncThreads();
        WriteStagedOutputs<TShape>(staged, lane, d, y, firstRow, steps);
        return h;
    }

    /// <summary>y of every staged (token, channel): (sum over n of the products + D x) * gate.</summary>
    private static void WriteStagedOutputs<TShape>(DeviceSpan<float> staged, ScanLane lane, ReadOnlyDeviceSpan<float> d, DeviceSpan<float> y, int firstRow, int steps)
        where TShape : IMamba1Shape
    {
        int slots = ChannelSlots<TShape>();
        for (int i = lane.Tid; i < steps * lane.ChannelsPerBlock; i += PrefillThreads)
        {
            int tt = i / lane.ChannelsPerBlock;
            int cl = i - tt * lane.ChannelsPerBlock;
            float sum = SumOverStates<TShape>(staged, ProductOffset<TShape>() + tt * ProductRow + cl * TShape.StateDim);
            y[(firstRow + tt) * TShape.InnerDim + lane.FirstChannel + cl] = (sum + d[lane.FirstChannel + cl] * staged[slots + i]) * staged[2 * slots + i];
        }
    }

    /// <summary>The sum of N consecutive products from <paramref name="start"/>, n in order (the reference's order).</summary>
    private static float SumOverStates<TShape>(DeviceSpan<float> products, int start) where TShape : IMamba1Shape
    {
        float sum = 0f;
        for (int k = 0; k < TShape.StateDim; k++) sum += products[start + k];
        return sum;
    }

    /// <summary>One token's update of the thread's state element, in place: h = exp(dt A) h + dt x B[n]; returns h (float, before storing).</summary>
    private static float StepState<TShape, TState>(DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales, ReadOnlyDeviceSpan<float> a, ScanLane lane,
        float dtv, float xv, float bn)
        where TShape : IMamba1Shape
        where TState : unmanaged, ISsmState<TState>
    {
        float h = MathF.Exp(dtv * a[lane.Channel * TShape.StateDim + lane.N]) * SsmStateAccess.Load(state[lane.StateIndex], stateScales, lane.N) + dtv * xv * bn;
        state[lane.StateIndex] = SsmStateAccess.Store<TState>(h, stateScales, lane.N);
        return h;
    }
}
