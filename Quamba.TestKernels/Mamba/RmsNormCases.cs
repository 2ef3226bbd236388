using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

public delegate void ResidualRmsNormQuantizeEmulate(LaunchConfig config, DeviceSpan<float> residual, ReadOnlyDeviceSpan<float> delta, bool addDelta, ReadOnlyDeviceSpan<float> weight, float eps, float scale, DeviceSpan<sbyte> output);
public delegate void ResidualRmsNormQuantizeLaunch(CudaStream stream, LaunchConfig config, DeviceSpan<float> residual, ReadOnlyDeviceSpan<float> delta, bool addDelta, ReadOnlyDeviceSpan<float> weight, float eps, float scale, DeviceSpan<sbyte> output);
public delegate void ResidualRmsNormEmulate(LaunchConfig config, DeviceSpan<float> residual, ReadOnlyDeviceSpan<float> delta, bool addDelta, ReadOnlyDeviceSpan<float> weight, float eps, DeviceSpan<float> output);
public delegate void ResidualRmsNormLaunch(CudaStream stream, LaunchConfig config, DeviceSpan<float> residual, ReadOnlyDeviceSpan<float> delta, bool addDelta, ReadOnlyDeviceSpan<float> weight, float eps, DeviceSpan<float> output);
public delegate void GatedRmsNormEmulate(LaunchConfig config, ReadOnlyDeviceSpan<float> y, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale, ReadOnlyDeviceSpan<float> weight, float eps, DeviceSpan<float> output);
public delegate void GatedRmsNormLaunch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<float> y, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale, ReadOnlyDeviceSpan<float> weight, float eps, DeviceSpan<float> output);

/// <summary>
/// Residual add + RMSNorm: with int8 codes (residual updated in place) and, on other rows, the float output without
/// an add (the float variant alone where a kernel set has no int8 layer: pass null quantize delegates); launched with the
/// throughput thread count, or with <c>decode</c> the single-row one. The residual is exact; floats within 2e-6 relative; codes within 1 (the block sums squares in another
/// order than the reference, which sums in double), and MambaKernelEmulatorTests checks such codes stay rare.
/// </summary>
public sealed class ResidualRmsNormCase<TShape> : KernelCase where TShape : IRowShape
{
    private const float Eps = 1e-5f;
    private readonly int Rows;
    private readonly bool _decode;
    private readonly float[] _residual, _delta, _weight;
    private readonly float _scale;
    private readonly ResidualRmsNormQuantizeEmulate? _qe;
    private readonly ResidualRmsNormQuantizeLaunch? _ql;
    private readonly ResidualRmsNormEmulate _fe;
    private readonly ResidualRmsNormLaunch _fl;

    public ResidualRmsNormCase(ResidualRmsNormQuantizeEmulate? qe, ResidualRmsNormQuantizeLaunch? ql, ResidualRmsNormEmulate fe, ResidualRmsNormLaunch fl, int rows = 4, bool decode = false)
    {
        (_qe, _ql, _fe, _fl) = (qe, ql, fe, fl);
        Rows = rows;
        _decode = decode;
        _residual = MambaInputs.Activations(700 + TShape.Width, Rows * TShape.Width);
        _delta = MambaInputs.Activations(701 + TShape.Width, Rows * TShape.Width, outlierEvery: 1000);
        _weight = MambaInputs.Floats(702 + TShape.Width, TShape.Width, 0.5f, 1.5f);
        _scale = 0.6f * MambaInputs.AbsMax(RmsNormReference.ResidualRmsNorm(_residual, _delta, _weight, Eps).Y) / 127f;
    }

    public override string Name => $"Mamba.ResidualRmsNorm<{typeof(TShape).Name}>" + (_decode ? " decode" : "");
    public override string Kernel => $"RmsNormKernels.{(Quantizes ? "ResidualRmsNormQuantize/" : "")}ResidualRmsNorm<{typeof(TShape).Name}>";
    public override Tolerance Tolerance => new(0, 2e-6, Codes: 1);

