using Quamba.Model.Backends.Cpu;
using Quamba.Model.Quantization;
using Quamba.Model.Quantization.Execution;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Tests.Quantization.Recipes;

/// <summary>
/// The quantized model's operations against double-precision references on random codes: the integer path is exact
/// up to the final float scaling (two roundings: relative 1e-6 of the largest output bounds it), the simulated path
/// adds float summation error (K terms: relative 1e-5 of the largest output).
/// </summary>
public sealed unsafe class QuantizedOperationTests
{
    private const double IntegerTolerance = 1e-6, FloatTolerance = 1e-5;

    private static double MaxRelative(double[] reference, float[] actual)
    {
        double diff = 0, scale = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(reference[i] - actual[i]));
            scale = Math.Max(scale, Math.Abs(reference[i]));
        }
        return diff / scale;
    }

    /// <summary>y = (codes * s_a) (W')^T with W' the dequantized weights, in double.</summary>
    private static double[] Reference(sbyte[] codes, float activationScale, float[] weights, int rows, int n, int k)
    {
        var y = new double[rows * n];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int i = 0; i < k; i++) s += (double)codes[r * k + i] * activationScale * weights[j * k + i];
                y[r * n + j] = s;
            }
        return y;
    }

    private static (float[] Integer, float[] Simulated) RunBoth(QuantizedLinear linear, sbyte[] codes, int rows, float[] accumulateOnto)
    {
        int n = linear.Rows, k = linear.Columns;
        var integer = (float[])accumulateOnto.Clone();
        var simulated = (float[])accumulateOnto.Clone();
        var dequantized = codes.Select(c => c * linear.InputScale).ToArray();
        var scratch = new float[rows * n];
        fixed (sbyte* a = codes)
        fixed (float* o = integer, s = simulated, d = dequantized, t = scratch)
        {
            linear.ForwardInt8(CpuParallel.Default, a, rows, o, accumulate: true, t);
            linear.ForwardFloat(CpuParallel.Default, d, k, rows, s, accumulate: true, t);
        }
        return (integer, simulated);
    }

    [Theory]
    [InlineData(1, 64, 96)]
    [InlineData(5, 130, 256)]
    public void Int8LinearMatchesTheReferenceOnBothPaths(int rows, int n, int k)
    {
        var w = QuantTestData.Gaussian(n * k, seed: 1, scale: 0.05);
        var matrix = Int8WeightQuantizer.QuantizePerOutputSegment(w, n, k, [new RowRange(0, n / 2), new RowRange(n / 2, n - n / 2)]);
        var linear = new Int8Linear(matrix, inputScale: 0.037f);
        var codes = QuantTestData.Int8(rows * k, seed: 2);
        var bias = QuantTestData.Gaussian(rows * n, seed: 3);
        var reference = Reference(codes, linear.InputScale, matrix.Dequantize(), rows, n, k);
        for (int i = 0; i < reference.Length; i++) reference[i] += bias[i];

        var (integer, simulated) = RunBoth(linear, codes, rows, bias);
        Assert.True(MaxRelative(reference, integer) <= IntegerTolerance, $"integer {MaxRelative(reference, integer):E2}");
        Assert.True(MaxRelative(reference, simulated) <= FloatTolerance, $"simulated {MaxRelative(reference, simulated):E2}");
    }

    [Theory]
    [InlineData(1, 64, 192)]
    [InlineData(3, 36, 384)]
    public void Int4LinearMatchesTheReferenceOnBothPaths(int rows, int n, int k)
    {
        var w = QuantTestData.Gaussian(n * k, seed: 4, scale: 0.05);
        var matrix = Int4WeightQuantizer.RoundToNearest(w, n, k);
        var linear = new Int4Linear(matrix, inputScale: 0.021f);
        var codes = QuantTestData.Int8(rows * k, seed: 5);
        var start = new float[rows * n];
        var reference = Reference(codes, linear.InputScale, matrix.Dequantize(), rows, n, k);

        var (integer, simulated) = RunBoth(linear, codes, rows, start);
        // W4A8 sums each group exactly but accumulates the groups in float: the float tolerance applies to both.
        Assert.True(MaxRelative(reference, integer) <= FloatTolerance, $"integer {MaxRelative(reference, integer):E2}");
        Assert.True(MaxRelative(reference, simulated) <= FloatTolerance, $"simulated {MaxRelative(reference, simulated):E2}");
    }

    [Fact]
    public void Int8ConvMatchesTheReferenceAndKeepsTheLastInputCodesAsState()
    {
        const int batch = 2, length = 7, channels = 70, kernel = 4, history = kernel - 1;
        var codes = QuantTestData.Int8(batch * length * channels, seed: 6);
        var weights = QuantTestData.Int8(kernel * channels, seed: 7); // [K, C]
        var initial = QuantTestData.Int8(batch * history * channels, seed: 8).Select(c => (float)c).ToArray();
        var inputScale = Enumerable.Range(0, channels).Select(c => 0.01f + 0.001f * (c % 5)).ToArray();
        var bias = QuantTestData.Gaussian(channels, seed: 9);
        const float weightScale = 0.004f;
        var scale = inputScale.Select(s => weightScale * s).ToArray();

        var reference = new double[batch * length * channels];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++)
                for (int c = 0; c < channels; c++)
                {
                    double acc = 0;
                    for (int k = 0; k < kernel; k++)
                    {
                        int tau = t - history + k;
                        double x = tau < 0 ? initial[(b * history + history + tau) * channels + c] : codes[(b * length + tau) * channels + c];
                        acc += weights[k * channels + c] * weightScale * x * inputScale[c];
                    }
                    double v = acc + bias[c];
                    reference[(b * length + t) * channels + c] = v / (1 + Math.Exp(-v));
                }

        float[] Run(bool simulated, out float[] state)
        {
            var output = new float[batch * length * channels];
            state = (float[])initial.Clone();
            fixed (sbyte* input = codes, w = weights)
            fixed (float* o = output, st = state, si = inputScale, sc = scale, bi = bias)
            {
                Int8CausalConv1d.Forward(CpuParallel.Default, new Int8CausalConv1d.Operands
                {
                    Input = input, Output = o, OutputStride = channels, States = st, WeightT = w, WeightScale = weightScale,
                    InputScale = si, Scale = sc, Bias = bi, Channels = channels, Kernel = kernel, Simulated = simulated,
                }, batch, length);
            }
            return output;
        }

        var integer = Run(simulated: false, out var integerState);
        var simulatedOut = Run(simulated: true, out var simulatedState);
        Assert.True(MaxRelative(reference, integer) <= IntegerTolerance, $"integer {MaxRelative(reference, integer):E2}");
        Assert.True(MaxRelative(reference, simulatedOut) <= FloatTolerance, $"simulated {MaxRelative(reference, simulatedOut):E2}");
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < history; j++)
                for (int c = 0; c < channels; c++)
                {
                    float expected = codes[(b * length + length - history + j) * channels + c];
                    Assert.Equal(expected, integerState[(b * history + j) * channels + c]);
                    Assert.Equal(expected, simulatedState[(b * history + j) * channels + c]);
                }
    }

    [Fact]
    public void PerChannelActivationCodesUseEachChannelsScaleAndRoundHalfToEven()
    {
        float[] values = [0.25f, -0.25f, 0.75f, 1000f, -1000f, 0.1f];
        float[] scales = [0.5f, 0.5f, 0.5f, 1f, 1f, 0.01f];
        var codes = new sbyte[values.Length];
        var back = new float[values.Length];
        fixed (float* v = values, s = scales, b = back)
        fixed (sbyte* c = codes)
        {
            ActivationCodec.QuantizePerChannel(CpuParallel.Default, v, values.Length, c, values.Length, 1, values.Length, s);
            ActivationCodec.DequantizePerChannel(CpuParallel.Default, c, values.Length, b, values.Length, 1, values.Length, s);
        }
        // 0.5 and -0.5 round to even (0); 1.5 to 2; out of range clamps to [-128, 127].
        Assert.Equal(new sbyte[] { 0, 0, 2, 127, -128, 10 }, codes);
        for (int i = 0; i < values.Length; i++) Assert.Equal(codes[i] * scales[i], back[i]);
        Assert.Equal(codes[5], Int8Quantization.Quantize(values[5], scales[5]));
    }
}
