using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

public delegate void Mamba1ConvPrefillEmulate(LaunchConfig config, ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
    float dequantScale, float outScale, ReadOnlyDeviceSpan<sbyte> stateIn, DeviceSpan<sbyte> output, DeviceSpan<sbyte> stateOut, int length);
public delegate void Mamba1ConvPrefillLaunch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
    float dequantScale, float outScale, ReadOnlyDeviceSpan<sbyte> stateIn, DeviceSpan<sbyte> output, DeviceSpan<sbyte> stateOut, int length);
public delegate void Mamba1ConvStepEmulate(LaunchConfig config, ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
    float dequantScale, float outScale, DeviceSpan<sbyte> state, DeviceSpan<sbyte> output);
public delegate void Mamba1ConvStepLaunch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
    float dequantScale, float outScale, DeviceSpan<sbyte> state, DeviceSpan<sbyte> output);
public delegate void Mamba2ConvPrefillEmulate(LaunchConfig config, ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
    ReadOnlyDeviceSpan<float> dequantScales, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales, ReadOnlyDeviceSpan<sbyte> stateIn,
    DeviceSpan<sbyte> x, DeviceSpan<sbyte> bOut, DeviceSpan<sbyte> cOut, DeviceSpan<sbyte> stateOut, int length);
public delegate void Mamba2ConvPrefillLaunch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
    ReadOnlyDeviceSpan<float> dequantScales, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales, ReadOnlyDeviceSpan<sbyte> stateIn,
    DeviceSpan<sbyte> x, DeviceSpan<sbyte> bOut, DeviceSpan<sbyte> cOut, DeviceSpan<sbyte> stateOut, int length);
public delegate void Mamba2ConvStepEmulate(LaunchConfig config, ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
    ReadOnlyDeviceSpan<float> dequantScales, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales, DeviceSpan<sbyte> state, DeviceSpan<sbyte> x, DeviceSpan<sbyte> bOut, DeviceSpan<sbyte> cOut);
public delegate void Mamba2ConvStepLaunch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<sbyte> input, int inputStride, ReadOnlyDeviceSpan<sbyte> weight, ReadOnlyDeviceSpan<float> bias,
    ReadOnlyDeviceSpan<float> dequantScales, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales, DeviceSpan<sbyte> state, DeviceSpan<sbyte> x, DeviceSpan<sbyte> bOut, DeviceSpan<sbyte> cOut);

/// <summary>
/// Mamba1 causal conv (prefill and decode step) against <see cref="CausalConv1dReference"/>. The input is read with
/// in_proj's row stride (2E: x then z), the initial state is non-zero, and the sequence crosses a time-chunk boundary.
/// Emulator: exact (same operations as the reference). GPU: codes within 1 (SiLU's exp is ex2.approx there).
/// </summary>
public sealed class Mamba1ConvCase<TShape> : KernelCase where TShape : IMamba1Shape
{
    private readonly int _batch, _length;
    private readonly bool _step;
    private readonly sbyte[] _input, _weight, _state;
    private readonly float[] _bias;
    private const float Dequant = 1.5e-4f, OutScale = 0.03f;
    private readonly Delegate _emulate, _launch;

    private Mamba1ConvCase(bool step, int batch, int length, Delegate emulate, Delegate launch)
    {
        _step = step;
        _batch = batch;
        _length = length;
        _emulate = emulate;
        _launch = launch;
        int e = TShape.InnerDim, k = TShape.ConvWidth;
        _input = MambaInputs.Codes(300 + e + length, batch * length * 2 * e);
        _weight = MambaInputs.Codes(301 + e, e * k);
        _state = MambaInputs.Codes(302 + e, batch * (k - 1) * e);
        _bias = MambaInputs.Floats(303 + e, e, -0.5f, 0.5f);
    }

    public static Mamba1ConvCase<TShape> Prefill(Mamba1ConvPrefillEmulate emulate, Mamba1ConvPrefillLaunch launch, int batch, int length) => new(false, batch, length, emulate, launch);

    public static Mamba1ConvCase<TShape> Step(Mamba1ConvStepEmulate emulate, Mamba1ConvStepLaunch launch, int batch) => new(true, batch, 1, emulate, launch);