    private bool Quantizes => _qe is not null && _ql is not null;

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var (_, y) = RmsNormReference.ResidualRmsNorm(_delta, null, _weight, Eps);
        if (!Quantizes) return [CaseOutput.Of("y", y)];
        var (residual, codes) = RmsNormReference.ResidualRmsNormQuantize(_residual, _delta, _weight, Eps, _scale);
        return [CaseOutput.Of("residual", residual), CaseOutput.Of("codes", codes), CaseOutput.Of("y", y)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var residual = r.Upload<float>(_residual);
        var delta = r.Upload<float>(_delta);
        var weight = r.Upload<float>(_weight);
        var codes = r.Allocate<sbyte>(_residual.Length);
        var y = r.Allocate<float>(_residual.Length);
        var launch = RmsNormKernels.Launch<TShape>(Rows, _decode);
        if (Quantizes) r.Launch(launch, c => _qe!(c, residual, delta, true, weight, Eps, _scale, codes), (s, c) => _ql!(s, c, residual, delta, true, weight, Eps, _scale, codes));
        // The float variant without an add, normalising delta in place of a residual (it is left unchanged).
        r.Launch(launch, c => _fe(c, delta, residual, false, weight, Eps, y), (s, c) => _fl(s, c, delta, residual, false, weight, Eps, y));
        if (!Quantizes) return [CaseOutput.Of("y", r.Download(y))];
        return [CaseOutput.Of("residual", r.Download(residual)), CaseOutput.Of("codes", r.Download(codes)), CaseOutput.Of("y", r.Download(y))];
    }
}

/// <summary>
/// Mamba2's gated RMSNorm with z read from in_proj's rows; within 1e-5 + 1e-5 relative (GPU: SiLU's exp approximated);
/// throughput or (<c>decode</c>) single-row thread count.
/// </summary>
public sealed class GatedRmsNormCase<TShape> : KernelCase where TShape : IMamba2Shape
{
    private const float Eps = 1e-5f, ZScale = 0.03f;
    private readonly int Rows;
    private readonly bool _decode;
    private readonly float[] _y, _weight;
    private readonly sbyte[] _inProj;
    private readonly GatedRmsNormEmulate _emulate;
    private readonly GatedRmsNormLaunch _launch;
    private static int InProjWidth => 2 * TShape.InnerDim + 2 * TShape.StateGroups * TShape.StateDim + TShape.Heads;

    public GatedRmsNormCase(GatedRmsNormEmulate emulate, GatedRmsNormLaunch launch, int rows = 3, bool decode = false)
    {
        (_emulate, _launch) = (emulate, launch);
        Rows = rows;
        _decode = decode;
        _y = MambaInputs.Activations(750 + TShape.InnerDim, Rows * TShape.InnerDim);
        _inProj = MambaInputs.Codes(751 + TShape.InnerDim, Rows * InProjWidth);
        _weight = MambaInputs.Floats(752 + TShape.InnerDim, TShape.InnerDim, 0.5f, 1.5f);
    }

    public override string Name => $"Mamba.GatedRmsNorm<{typeof(TShape).Name}>" + (_decode ? " decode" : "");
    public override string Kernel => $"RmsNormKernels.GatedRmsNorm<{typeof(TShape).Name}>";
    public override Tolerance Tolerance => new(1e-5, 1e-5);

    public override IReadOnlyList<CaseOutput> Expected() =>
        [CaseOutput.Of("y", RmsNormReference.GatedRmsNorm(_y, _inProj, InProjWidth, ZScale, _weight, TShape.StateGroups, Eps))];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var y = r.Upload<float>(_y);
        var z = r.Upload<sbyte>(_inProj);
        var weight = r.Upload<float>(_weight);
        var output = r.Allocate<float>(_y.Length);
        r.Launch(RmsNormKernels.GatedLaunch<TShape>(Rows, _decode), c => _emulate(c, y, z, InProjWidth, ZScale, weight, Eps, output), (s, c) => _launch(s, c, y, z, InProjWidth, ZScale, weight, Eps, output));
        return [CaseOutput.Of("y", r.Download(output))];
    }
}
