namespace Quamba.Kernels.Mamba;

/// <summary>
/// Causal depthwise conv1d on int8 codes, fused: dequantize, bias, SiLU, requantize. For channel c at time t
/// (conv width K, taps k = 0..K-1 over x_{t-K+1+k}):
/// <code>
///   acc = sum_k w[c, k] * x[t-K+1+k, c]          (int32, exact)
///   v   = (float)acc * dequantScale + bias[c]     (dequantScale = input scale * weight scale, one float product)
///   out = clamp(round_half_even(SiLU(v) / outScale), -128, 127)
/// </code>
/// Inputs before t = 0 come from the conv state <c>[batch, K-1, channels]</c> (row j = the input at time j - (K-1)),
/// and the state afterwards holds the last K-1 inputs. Mamba2 runs the conv over the E + 2GN channels [x | B | C] and
/// splits the output: x with its cross-head scales ([G, HG, DG] plus tables, see <see cref="ClusteredQuantization"/>),
/// B and C with one scale per state group; each segment has its own dequantScale (dequantScales[0..2]).
/// </summary>
/// <remarks>
/// Prefill: one thread per channel and run of <see cref="TimeChunk"/> steps (<see cref="PrefillSlot"/>), grid (channel blocks, time chunks, batch):
/// the K-1 previous inputs live in registers, so each input is read once; a warp reads 32 consecutive channels
/// (one 32-byte sector per row). No shared memory, no barriers. Decode: one thread per (channel, sequence), the state
/// updated in place. The input is read with a row stride, so the conv reads x (or xBC) directly from in_proj's output.
/// The A16 kernels (CausalConv1dA16Kernels.cs) have the same structure over fp16 activations and share the slot,
/// segment and tap helpers here.
/// </remarks>
public static partial class CausalConv1dKernels
{
    public const int ThreadsPerBlock = 128;
    public const int TimeChunk = 64;

    /// <summary>Prefill: grid (channels / 128, time chunks, batch).</summary>
    public static LaunchConfig PrefillLaunch(int channels, int length, int batch) =>
        new(new Dim3((channels + ThreadsPerBlock - 1) / ThreadsPerBlock, (length + TimeChunk - 1) / TimeChunk, batch), ThreadsPerBlock);

    /// <summary>Decode: grid (channels / 128, batch).</summary>
    public static LaunchConfig StepLaunch(int channels, int batch) => new(new Dim3((channels + ThreadsPerBlock - 1) / ThreadsPerBlock, batch), ThreadsPerBlock);

    /// <summary>Channels of Mamba2's conv: E + 2 G N.</summary>
    public static int Mamba2Channels<TShape>() where TShape : IMamba2Shape => TShape.InnerDim + 2 * TShape.StateGroups * TShape.StateDim;

    /// <summary>Mamba1 prefill over [batch, length] tokens.</summary>
    /// <param name="input">x codes: token t of sequence b, channel c at (b * length + t) * inputStride + c.</param>
    /// <param name="weight">[E, K] codes.</param>
    /// <param name="bias">[E].</param>
    /// <param name="stateIn">[batch, K-1, E] codes (zeros for a fresh sequence).</param>
    /// <param name="output">[batch, length, E] codes.</param>
    /// <param name="stateOut">[batch, K-1, E]: the last K-1 inputs (a buffer other than stateIn).</param>
    [Kernel]
    [Specialize(typeof(Mamba1Tiny))]
    [Specialize(typeof(Mamba1_2p8B))]
    public static void Mamba1ConvPrefill<TShape>(ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
        float dequantScale, float outScale, ReadOnlyDeviceSpan<sbyte> stateIn, DeviceSpan<sbyte> output, DeviceSpan<sbyte> stateOut, int length)
        where TShape : IMamba1Shape
    {
        var slot = new PrefillSlot(TShape.InnerDim, length, inputStride, TShape.ConvWidth);
        if (slot.Channel >= TShape.InnerDim) return;
        ConvRun(input, inputStride, stateIn, slot, TShape.InnerDim, weight, TShape.ConvWidth, dequantScale, bias[slot.Channel], outScale,
            output, slot.Sequence * length * TShape.InnerDim + slot.Channel, TShape.InnerDim);
        if (slot.End == length) WriteFinalState(input, inputStride, stateIn, slot, TShape.InnerDim, TShape.ConvWidth, stateOut, length);
    }