    public override string Name => $"Mamba.Mamba1Conv{(_step ? "Step" : "Prefill")}<{typeof(TShape).Name}>";
    public override string Kernel => $"CausalConv1dKernels.Mamba1Conv{(_step ? "Step" : "Prefill")}<{typeof(TShape).Name}>";
    public override Tolerance Tolerance => new(0, 0, Codes: 1);
    public override Tolerance EmulatorTolerance => Tolerance.Exact;

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var (output, state) = CausalConv1dReference.Prefill(_input, 2 * TShape.InnerDim, _batch, _length, TShape.InnerDim, TShape.ConvWidth, _weight, _bias, _ => Dequant, _ => OutScale, _state);
        return [CaseOutput.Of("output", output), CaseOutput.Of("state", state)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        int e = TShape.InnerDim, stride = 2 * e;
        var input = r.Upload<sbyte>(_input);
        var weight = r.Upload<sbyte>(_weight);
        var bias = r.Upload<float>(_bias);
        var output = r.Allocate<sbyte>(_batch * _length * e);
        if (_step)
        {
            var state = r.Upload<sbyte>(_state);
            var emulate = (Mamba1ConvStepEmulate)_emulate;
            var launch = (Mamba1ConvStepLaunch)_launch;
            r.Launch(CausalConv1dKernels.StepLaunch(e, _batch), c => emulate(c, input, stride, weight, bias, Dequant, OutScale, state, output),
                (s, c) => launch(s, c, input, stride, weight, bias, Dequant, OutScale, state, output));
            return [CaseOutput.Of("output", r.Download(output)), CaseOutput.Of("state", r.Download(state))];
        }
        var stateIn = r.Upload<sbyte>(_state);
        var stateOut = r.Allocate<sbyte>(_state.Length);
        var pe = (Mamba1ConvPrefillEmulate)_emulate;
        var pl = (Mamba1ConvPrefillLaunch)_launch;
        r.Launch(CausalConv1dKernels.PrefillLaunch(e, _length, _batch), c => pe(c, input, stride, weight, bias, Dequant, OutScale, stateIn, output, stateOut, _length),
            (s, c) => pl(s, c, input, stride, weight, bias, Dequant, OutScale, stateIn, output, stateOut, _length));
        return [CaseOutput.Of("output", r.Download(output)), CaseOutput.Of("state", r.Download(stateOut))];
    }
}

/// <summary>
/// Mamba2 causal conv over [x | B | C] read from in_proj's output rows ([z | xBC | dt]), split and requantized
/// with x's cross-head scales and B's/C's per-state-group scales. Emulator exact; GPU codes within 1.
/// </summary>
public sealed class Mamba2ConvCase<TShape> : KernelCase where TShape : IMamba2Shape
{
    private readonly int _batch, _length;
    private readonly bool _step;
    private readonly sbyte[] _input, _weight, _state;
    private readonly float[] _bias, _dequant, _bScales, _cScales;
    private readonly ClusterTable _table;
    private readonly Delegate _emulate, _launch;

    private static int Channels => CausalConv1dKernels.Mamba2Channels<TShape>();
    private static int GroupWidth => TShape.StateGroups * TShape.StateDim;
    private static int InProjWidth => 2 * TShape.InnerDim + 2 * GroupWidth + TShape.Heads;

    private Mamba2ConvCase(bool step, int batch, int length, Delegate emulate, Delegate launch)
    {
        _step = step;
        _batch = batch;
        _length = length;
        _emulate = emulate;
        _launch = launch;
        int e = TShape.InnerDim, k = TShape.ConvWidth;
        _input = MambaInputs.Codes(400 + e + length, batch * length * InProjWidth);
        _weight = MambaInputs.Codes(401 + e, Channels * k);
        _state = MambaInputs.Codes(402 + e, batch * (k - 1) * Channels);
        _bias = MambaInputs.Floats(403 + e, Channels, -0.5f, 0.5f);
        _dequant = [1.5e-4f, 1.1e-4f, 1.3e-4f];
        _table = ClusterTable.Create(404 + e, TShape.Heads, TShape.HeadDim, TShape.StateGroups, TShape.HeadGroups, TShape.DimGroups, 0.01f, 0.05f);
        _bScales = MambaInputs.Floats(405 + e, TShape.StateGroups, 0.02f, 0.04f);
        _cScales = MambaInputs.Floats(406 + e, TShape.StateGroups, 0.02f, 0.04f);
    }

    public static Mamba2ConvCase<TShape> Prefill(Mamba2ConvPrefillEmulate emulate, Mamba2ConvPrefillLaunch launch, int batch, int length) => new(false, batch, length, emulate, launch);

    public static Mamba2ConvCase<TShape> Step(Mamba2ConvStepEmulate emulate, Mamba2ConvStepLaunch launch, int batch) => new(true, batch, 1, emulate, launch);

