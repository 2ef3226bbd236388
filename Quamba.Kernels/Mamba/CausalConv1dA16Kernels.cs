namespace Quamba.Kernels.Mamba;

/// <summary>
/// The causal conv1d of A16 layers (fp16 activations: fp16, W4A16): fp16 (<see cref="Half"/>) input, state and output,
/// float weights and bias, float math. For channel c at time t:
/// <code>
///   acc = sum_k w[c, k] * x[t-K+1+k, c]      (float, taps in order k = 0..K-1)
///   out = (Half)SiLU(acc + bias[c])          (one rounding, to nearest even)
/// </code>
/// Same launch, layouts and structure as the int8 kernels (the slot, segment and tap helpers are shared): the state
/// <c>[batch, K-1, channels]</c> holds the last K-1 inputs in fp16; Mamba2 splits the E + 2GN channels into x, B and C.
/// </summary>
public static partial class CausalConv1dKernels
{
    /// <summary>Mamba1 A16 prefill over [batch, length] tokens.</summary>
    /// <param name="input">x: token t of sequence b, channel c at (b * length + t) * inputStride + c.</param>
    /// <param name="weight">[E, K].</param>
    /// <param name="bias">[E].</param>
    /// <param name="stateIn">[batch, K-1, E] (zeros for a fresh sequence).</param>
    /// <param name="output">[batch, length, E].</param>
    /// <param name="stateOut">[batch, K-1, E]: the last K-1 inputs (a buffer other than stateIn).</param>
    [Kernel]
    [Specialize(typeof(Mamba1Tiny))]
    [Specialize(typeof(Mamba1_2p8B))]
    public static void Mamba1ConvPrefillA16<TShape>(ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
        ReadOnlyDeviceSpan<Half> stateIn, DeviceSpan<Half> output, DeviceSpan<Half> stateOut, int length)
        where TShape : IMamba1Shape
    {
        var slot = new PrefillSlot(TShape.InnerDim, length, inputStride, TShape.ConvWidth);
        if (slot.Channel >= TShape.InnerDim) return;
        ConvRun(input, inputStride, stateIn, slot, TShape.InnerDim, weight, TShape.ConvWidth, bias[slot.Channel],
            output, slot.Sequence * length * TShape.InnerDim + slot.Channel, TShape.InnerDim);
        if (slot.End == length) WriteFinalState(input, inputStride, stateIn, slot, TShape.InnerDim, TShape.ConvWidth, stateOut, length);
    }

    /// <summary>Mamba1 A16 decode: one token per sequence (x of sequence b at b * inputStride + c); the state is updated in place.</summary>
    /// <param name="output">[batch, E].</param>
    [Kernel]
    [Specialize(typeof(Mamba1Tiny))]
    [Specialize(typeof(Mamba1_2p8B))]
    public static void Mamba1ConvStepA16<TShape>(ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
        DeviceSpan<Half> state, DeviceSpan<Half> output)
        where TShape : IMamba1Shape
    {
        int c = StepChannel();
        if (c >= TShape.InnerDim) return;
        int b = Gpu.BlockIdxY;
        output[b * TShape.InnerDim + c] = ConvStep(input[b * inputStride + c], state, StepStateBase(TShape.InnerDim, TShape.ConvWidth, c), TShape.InnerDim,
            TShape.ConvWidth, weight, c, bias[c]);
    }