    /// <summary>Mamba1 decode: one token per sequence; the state [batch, K-1, E] is updated in place.</summary>
    /// <param name="input">x codes of sequence b at b * inputStride + c.</param>
    /// <param name="output">[batch, E] codes.</param>
    [Kernel]
    [Specialize(typeof(Mamba1Tiny))]
    [Specialize(typeof(Mamba1_2p8B))]
    public static void Mamba1ConvStep<TShape>(ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
        float dequantScale, float outScale, DeviceSpan<sbyte> state, DeviceSpan<sbyte> output)
        where TShape : IMamba1Shape
    {
        int c = StepChannel();
        if (c >= TShape.InnerDim) return;
        int b = Gpu.BlockIdxY;
        sbyte code = ConvStep(input[b * inputStride + c], state, StepStateBase(TShape.InnerDim, TShape.ConvWidth, c), TShape.InnerDim, TShape.ConvWidth,
            weight, c, dequantScale, bias[c], outScale);
        output[b * TShape.InnerDim + c] = code;
    }

    /// <summary>Mamba2 prefill over the xBC channels, split into x [batch, length, E], B and C [batch, length, G * N].</summary>
    /// <param name="input">xBC codes: token t of sequence b, channel c at (b * length + t) * inputStride + c.</param>
    /// <param name="weight">[E + 2GN, K] codes.</param>
    /// <param name="bias">[E + 2GN].</param>
    /// <param name="dequantScales">[3]: input scale * weight scale of the x, B and C segments.</param>
    /// <param name="xScales">[G * HeadGroups * DimGroups] output scales of x.</param>
    /// <param name="bScales">[G] output scales of B.</param>
    /// <param name="cScales">[G] output scales of C.</param>
    /// <param name="stateIn">[batch, K-1, E + 2GN].</param>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void Mamba2ConvPrefill<TShape>(ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
        ReadOnlyDeviceSpan<float> dequantScales, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
        ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales, ReadOnlyDeviceSpan<sbyte> stateIn,
        DeviceSpan<sbyte> x, DeviceSpan<sbyte> bOut, DeviceSpan<sbyte> cOut, DeviceSpan<sbyte> stateOut, int length)
        where TShape : IMamba2Shape
    {
        int channels = Mamba2Channels<TShape>();
        var slot = new PrefillSlot(channels, length, inputStride, TShape.ConvWidth);
        if (slot.Channel >= channels) return;
        int segment = Mamba2Segment<TShape>(slot.Channel, out int column, out int width);
        float dequantScale = dequantScales[segment];
        float outScale = Mamba2OutScale<TShape>(segment, column, headGroupOfHead, dimGroupBoundaries, xScales, bScales, cScales);
        float channelBias = bias[slot.Channel];
        int outputBase = slot.Sequence * length * width + column;
        if (segment == 0)
            ConvRun(input, inputStride, stateIn, slot, channels, weight, TShape.ConvWidth, dequantScale, channelBias, outScale, x, outputBase, width);
        else if (segment == 1)
            ConvRun(input, inputStride, stateIn, slot, channels, weight, TShape.ConvWidth, dequantScale, channelBias, outScale, bOut, outputBase, width);
        else
            ConvRun(input, inputStride, stateIn, slot, channels, weight, TShape.ConvWidth, dequantScale, channelBias, outScale, cOut, outputBase, width);
        if (slot.End == length) WriteFinalState(input, inputStride, stateIn, slot, channels, TShape.ConvWidth, stateOut, length);
    }

    /// <summary>Mamba2 decode: one token of xBC per sequence, split into x [batch, E], B and C [batch, G * N]; state in place.</summary>
    [Kernel]
    [Specialize(typeof(Mamba2Tiny))]
    [Specialize(typeof(Mamba2_2p7B))]
    public static void Mamba2ConvStep<TShape>(ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
        ReadOnlyDeviceSpan<float> dequantScales, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
        ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales, DeviceSpan<sbyte> state,
        DeviceSpan<sbyte> x, DeviceSpan<sbyte> bOut, DeviceSpan<sbyte> cOut)
        where TShape : IMamba2Shape
    {
        int channels = Mamba2Channels<TShape>();
        int c = StepChannel();
        if (c >= channels) return;
        int b = Gpu.BlockIdxY;
        int segment = Mamba2Segment<TShape>(c, out int column, out int width);
        float outScale = Mamba2OutScale<TShape>(segment, column, headGroupOfHead, dimGroupBoundaries, xScales, bScales, cScales);
        sbyte code = ConvStep(input[b * inputStride + c], state, StepStateBase(channels, TShape.ConvWidth, c), channels, TShape.ConvWidth, weight, c,
            dequantScales[segment], bias[c], outScale);
        if (segment == 0) x[b * width + column] = code;
        else if (segment == 1) bOut[b * width + column] = code;
        else cOut[b * width + column] = code;
    }

    /// <summary>
    /// What one prefill thread owns: channel <see cref="Channel"/> of sequence <see cref="Sequence"/> over time steps
    /// [<see cref="Start"/>, <see cref="End"/>), and where its input column and state column start.
    /// </summary>
    private readonly struct PrefillSlot
    {
        public readonly int Channel, Sequence, Start, End, InputBase, StateBase;

        public PrefillSlot(int channels, int length, int inputStride, int k)
        {
            Channel = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
            Sequence = Gpu.BlockIdxZ;
            Start = Gpu.BlockIdxY * TimeChunk;
            End = Math.Min(Start + TimeChunk, length);
            InputBase = Sequence * length * inputStride + Channel;
            StateBase = Sequence * (k - 1) * channels + Channel;
        }
    }

    /// <summary>The channel of a decode thread (grid x over channels, y over sequences).</summary>
    private static int StepChannel() => Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;

    /// <summary>Where channel c of the decode thread's sequence starts in the state [batch, K-1, channels].</summary>
    private static int StepStateBase(int channels, int k, int c) => Gpu.BlockIdxY * (k - 1) * channels + c;

    /// <summary>
    /// Which output of Mamba2's split a conv channel of [x | B | C] goes to (0 = x, 1 = B, 2 = C), its column there and
    /// that output's row width (E for x, G N for B and C).
    /// </summary>
    private static int Mamba2Segment<TShape>(int c, out int column, out int width) where TShape : IMamba2Shape
    {
        int groupWidth = TShape.StateGroups * TShape.StateDim;
        if (c < TShape.InnerDim)
        {
            column = c;
            width = TShape.InnerDim;
            return 0;
        }
        width = groupWidth;
        if (c < TShape.InnerDim + groupWidth)
        {
            column = c - TShape.InnerDim;
            return 1;
        }
        column = c - TShape.InnerDim - groupWidth;
        return 2;
    }

    /// <summary>The output scale of a Mamba2 conv channel: x's cross-head group scale, or B's/C's state-group scale.</summary>
    private static float Mamba2OutScale<TShape>(int segment, int column, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries,
        ReadOnlyDeviceSpan<float> xScales, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales) where TShape : IMamba2Shape
    {
        if (segment == 0)
        {
            int head = column / TShape.HeadDim;
            return xScales[ClusteredQuantization.ScaleIndex<TShape>(headGroupOfHead, dimGroupBoundaries, head, column - head * TShape.HeadDim)];
        }
        return segment == 1 ? bScales[column / TShape.StateDim] : cScales[column / TShape.StateDim];
    }

    /// <summary>
    /// Tap slot s (0..3; slot 3 multiplies x_t) of a width-k conv: the index of its weight in the [channels, k] rows, or -1
    /// for the slots a narrower conv lacks (their weight is zero, so every conv runs the same four-tap window).
    /// </summary>
    private static int TapIndex(int c, int k, int slot) => slot >= 4 - k ? c * k + slot - (4 - k) : -1;

    /// <summary>The input at time tau >= -(K-1) of one channel, as stored: from the input rows, or from the state before t = 0.</summary>
    private static T Recent<T>(ReadOnlyDeviceSpan<T> input, int inputStride, ReadOnlyDeviceSpan<T> stateIn, PrefillSlot slot, int channels, int k, int tau)
        where T : unmanaged
    {
        if (tau >= 0) return input[slot.InputBase + tau * inputStride];
        return stateIn[slot.StateBase + (k - 1 + tau) * channels];
    }

    /// <summary>The input at time tau of one channel: <see cref="Recent{T}"/>, and zero beyond the state.</summary>
    private static int InputAt(ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> stateIn, PrefillSlot slot, int channels, int k, int tau) =>
        tau >= -(k - 1) ? Recent(input, inputStride, stateIn, slot, channels, k, tau) : 0;

    private static int Tap(ReadOnlyDeviceSpan<sbyte> weight, int c, int k, int slot)
    {
        int index = TapIndex(c, k, slot);
        return index >= 0 ? weight[index] : 0;
    }

    private static void ConvRun(ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> stateIn, PrefillSlot slot, int channels,
        ReadOnlyDeviceSpan<sbyte> weight, int k, float dequantScale, float bias, float outScale, DeviceSpan<sbyte> output, int outputBase, int outputStride)
    {
        int c = slot.Channel;
        int w0 = Tap(weight, c, k, 0), w1 = Tap(weight, c, k, 1), w2 = Tap(weight, c, k, 2), w3 = Tap(weight, c, k, 3);
        int x3 = InputAt(input, inputStride, stateIn, slot, channels, k, slot.Start - 3);
        int x2 = InputAt(input, inputStride, stateIn, slot, channels, k, slot.Start - 2);
        int x1 = InputAt(input, inputStride, stateIn, slot, channels, k, slot.Start - 1);
        for (int t = slot.Start; t < slot.End; t++)
        {
            int x0 = input[slot.InputBase + t * inputStride];
            int acc = w0 * x3 + w1 * x2 + w2 * x1 + w3 * x0;
            float v = (float)acc * dequantScale + bias;
            output[outputBase + t * outputStride] = KernelMath.Quantize(KernelMath.SiLU(v), outScale);
            x3 = x2;
            x2 = x1;
            x1 = x0;
        }
    }

    /// <summary>The last K-1 inputs (from the state too when the sequence is shorter than K-1) become the new state.</summary>
    private static void WriteFinalState<T>(ReadOnlyDeviceSpan<T> input, int inputStride, ReadOnlyDeviceSpan<T> stateIn, PrefillSlot slot, int channels, int k,
        DeviceSpan<T> stateOut, int length) where T : unmanaged
    {
        for (int j = 0; j < k - 1; j++)
            stateOut[slot.StateBase + j * channels] = Recent(input, inputStride, stateIn, slot, channels, k, length - (k - 1) + j);
    }

    private static sbyte ConvStep(sbyte value, DeviceSpan<sbyte> state, int stateBase, int channels, int k, ReadOnlyDeviceSpan<sbyte> weight, int c,
        float dequantScale, float bias, float outScale)
    {
        int x3 = k >= 4 ? state[stateBase + (k - 4) * channels] : 0;
        int x2 = k >= 3 ? state[stateBase + (k - 3) * channels] : 0;
        int x1 = state[stateBase + (k - 2) * channels];
        int acc = Tap(weight, c, k, 0) * x3 + Tap(weight, c, k, 1) * x2 + Tap(weight, c, k, 2) * x1 + Tap(weight, c, k, 3) * value;
        ShiftState(state, stateBase, channels, k, value);
        float v = (float)acc * dequantScale + bias;
        return KernelMath.Quantize(KernelMath.SiLU(v), outScale);
    }

    /// <summary>Decode: the state's rows move one step back in time and the new input becomes row K-2.</summary>
    private static void ShiftState<T>(DeviceSpan<T> state, int stateBase, int channels, int k, T value) where T : unmanaged
    {
        for (int j = 0; j < k - 2; j++) state[stateBase + j * channels] = state[stateBase + (j + 1) * channels];
        state[stateBase + (k - 2) * channels] = value;
    }
}
