using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Quamba.Model.Backends.Cpu;

namespace Quamba.Model.Quantization.Execution;

/// <summary>
/// The quantized causal depthwise conv1d + bias + SiLU: int8 input codes times int8 weight codes summed in int32 over
/// the K taps, then <c>SiLU(acc * scale[c] + bias[c])</c> with <c>scale[c] = weightScale * inputScale[c]</c>. The conv
/// state keeps the last K-1 input codes per channel (stored as exact small integers in the float state buffer, so the
/// model's <see cref="Models.InferenceState"/> serves quantized layers unchanged). The simulated path sums the
/// dequantized products in float instead (same values, float rounding).
/// </summary>
internal static unsafe class Int8CausalConv1d
{
    private const int ChannelBlock = 64;

    public readonly struct Operands
    {
        /// <summary>Input codes, row (b, t) at Input + (b * length + t) * Channels.</summary>
        public required sbyte* Input { get; init; }
        /// <summary>Float output, row stride OutputStride.</summary>
        public required float* Output { get; init; }
        public required int OutputStride { get; init; }
        /// <summary>[batch, K-1, C] codes as floats.</summary>
        public required float* States { get; init; }
        /// <summary>Weight codes transposed, [K, C].</summary>
        public required sbyte* WeightT { get; init; }
        public required float WeightScale { get; init; }
        /// <summary>Per channel input scale, [C].</summary>
        public required float* InputScale { get; init; }
        /// <summary>Per channel weightScale * inputScale, [C].</summary>
        public required float* Scale { get; init; }
        /// <summary>[C] (zeros when the model has no conv bias).</summary>
        public required float* Bias { get; init; }
        public required int Channels { get; init; }
        public required int Kernel { get; init; }
        public bool Simulated { get; init; }
    }

    public static void Forward(CpuParallel parallel, in Operands o, int batch, int length)
    {
        var work = new Work { O = o, Length = length, Blocks = (o.Channels + ChannelBlock - 1) / ChannelBlock };
        parallel.ForRanges(batch * work.Blocks, Math.Max(1, 4096 / Math.Max(1, length)), ref work);
    }

    private struct Work : IRangeWork
    {
        public Operands O;
        public int Length, Blocks;

        public readonly void Run(int begin, int end)
        {
            for (int item = begin; item < end; item++)
            {
                int b = item / Blocks, c0 = item % Blocks * ChannelBlock;
                Block(O, b, Length, c0, Math.Min(ChannelBlock, O.Channels - c0));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(in Operands o, int b, int length, int c0, int cn)
    {
        int channels = o.Channels, kernel = o.Kernel, history = kernel - 1;
        float* state = o.States + (long)b * history * channels;
        sbyte* input = o.Input + (long)b * length * channels;
        float* output = o.Output + (long)b * length * o.OutputStride;
        sbyte* weightT = o.WeightT;
        float* scale = o.Scale, bias = o.Bias;
        for (int t = 0; t < length; t++)
        {
            float* outRow = output + (long)t * o.OutputStride;
            int c = c0;
            if (!o.Simulated && Avx512F.IsSupported)
            {
                // 16 channels per step: sign-extended int8 codes (vpmovsxbd), int32 multiply-adds over the taps.
                for (; c + 16 <= c0 + cn; c += 16)
                {
                    var acc = Vector512<int>.Zero;
                    for (int k = 0; k < kernel; k++)
                    {
                        int tau = t - history + k;
                        var x = tau < 0
                            ? Vector512.ConvertToInt32(Vector512.Load(state + (long)(history + tau) * channels + c))
                            : Avx512F.ConvertToVector512Int32(Vector128.Load(input + (long)tau * channels + c));
                        acc += Avx512F.ConvertToVector512Int32(Vector128.Load(weightT + (long)k * channels + c)) * x;
                    }
                    var value = Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(acc), Vector512.Load(scale + c), Vector512.Load(bias + c));
                    Vector512.Store(VectorMath.SiLU(value), outRow + c);
                }
            }
            for (; c < c0 + cn; c++)
            {
                float value;
                if (o.Simulated)
                {
                    float acc = 0;
                    for (int k = 0; k < kernel; k++)
                        acc += weightT[(long)k * channels + c] * o.WeightScale * (Code(state, input, channels, history, t - history + k, c) * o.InputScale[c]);
                    value = acc + bias[c];
                }
                else
                {
                    int acc = 0;
                    for (int k = 0; k < kernel; k++)
                        acc += weightT[(long)k * channels + c] * Code(state, input, channels, history, t - history + k, c);
                    value = MathF.FusedMultiplyAdd(acc, scale[c], bias[c]);
                }
                outRow[c] = VectorMath.SiLU(value);
            }
        }
        // New state row j = input at time length - history + j; ascending rewrite reads only larger old rows (as CausalConv1d).
        for (int j = 0; j < history; j++)
            for (int c = c0; c < c0 + cn; c++)
                state[(long)j * channels + c] = Code(state, input, channels, history, length - history + j, c);
    }

    private static int Code(float* state, sbyte* input, int channels, int history, int tau, int c) =>
        tau < 0 ? (int)state[(long)(history + tau) * channels + c] : input[(long)tau * channels + c];
}