    /// <summary>Mamba2 A16 prefill over the xBC channels, split into x [batch, length, E], B and C [batch, length, G * N].</summary>
    /// <param name="input">xBC: token t of sequence b, channel c at (b * length + t) * inputStride + c.</param>
    /// <param name="weight">[E + 2GN, K].</param>
    /// <param name="bias">[E + 2GN].</param>
    /// <param name="stateIn">[batch, K-1, E + 2GN].</param>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void Mamba2ConvPrefillA16<TShape>(ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
        ReadOnlyDeviceSpan<Half> stateIn, DeviceSpan<Half> x, DeviceSpan<Half> bOut, DeviceSpan<Half> cOut, DeviceSpan<Half> stateOut, int length)
        where TShape : IMamba2Shape
    {
        int channels = Mamba2Channels<TShape>();
        var slot = new PrefillSlot(channels, length, inputStride, TShape.ConvWidth);
        if (slot.Channel >= channels) return;
        int segment = Mamba2Segment<TShape>(slot.Channel, out int column, out int width);
        float channelBias = bias[slot.Channel];
        int outputBase = slot.Sequence * length * width + column;
        if (segment == 0)
            ConvRun(input, inputStride, stateIn, slot, channels, weight, TShape.ConvWidth, channelBias, x, outputBase, width);
        else if (segment == 1)
            ConvRun(input, inputStride, stateIn, slot, channels, weight, TShape.ConvWidth, channelBias, bOut, outputBase, width);
        else
            ConvRun(input, inputStride, stateIn, slot, channels, weight, TShape.ConvWidth, channelBias, cOut, outputBase, width);
        if (slot.End == length) WriteFinalState(input, inputStride, stateIn, slot, channels, TShape.ConvWidth, stateOut, length);
    }

    /// <summary>Mamba2 A16 decode: one token of xBC per sequence, split into x [batch, E], B and C [batch, G * N]; state in place.</summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void Mamba2ConvStepA16<TShape>(ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
        DeviceSpan<Half> state, DeviceSpan<Half> x, DeviceSpan<Half> bOut, DeviceSpan<Half> cOut)
        where TShape : IMamba2Shape
    {
        int channels = Mamba2Channels<TShape>();
        int c = StepChannel();
        if (c >= channels) return;
        int b = Gpu.BlockIdxY;
        int segment = Mamba2Segment<TShape>(c, out int column, out int width);
        Half value = ConvStep(input[b * inputStride + c], state, StepStateBase(channels, TShape.ConvWidth, c), channels, TShape.ConvWidth, weight, c, bias[c]);
        if (segment == 0) x[b * width + column] = value;
        else if (segment == 1) bOut[b * width + column] = value;
        else cOut[b * width + column] = value;
    }

    /// <summary>The input at time tau of one channel, widened to float (exact): <see cref="Recent{T}"/>, and zero beyond the state.</summary>
    private static float InputAt(ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<Half> stateIn, PrefillSlot slot, int channels, int k, int tau) =>
        tau >= -(k - 1) ? (float)Recent(input, inputStride, stateIn, slot, channels, k, tau) : 0f;

    private static float Tap(ReadOnlyDeviceSpan<float> weight, int c, int k, int slot)
    {
        int index = TapIndex(c, k, slot);
        return index >= 0 ? weight[index] : 0f;
    }

    private static void ConvRun(ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<Half> stateIn, PrefillSlot slot, int channels,
        ReadOnlyDeviceSpan<float> weight, int k, float bias, DeviceSpan<Half> output, int outputBase, int outputStride)
    {
        int c = slot.Channel;
        float w0 = Tap(weight, c, k, 0), w1 = Tap(weight, c, k, 1), w2 = Tap(weight, c, k, 2), w3 = Tap(weight, c, k, 3);
        float x3 = InputAt(input, inputStride, stateIn, slot, channels, k, slot.Start - 3);
        float x2 = InputAt(input, inputStride, stateIn, slot, channels, k, slot.Start - 2);
        float x1 = InputAt(input, inputStride, stateIn, slot, channels, k, slot.Start - 1);
        for (int t = slot.Start; t < slot.End; t++)
        {
            float x0 = (float)input[slot.InputBase + t * inputStride];
            // Left to right, as the reference sums the taps (a narrower conv's leading zero products add exactly).
            float acc = w0 * x3 + w1 * x2 + w2 * x1 + w3 * x0;
            output[outputBase + t * outputStride] = (Half)KernelMath.SiLU(acc + bias);
            x3 = x2;
            x2 = x1;
            x1 = x0;
        }
    }

    private static Half ConvStep(Half value, DeviceSpan<Half> state, int stateBase, int channels, int k, ReadOnlyDeviceSpan<float> weight, int c, float bias)
    {
        float x3 = k >= 4 ? (float)state[stateBase + (k - 4) * channels] : 0f;
        float x2 = k >= 3 ? (float)state[stateBase + (k - 3) * channels] : 0f;
        float x1 = (float)state[stateBase + (k - 2) * channels];
        float acc = Tap(weight, c, k, 0) * x3 + Tap(weight, c, k, 1) * x2 + Tap(weight, c, k, 2) * x1 + Tap(weight, c, k, 3) * (float)value;
        ShiftState(state, stateBase, channels, k, value);
        return (Half)KernelMath.SiLU(acc + bias);
    }
}
