using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Quamba.Model.Backends.Cpu;

/// <summary>
/// Causal depthwise conv1d + bias + SiLU over <c>channels</c> channels, continuing from a conv state that holds the
/// previous K-1 inputs: out_t[c] = SiLU(bias[c] + sum_k w[k,c] * in_{t-K+1+k}[c]). The state is then replaced by the
/// last K-1 inputs. Weights are stored transposed, [K, C], so every tap is a contiguous vector over channels.
/// </summary>
internal static unsafe class CausalConv1d
{
    private const int ChannelBlock = 64;

    /// <param name="input">row t of sequence b at input + (b*length + t) * inputStride</param>
    /// <param name="output">row t of sequence b at output + (b*length + t) * outputStride</param>
    /// <param name="convStates">the states of all sequences, [batch, K-1, C]</param>
    public static void Forward(CpuParallel parallel, float* input, int inputStride, float* output, int outputStride,
        float* convStates, float* weightT, float* bias, int batch, int length, int channels, int kernel)
    {
        var work = new Work
        {
            Input = input, InputStride = inputStride, Output = output, OutputStride = outputStride, ConvStates = convStates,
            WeightT = weightT, Bias = bias, Length = length, Channels = channels, Kernel = kernel,
            Blocks = (channels + ChannelBlock - 1) / ChannelBlock,
        };
        parallel.ForRanges(batch * work.Blocks, Math.Max(1, 4096 / Math.Max(1, length)), ref work);
    }

    private struct Work : IRangeWork
    {
        public float* Input, Output, ConvStates, WeightT, Bias;
        public int InputStride, OutputStride, Length, Channels, Kernel, Blocks;

        public readonly void Run(int begin, int end)
        {
            for (int item = begin; item < end; item++)
            {
                int b = item / Blocks, block = item % Blocks;
                int c0 = block * ChannelBlock, cn = Math.Min(ChannelBlock, Channels - c0);
                float* state = ConvStates + (long)b * (Kernel - 1) * Channels;
                float* inSeq = Input + (long)b * Length * InputStride;
                float* outSeq = Output + (long)b * Length * OutputStride;
                ForwardBlock(inSeq, InputStride, outSeq, OutputStride, state, WeightT, Bias, Length, Channels, Kernel, c0, cn);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardBlock(float* input, int inputStride, float* output, int outputStride, float* state,
        float* weightT, float* bias, int length, int channels, int kernel, int c0, int cn)
    {
        int history = kernel - 1;
        for (int t = 0; t < length; t++)
        {
            float* outRow = output + (long)t * outputStride;
            int c = c0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; c + 16 <= c0 + cn; c += 16)
                {
                    var acc = bias is null ? Vector512<float>.Zero : Vector512.Load(bias + c);
                    for (int k = 0; k < kernel; k++)
                    {
                        int tau = t - history + k;
                        float* src = tau < 0 ? state + (long)(history + tau) * channels : input + (long)tau * inputStride;
                        acc = Vector512.FusedMultiplyAdd(Vector512.Load(weightT + (long)k * channels + c), Vector512.Load(src + c), acc);
                    }
                    Vector512.Store(VectorMath.SiLU(acc), outRow + c);
                }
            }
            for (; c < c0 + cn; c++)
            {
                float acc = bias is null ? 0f : bias[c];
                for (int k = 0; k < kernel; k++)
                {
                    int tau = t - history + k;
                    float* src = tau < 0 ? state + (long)(history + tau) * channels : input + (long)tau * inputStride;
                    acc = MathF.FusedMultiplyAdd(weightT[(long)k * channels + c], src[c], acc);
                }
                outRow[c] = VectorMath.SiLU(acc);
            }
        }

        // New state row j holds the input at time length - history + j; rows are rewritten in ascending order and
        // each reads an old row with a larger index (history + time), so nothing is overwritten before it is read.
        for (int j = 0; j < history; j++)
        {
            int time = length - history + j;
            float* src = time < 0 ? state + (long)(history + time) * channels : input + (long)time * inputStride;
            new ReadOnlySpan<float>(src + c0, cn).CopyTo(new Span<float>(state + (long)j * channels + c0, cn));
        }
    }
}
