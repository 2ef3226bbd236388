namespace Quamba.Kernels.Mamba;

// Device helpers of the SSD decode steps (A8 and A16): the state element update and the warp's output row.
public static partial class Mamba2SsdKernels
{
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