    public override string Name => $"Mamba.Mamba2Conv{(_step ? "Step" : "Prefill")}<{typeof(TShape).Name}>";
    public override string Kernel => $"CausalConv1dKernels.Mamba2Conv{(_step ? "Step" : "Prefill")}<{typeof(TShape).Name}>";
    public override Tolerance Tolerance => new(0, 0, Codes: 1);
    public override Tolerance EmulatorTolerance => Tolerance.Exact;

    public override IReadOnlyList<CaseOutput> Expected()
    {
        int e = TShape.InnerDim;
        int Segment(int c) => c < e ? 0 : c < e + GroupWidth ? 1 : 2;
        float OutScale(int c) => Segment(c) switch
        {
            0 => _table.Scales[ClusteredQuantizationReference.ScaleIndex(TShape.Heads, TShape.StateGroups, TShape.HeadGroups, TShape.DimGroups, _table.HeadGroupOfHead, _table.DimGroupBoundaries, c / TShape.HeadDim, c % TShape.HeadDim)],
            1 => _bScales[(c - e) / TShape.StateDim],
            _ => _cScales[(c - e - GroupWidth) / TShape.StateDim],
        };
        // xBC starts at column E of in_proj's rows.
        var xbcInput = _input.AsSpan(e).ToArray();
        var (output, state) = CausalConv1dReference.Prefill(xbcInput, InProjWidth, _batch, _length, Channels, TShape.ConvWidth, _weight, _bias, c => _dequant[Segment(c)], OutScale, _state);
        var (x, b, cc) = CausalConv1dReference.SplitXbc(output, _batch * _length, e, GroupWidth);
        return [CaseOutput.Of("x", x), CaseOutput.Of("B", b), CaseOutput.Of("C", cc), CaseOutput.Of("state", state)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        int e = TShape.InnerDim, rows = _batch * _length;
        var inProj = r.Upload<sbyte>(_input);
        var input = inProj.Slice(e);
        var weight = r.Upload<sbyte>(_weight);
        var bias = r.Upload<float>(_bias);
        var dequant = r.Upload<float>(_dequant);
        var hg = r.Upload<int>(_table.HeadGroupOfHead);
        var bounds = r.Upload<int>(_table.DimGroupBoundaries);
        var xScales = r.Upload<float>(_table.Scales);
        var bScales = r.Upload<float>(_bScales);
        var cScales = r.Upload<float>(_cScales);
        var x = r.Allocate<sbyte>(rows * e);
        var b = r.Allocate<sbyte>(rows * GroupWidth);
        var c = r.Allocate<sbyte>(rows * GroupWidth);
        if (_step)
        {
            var state = r.Upload<sbyte>(_state);
            var se = (Mamba2ConvStepEmulate)_emulate;
            var sl = (Mamba2ConvStepLaunch)_launch;
            r.Launch(CausalConv1dKernels.StepLaunch(Channels, _batch), cfg => se(cfg, input, InProjWidth, weight, bias, dequant, hg, bounds, xScales, bScales, cScales, state, x, b, c),
                (s, cfg) => sl(s, cfg, input, InProjWidth, weight, bias, dequant, hg, bounds, xScales, bScales, cScales, state, x, b, c));
            return [CaseOutput.Of("x", r.Download(x)), CaseOutput.Of("B", r.Download(b)), CaseOutput.Of("C", r.Download(c)), CaseOutput.Of("state", r.Download(state))];
        }
        var stateIn = r.Upload<sbyte>(_state);
        var stateOut = r.Allocate<sbyte>(_state.Length);
        var pe = (Mamba2ConvPrefillEmulate)_emulate;
        var pl = (Mamba2ConvPrefillLaunch)_launch;
        r.Launch(CausalConv1dKernels.PrefillLaunch(Channels, _length, _batch), cfg => pe(cfg, input, InProjWidth, weight, bias, dequant, hg, bounds, xScales, bScales, cScales, stateIn, x, b, c, stateOut, _length),
            (s, cfg) => pl(s, cfg, input, InProjWidth, weight, bias, dequant, hg, bounds, xScales, bScales, cScales, stateIn, x, b, c, stateOut, _length));
        return [CaseOutput.Of("x", r.Download(x)), CaseOutput.Of("B", r.Download(b)), CaseOutput.Of("C", r.Download(c)), CaseOutput.Of("state", r.Download(stateOut))];
    }
}

/// <summary>Cross-head quantization of x and per-state-group quantization of B/C against the reference: exact everywhere.</summary>
public sealed class ClusteredQuantizeCase<TShape> : KernelCase where TShape : IMamba2Shape
{
    private const int Tokens = 3;
    private readonly float[] _x, _bc, _bcScales;
    private readonly ClusterTable _table;
    private readonly Action<LaunchConfig, ReadOnlyDeviceSpan<float>, ReadOnlyDeviceSpan<int>, ReadOnlyDeviceSpan<int>, ReadOnlyDeviceSpan<float>, DeviceSpan<sbyte>> _emulateX;
    private readonly Action<CudaStream, LaunchConfig, ReadOnlyDeviceSpan<float>, ReadOnlyDeviceSpan<int>, ReadOnlyDeviceSpan<int>, ReadOnlyDeviceSpan<float>, DeviceSpan<sbyte>> _launchX;
    private readonly Action<LaunchConfig, ReadOnlyDeviceSpan<float>, ReadOnlyDeviceSpan<float>, DeviceSpan<sbyte>> _emulateBc;
    private readonly Action<CudaStream, LaunchConfig, ReadOnlyDeviceSpan<float>, ReadOnlyDeviceSpan<float>, DeviceSpan<sbyte>> _launchBc;

