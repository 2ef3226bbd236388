using Quamba.Kernels.Mamba;
using Quamba.Model.Backends.Cpu;
using Quamba.Model.Quantization.Execution;
using Quamba.Tests.Quantization;
using Xunit;

namespace Quamba.Tests.Mamba;

/// <summary>
/// The GPU kernels are checked against their C# references (emulator here, the H100 in Quamba.GpuTests); these tests
/// close the chain to the CPU integer model (Quamba.Model's quantized layers): on the same codes and scales the
/// kernel reference and the CPU integer path compute the same values, so a GPU layer and a CPU layer agree.
/// </summary>
public sealed unsafe class CpuIntegerPathAgreementTests
{
    [Fact]
    public void Int8ConvOfTheCpuModelRequantizedEqualsTheKernelReference()
    {
        // 200 channels: twelve 16-channel AVX-512 steps and an 8-channel scalar tail on the CPU side.
        const int batch = 2, length = 37, channels = 200, kernel = 4, history = kernel - 1;
        const float weightScale = 0.004f, outScale = 0.02f;
        var codes = QuantTestData.Int8(batch * length * channels, seed: 21);
        var weights = QuantTestData.Int8(kernel * channels, seed: 22);          // [K, C] as the CPU model keeps them
        var stateCodes = QuantTestData.Int8(batch * history * channels, seed: 23);
        var inputScale = Enumerable.Range(0, channels).Select(c => 0.01f + 0.001f * (c % 7)).ToArray();
        var scale = inputScale.Select(s => weightScale * s).ToArray();
        var bias = QuantTestData.Gaussian(channels, seed: 24);

        // The kernel reference takes weights [C, K] and one dequantScale per channel.
        var weightsByChannel = new sbyte[channels * kernel];
        for (int c = 0; c < channels; c++)
            for (int k = 0; k < kernel; k++) weightsByChannel[c * kernel + k] = weights[k * channels + c];
        var (expected, expectedState) = CausalConv1dReference.Prefill(codes, channels, batch, length, channels, kernel,
            weightsByChannel, bias, c => scale[c], _ => outScale, stateCodes);

        var output = new float[batch * length * channels];
        var state = stateCodes.Select(c => (float)c).ToArray();
        fixed (sbyte* input = codes, w = weights)
        fixed (float* o = output, st = state, si = inputScale, sc = scale, bi = bias)
        {
            Int8CausalConv1d.Forward(CpuParallel.Default, new Int8CausalConv1d.Operands
            {
                Input = input, Output = o, OutputStride = channels, States = st, WeightT = w, WeightScale = weightScale,
                InputScale = si, Scale = sc, Bias = bi, Channels = channels, Kernel = kernel,
            }, batch, length);
        }
        var actual = output.Select(v => KernelMath.Quantize(v, outScale)).ToArray();

        // The int32 sums are exact on both sides; the rescale is one fused multiply-add on the CPU and a multiply then
        // an add in the kernel, and the CPU's vector SiLU uses its own exp: values near a rounding boundary may land one
        // code apart. Allow +-1 on at most 0.5% of the 14,800 codes.
        int moved = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1, $"code {i}: kernel reference {expected[i]}, CPU model {actual[i]}");
            if (expected[i] != actual[i]) moved++;
        }
        Assert.True(moved <= expected.Length / 200, $"{moved} of {expected.Length} codes moved by one");
        Assert.True(expected.Distinct().Count() > 50, "the codes must be informative");
        Assert.Equal(expectedState.Select(c => (float)c), state);
    }
}
