namespace Quamba.Kernels.Mamba;

/// <summary>
/// Plain C# reference of the causal conv1d, int8 and A16: the formulas of <see cref="CausalConv1dKernels"/> written per
/// (sequence, time, channel), with the history before t = 0 taken from the state [batch, K-1, channels].
/// </summary>
public static class CausalConv1dReference
{
    /// <summary>
    /// One segment's conv: returns [batch, length, channels] codes and the new state [batch, K-1, channels].
    /// <paramref name="outScaleOf"/> gives each channel's output scale, <paramref name="dequantOf"/> its dequantScale.
    /// </summary>
    public static (sbyte[] Output, sbyte[] State) Prefill(sbyte[] input, int inputStride, int batch, int length, int channels, int k,
        sbyte[] weight, float[] bias, Func<int, float> dequantOf, Func<int, float> outScaleOf, sbyte[] stateIn)
    {
        var output = new sbyte[batch * length * channels];
        var state = new sbyte[batch * (k - 1) * channels];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
            {
                int At(int tau) => tau >= 0 ? input[(b * length + tau) * inputStride + c] : stateIn[(b * (k - 1) + (k - 1 + tau)) * channels + c];
                for (int t = 0; t < length; t++)
                {
                    int acc = 0;
                    for (int tap = 0; tap < k; tap++) acc += weight[c * k + tap] * At(t - k + 1 + tap);
                    float v = (float)acc * dequantOf(c) + bias[c];
                    output[(b * length + t) * channels + c] = KernelMath.Quantize(KernelMath.SiLU(v), outScaleOf(c));
                }
                for (int j = 0; j < k - 1; j++) state[(b * (k - 1) + j) * channels + c] = (sbyte)At(length - (k - 1) + j);
            }
        return (output, state);
    }

    /// <summary>
    /// The A16 conv (fp16 in and out, float weights and math): returns [batch, length, channels] and the new fp16 state
    /// [batch, K-1, channels]. The taps are summed in order from zero, then the bias is added, then one rounding to fp16.
    /// </summary>
    public static (Half[] Output, Half[] State) Prefill(Half[] input, int inputStride, int batch, int length, int channels, int k,
        float[] weight, float[] bias, Half[] stateIn)
    {
        var output = new Half[batch * length * channels];
        var state = new Half[batch * (k - 1) * channels];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
            {
                Half At(int tau) => tau >= 0 ? input[(b * length + tau) * inputStride + c] : stateIn[(b * (k - 1) + (k - 1 + tau)) * channels + c];
                for (int t = 0; t < length; t++)
                {
                    float acc = 0f;
                    for (int tap = 0; tap < k; tap++) acc += weight[c * k + tap] * (float)At(t - k + 1 + tap);
                    output[(b * length + t) * channels + c] = (Half)KernelMath.SiLU(acc + bias[c]);
                }
                for (int j = 0; j < k - 1; j++) state[(b * (k - 1) + j) * channels + c] = At(length - (k - 1) + j);
            }
        return (output, state);
    }

    /// <summary>Splits [batch, length, E + 2GN] rows into x [.., E], B [.., GN], C [.., GN].</summary>
    public static (T[] X, T[] B, T[] C) SplitXbc<T>(T[] xbc, int rows, int innerDim, int groupWidth)
    {
        int width = innerDim + 2 * groupWidth;
        var x = new T[rows * innerDim];
        var b = new T[rows * groupWidth];
        var c = new T[rows * groupWidth];
        for (int r = 0; r < rows; r++)
        {
            Array.Copy(xbc, r * width, x, r * innerDim, innerDim);
            Array.Copy(xbc, r * width + innerDim, b, r * groupWidth, groupWidth);
            Array.Copy(xbc, r * width + innerDim + groupWidth, c, r * groupWidth, groupWidth);
        }
        return (x, b, c);
    }
}
