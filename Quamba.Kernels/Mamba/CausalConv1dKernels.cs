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
/// Prefill: one thread per channel and run of <see cref="TimeChunk"/> steps, grid (channel blocks, time chunks, batch):
/// the K-1 previous inputs live in registers, so each input is read once; a warp reads 32 consecutive channels
/// (one 32-byte sector per row). No shared memory, no barriers. Decode: one thread per (channel, sequence), the state
/// updated in place. The input is read with a row stride, so the conv reads x (or xBC) directly from in_proj's output.
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
        int c = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (c >= TShape.InnerDim) return;
        int b = Gpu.BlockIdxZ;
        int t0 = Gpu.BlockIdxY * TimeChunk;
        int t1 = Math.Min(t0 + TimeChunk, length);
        int inputBase = b * length * inputStride + c;
        int stateBase = b * (TShape.ConvWidth - 1) * TShape.InnerDim + c;
        ConvRun(input, inputStride, inputBase, stateIn, stateBase, TShape.InnerDim, weight, c, TShape.ConvWidth, dequantScale, bias[c], outScale,
            output, b * length * TShape.InnerDim + c, TShape.InnerDim, t0, t1);
        if (t1 == length)
            WriteFinalState(input, inputStride, inputBase, stateIn, stateBase, TShape.InnerDim, TShape.ConvWidth, stateOut, length);
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
        int c = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (c >= TShape.InnerDim) return;
        int b = Gpu.BlockIdxY;
        sbyte code = ConvStep(input[b * inputStride + c], state, b * (TShape.ConvWidth - 1) * TShape.InnerDim + c, TShape.InnerDim, TShape.ConvWidth,
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
        int channels = TShape.InnerDim + 2 * TShape.StateGroups * TShape.StateDim;
        int c = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (c >= channels) return;
        int b = Gpu.BlockIdxZ;
        int t0 = Gpu.BlockIdxY * TimeChunk;
        int t1 = Math.Min(t0 + TimeChunk, length);
        int inputBase = b * length * inputStride + c;
        int stateBase = b * (TShape.ConvWidth - 1) * channels + c;
        int groupWidth = TShape.StateGroups * TShape.StateDim;
        if (c < TShape.InnerDim)
        {
            int head = c / TShape.HeadDim;
            float outScale = xScales[ClusteredQuantization.ScaleIndex<TShape>(headGroupOfHead, dimGroupBoundaries, head, c - head * TShape.HeadDim)];
            ConvRun(input, inputStride, inputBase, stateIn, stateBase, channels, weight, c, TShape.ConvWidth, dequantScales[0], bias[c], outScale,
                x, b * length * TShape.InnerDim + c, TShape.InnerDim, t0, t1);
        }
        else if (c < TShape.InnerDim + groupWidth)
        {
            int j = c - TShape.InnerDim;
            ConvRun(input, inputStride, inputBase, stateIn, stateBase, channels, weight, c, TShape.ConvWidth, dequantScales[1], bias[c], bScales[j / TShape.StateDim],
                bOut, b * length * groupWidth + j, groupWidth, t0, t1);
        }
        else
        {
            int j = c - TShape.InnerDim - groupWidth;
            ConvRun(input, inputStride, inputBase, stateIn, stateBase, channels, weight, c, TShape.ConvWidth, dequantScales[2], bias[c], cScales[j / TShape.StateDim],
                cOut, b * length * groupWidth + j, groupWidth, t0, t1);
        }
        if (t1 == length)
            WriteFinalState(input, inputStride, inputBase, stateIn, stateBase, channels, TShape.ConvWidth, stateOut, length);
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
        int channels = TShape.InnerDim + 2 * TShape.StateGroups * TShape.StateDim;
        int c = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (c >= channels) return;
        int b = Gpu.BlockIdxY;
        int groupWidth = TShape.StateGroups * TShape.StateDim;
        int stateBase = b * (TShape.ConvWidth - 1) * channels + c;
        sbyte value = input[b * inputStride + c];
        if (c < TShape.InnerDim)
        {
            int head = c / TShape.HeadDim;
            float outScale = xScales[ClusteredQuantization.ScaleIndex<TShape>(headGroupOfHead, dimGroupBoundaries, head, c - head * TShape.HeadDim)];
            x[b * TShape.InnerDim + c] = ConvStep(value, state, stateBase, channels, TShape.ConvWidth, weight, c, dequantScales[0], bias[c], outScale);
        }
        else if (c < TShape.InnerDim + groupWidth)
        {
            int j = c - TShape.InnerDim;
            bOut[b * groupWidth + j] = ConvStep(value, state, stateBase, channels, TShape.ConvWidth, weight, c, dequantScales[1], bias[c], bScales[j / TShape.StateDim]);
        }
        else
        {
            int j = c - TShape.InnerDim - groupWidth;
            cOut[b * groupWidth + j] = ConvStep(value, state, stateBase, channels, TShape.ConvWidth, weight, c, dequantScales[2], bias[c], cScales[j / TShape.StateDim]);
        }
    }

    /// <summary>The input at time tau of one channel: from the input rows, from the state before t = 0, zero beyond it.</summary>
    private static int InputAt(ReadOnlyDeviceSpan<sbyte> input, int inputStride, int inputBase, ReadOnlyDeviceSpan<sbyte> stateIn, int stateBase, int channels, int k, int tau)
    {
        if (tau >= 0) return input[inputBase + tau * inputStride];
        if (tau >= -(k - 1)) return stateIn[stateBase + (k - 1 + tau) * channels];
        return 0;
    }

    /// <summary>Weight of tap slot s (0..3; slot 3 multiplies x_t) of channel c; zero for slots a narrower conv lacks.</summary>
    private static int Tap(ReadOnlyDeviceSpan<sbyte> weight, int c, int k, int slot) => slot >= 4 - k ? weight[c * k + slot - (4 - k)] : 0;

    private static void ConvRun(ReadOnlyDeviceSpan<sbyte> input, int inputStride, int inputBase, ReadOnlyDeviceSpan<sbyte> stateIn, int stateBase, int channels,
        ReadOnlyDeviceSpan<sbyte> weight, int c, int k, float dequantScale, float bias, float outScale, DeviceSpan<sbyte> output, int outputBase, int outputStride, int t0, int t1)
    {
        int w0 = Tap(weight, c, k, 0), w1 = Tap(weight, c, k, 1), w2 = Tap(weight, c, k, 2), w3 = Tap(weight, c, k, 3);
        int x3 = InputAt(input, inputStride, inputBase, stateIn, stateBase, channels, k, t0 - 3);
        int x2 = InputAt(input, inputStride, inputBase, stateIn, stateBase, channels, k, t0 - 2);
        int x1 = InputAt(input, inputStride, inputBase, stateIn, stateBase, channels, k, t0 - 1);
        for (int t = t0; t < t1; t++)
        {
            int x0 = input[inputBase + t * inputStride];
            int acc = w0 * x3 + w1 * x2 + w2 * x1 + w3 * x0;
            float v = (float)acc * dequantScale + bias;
            output[outputBase + t * outputStride] = KernelMath.Quantize(KernelMath.SiLU(v), outScale);
            x3 = x2;
            x2 = x1;
            x1 = x0;
        }
    }

    private static void WriteFinalState(ReadOnlyDeviceSpan<sbyte> input, int inputStride, int inputBase, ReadOnlyDeviceSpan<sbyte> stateIn, int stateBase, int channels, int k,
        DeviceSpan<sbyte> stateOut, int length)
    {
        for (int j = 0; j < k - 1; j++)
            stateOut[stateBase + j * channels] = (sbyte)InputAt(input, inputStride, inputBase, stateIn, stateBase, channels, k, length - (k - 1) + j);
    }

    private static sbyte ConvStep(sbyte value, DeviceSpan<sbyte> state, int stateBase, int channels, int k, ReadOnlyDeviceSpan<sbyte> weight, int c,
        float dequantScale, float bias, float outScale)
    {
        int x3 = k >= 4 ? state[stateBase + (k - 4) * channels] : 0;
        int x2 = k >= 3 ? state[stateBase + (k - 3) * channels] : 0;
        int x1 = state[stateBase + (k - 2) * channels];
        int acc = Tap(weight, c, k, 0) * x3 + Tap(weight, c, k, 1) * x2 + Tap(weight, c, k, 2) * x1 + Tap(weight, c, k, 3) * value;
        for (int j = 0; j < k - 2; j++) state[stateBase + j * channels] = state[stateBase + (j + 1) * channels];
        state[stateBase + (k - 2) * channels] = value;
        float v = (float)acc * dequantScale + bias;
        return KernelMath.Quantize(KernelMath.SiLU(v), outScale);
    }
}