    public ClusteredQuantizeCase(
        Action<LaunchConfig, ReadOnlyDeviceSpan<float>, ReadOnlyDeviceSpan<int>, ReadOnlyDeviceSpan<int>, ReadOnlyDeviceSpan<float>, DeviceSpan<sbyte>> emulateX,
        Action<CudaStream, LaunchConfig, ReadOnlyDeviceSpan<float>, ReadOnlyDeviceSpan<int>, ReadOnlyDeviceSpan<int>, ReadOnlyDeviceSpan<float>, DeviceSpan<sbyte>> launchX,
        Action<LaunchConfig, ReadOnlyDeviceSpan<float>, ReadOnlyDeviceSpan<float>, DeviceSpan<sbyte>> emulateBc,
        Action<CudaStream, LaunchConfig, ReadOnlyDeviceSpan<float>, ReadOnlyDeviceSpan<float>, DeviceSpan<sbyte>> launchBc)
    {
        (_emulateX, _launchX, _emulateBc, _launchBc) = (emulateX, launchX, emulateBc, launchBc);
        _x = MambaInputs.Activations(500 + TShape.InnerDim, Tokens * TShape.InnerDim);
        _bc = MambaInputs.Activations(501 + TShape.InnerDim, Tokens * TShape.StateGroups * TShape.StateDim);
        _table = ClusterTable.Create(502 + TShape.InnerDim, TShape.Heads, TShape.HeadDim, TShape.StateGroups, TShape.HeadGroups, TShape.DimGroups, 0.01f, 0.05f);
        _bcScales = MambaInputs.Floats(503, TShape.StateGroups, 0.01f, 0.03f);
    }

    public override string Name => $"Mamba.ClusteredQuantize<{typeof(TShape).Name}>";
    public override string Kernel => $"ClusteredQuantization.QuantizeX/QuantizeStateGroups<{typeof(TShape).Name}>";

    public override IReadOnlyList<CaseOutput> Expected() =>
    [
        CaseOutput.Of("x", ClusteredQuantizationReference.QuantizeX(_x, TShape.Heads, TShape.HeadDim, TShape.StateGroups, TShape.HeadGroups, TShape.DimGroups, _table.HeadGroupOfHead, _table.DimGroupBoundaries, _table.Scales)),
        CaseOutput.Of("bc", ClusteredQuantizationReference.QuantizeStateGroups(_bc, TShape.StateGroups, TShape.StateDim, _bcScales)),
    ];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var x = r.Upload<float>(_x);
        var bc = r.Upload<float>(_bc);
        var hg = r.Upload<int>(_table.HeadGroupOfHead);
        var bounds = r.Upload<int>(_table.DimGroupBoundaries);
        var scales = r.Upload<float>(_table.Scales);
        var bcScales = r.Upload<float>(_bcScales);
        var xq = r.Allocate<sbyte>(_x.Length);
        var bcq = r.Allocate<sbyte>(_bc.Length);
        r.Launch(ClusteredQuantization.Launch(Tokens), c => _emulateX(c, x, hg, bounds, scales, xq), (s, c) => _launchX(s, c, x, hg, bounds, scales, xq));
        r.Launch(ClusteredQuantization.Launch(Tokens), c => _emulateBc(c, bc, bcScales, bcq), (s, c) => _launchBc(s, c, bc, bcScales, bcq));
        return [CaseOutput.Of("x", r.Download(xq)), CaseOutput.Of("bc", r.Download(bcq))];
    }
}
