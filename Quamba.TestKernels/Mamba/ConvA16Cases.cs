using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

public delegate void Mamba1ConvPrefillA16Emulate(LaunchConfig config, ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
    ReadOnlyDeviceSpan<Half> stateIn, DeviceSpan<Half> output, DeviceSpan<Half> stateOut, int length);
public delegate void Mamba1ConvPrefillA16Launch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
    ReadOnlyDeviceSpan<Half> stateIn, DeviceSpan<Half> output, DeviceSpan<Half> stateOut, int length);
public delegate void Mamba1ConvStepA16Emulate(LaunchConfig config, ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
    DeviceSpan<Half> state, DeviceSpan<Half> output);
public delegate void Mamba1ConvStepA16Launch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
    DeviceSpan<Half> state, DeviceSpan<Half> output);
public delegate void Mamba2ConvPrefillA16Emulate(LaunchConfig config, ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
    ReadOnlyDeviceSpan<Half> stateIn, DeviceSpan<Half> x, DeviceSpan<Half> bOut, DeviceSpan<Half> cOut, DeviceSpan<Half> stateOut, int length);
public delegate void Mamba2ConvPrefillA16Launch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
    ReadOnlyDeviceSpan<Half> stateIn, DeviceSpan<Half> x, DeviceSpan<Half> bOut, DeviceSpan<Half> cOut, DeviceSpan<Half> stateOut, int length);
public delegate void Mamba2ConvStepA16Emulate(LaunchConfig config, ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
    DeviceSpan<Half> state, DeviceSpan<Half> x, DeviceSpan<Half> bOut, DeviceSpan<Half> cOut);
public delegate void Mamba2ConvStepA16Launch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<Half> input, int inputStride, ReadOnlyDeviceSpan<float> weight, ReadOnlyDeviceSpan<float> bias,
    DeviceSpan<Half> state, DeviceSpan<Half> x, DeviceSpan<Half> bOut, DeviceSpan<Half> cOut);

/// <summary>
/// Inputs and tolerances of the A16 conv cases: fp16 in_proj rows (read with their row stride), a non-zero fp16 state,
/// float weights and bias. Emulator: bit-exact (the kernel performs the reference's float operations in its order).
/// GPU: one fp16 unit in the last place (SiLU's exp is ex2.approx there, about 2^-21 relative, which can move the
/// float result across an fp16 rounding boundary: at most 2^-10 relative, or 2^-24 absolute among subnormals).
/// </summary>
public abstract class ConvA16Case : KernelCase
{
    private protected readonly bool _step;
    private protected readonly int _batch, _length, _inputStride, _channels, _k;
    private protected readonly Half[] _input, _state;
    private protected readonly float[] _weight, _bias;
    private protected readonly Delegate _emulate, _launch;

    private readonly string _kernel, _shape;

    private protected ConvA16Case(string kernel, string shape, bool step, int batch, int length, int inputStride, int channels, int k, Delegate emulate, Delegate launch)
    {
        (_step, _batch, _length, _inputStride, _channels, _k, _emulate, _launch) = (step, batch, length, inputStride, channels, k, emulate, launch);
        (_kernel, _shape) = (kernel, shape);
        int seed = 1300 + channels + length;
        _input = MambaInputs.Halves(seed, batch * length * inputStride);
        _weight = MambaInputs.Floats(seed + 1, channels * k, -0.5f, 0.5f);
        _state = MambaInputs.Halves(seed + 2, batch * (k - 1) * channels);
        _bias = MambaInputs.Floats(seed + 3, channels, -0.5f, 0.5f);
    }

    private string Method => _kernel + (_step ? "Step" : "Prefill") + "A16";

    public override string Name => $"Mamba.{Method}<{_shape}>";
    public override string Kernel => $"CausalConv1dKernels.{Method}<{_shape}>";

    public override Tolerance Tolerance => new(Absolute: 1.0 / (1 << 24), Relative: 1.0 / 1024);
    public override Tolerance EmulatorTolerance => Tolerance.Exact;

    /// <summary>The reference over the conv's channels, which start at <paramref name="offset"/> of each input row.</summary>
    private protected (Half[] Output, Half[] State) Reference(int offset) =>
        CausalConv1dReference.Prefill(_input.AsSpan(offset).ToArray(), _inputStride, _batch, _length, _channels, _k, _weight, _bias, _state);

    /// <summary>Launch geometry of this case (prefill over the time chunks, or one step).</summary>
    private protected LaunchConfig LaunchFor() =>
        _step ? CausalConv1dKernels.StepLaunch(_channels, _batch) : CausalConv1dKernels.PrefillLaunch(_channels, _length, _batch);
}

/// <summary>Mamba1 A16 conv (prefill or step) over x read from in_proj's [x | z] rows (stride 2E).</summary>
public sealed class Mamba1ConvA16Case<TShape> : ConvA16Case where TShape : IMamba1Shape
{
    private Mamba1ConvA16Case(bool step, int batch, int length, Delegate emulate, Delegate launch)
        : base("Mamba1Conv", typeof(TShape).Name, step, batch, length, 2 * TShape.InnerDim, TShape.InnerDim, TShape.ConvWidth, emulate, launch) { }

    public static Mamba1ConvA16Case<TShape> Prefill(Mamba1ConvPrefillA16Emulate emulate, Mamba1ConvPrefillA16Launch launch, int batch, int length) => new(false, batch, length, emulate, launch);

    public static Mamba1ConvA16Case<TShape> Step(Mamba1ConvStepA16Emulate emulate, Mamba1ConvStepA16Launch launch, int batch) => new(true, batch, 1, emulate, launch);

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var (output, state) = Reference(0);
        return [CaseOutput.Of("output", output), CaseOutput.Of("state", state)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var input = r.Upload<Half>(_input);
        var weight = r.Upload<float>(_weight);
        var bias = r.Upload<float>(_bias);
        var output = r.Allocate<Half>(_batch * _length * _channels);
        var state = r.Upload<Half>(_state);
        if (_step)
        {
            var se = (Mamba1ConvStepA16Emulate)_emulate;
            var sl = (Mamba1ConvStepA16Launch)_launch;
            r.Launch(LaunchFor(), c => se(c, input, _inputStride, weight, bias, state, output), (s, c) => sl(s, c, input, _inputStride, weight, bias, state, output));
            return [CaseOutput.Of("output", r.Download(output)), CaseOutput.Of("state", r.Download(state))];
        }
        var stateOut = r.Allocate<Half>(_state.Length);
        var pe = (Mamba1ConvPrefillA16Emulate)_emulate;
        var pl = (Mamba1ConvPrefillA16Launch)_launch;
        r.Launch(LaunchFor(), c => pe(c, input, _inputStride, weight, bias, state, output, stateOut, _length),
            (s, c) => pl(s, c, input, _inputStride, weight, bias, state, output, stateOut, _length));
        return [CaseOutput.Of("output", r.Download(output)), CaseOutput.Of("state", r.Download(stateOut))];
    }
}

/// <summary>Mamba2 A16 conv (prefill or step) over xBC read from in_proj's [z | xBC | dt] rows, split into x, B and C.</summary>
public sealed class Mamba2ConvA16Case<TShape> : ConvA16Case where TShape : IMamba2Shape
{
    private static int GroupWidth => TShape.StateGroups * TShape.StateDim;

    private Mamba2ConvA16Case(bool step, int batch, int length, Delegate emulate, Delegate launch)
        : base("Mamba2Conv", typeof(TShape).Name, step, batch, length, 2 * TShape.InnerDim + 2 * GroupWidth + TShape.Heads, CausalConv1dKernels.Mamba2Channels<TShape>(), TShape.ConvWidth, emulate, launch) { }

    public static Mamba2ConvA16Case<TShape> Prefill(Mamba2ConvPrefillA16Emulate emulate, Mamba2ConvPrefillA16Launch launch, int batch, int length) => new(false, batch, length, emulate, launch);

    public static Mamba2ConvA16Case<TShape> Step(Mamba2ConvStepA16Emulate emulate, Mamba2ConvStepA16Launch launch, int batch) => new(true, batch, 1, emulate, launch);

    public override IReadOnlyList<CaseOutput> Expected()
    {
        // xBC starts at column E of in_proj's rows.
        var (output, state) = Reference(TShape.InnerDim);
        var (x, b, c) = CausalConv1dReference.SplitXbc(output, _batch * _length, TShape.InnerDim, GroupWidth);
        return [CaseOutput.Of("x", x), CaseOutput.Of("B", b), CaseOutput.Of("C", c), CaseOutput.Of("state", state)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        int rows = _batch * _length;
        var input = r.Upload<Half>(_input).Slice(TShape.InnerDim);
        var weight = r.Upload<float>(_weight);
        var bias = r.Upload<float>(_bias);
        var x = r.Allocate<Half>(rows * TShape.InnerDim);
        var b = r.Allocate<Half>(rows * GroupWidth);
        var c = r.Allocate<Half>(rows * GroupWidth);
        var state = r.Upload<Half>(_state);
        if (_step)
        {
            var se = (Mamba2ConvStepA16Emulate)_emulate;
            var sl = (Mamba2ConvStepA16Launch)_launch;
            r.Launch(LaunchFor(), cfg => se(cfg, input, _inputStride, weight, bias, state, x, b, c), (s, cfg) => sl(s, cfg, input, _inputStride, weight, bias, state, x, b, c));
            return [CaseOutput.Of("x", r.Download(x)), CaseOutput.Of("B", r.Download(b)), CaseOutput.Of("C", r.Download(c)), CaseOutput.Of("state", r.Download(state))];
        }
        var stateOut = r.Allocate<Half>(_state.Length);
        var pe = (Mamba2ConvPrefillA16Emulate)_emulate;
        var pl = (Mamba2ConvPrefillA16Launch)_launch;
        r.Launch(LaunchFor(), cfg => pe(cfg, input, _inputStride, weight, bias, state, x, b, c, stateOut, _length),
            (s, cfg) => pl(s, cfg, input, _inputStride, weight, bias, state, x, b, c, stateOut, _length));
        return [CaseOutput.Of("x", r.Download(x)), CaseOutput.Of("B", r.Download(b)), CaseOutput.Of("C", r.Download(c)), CaseOutput.Of("state", r.Download(stateOut))];
    }
}
