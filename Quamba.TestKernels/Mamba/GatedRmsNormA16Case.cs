using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

public delegate void GatedRmsNormA16Emulate(LaunchConfig config, ReadOnlyDeviceSpan<float> y, ReadOnlyDeviceSpan<Half> z, int zStride, ReadOnlyDeviceSpan<float> weight, float eps, DeviceSpan<float> output);
public delegate void GatedRmsNormA16Launch(CudaStream stream, LaunchConfig config, ReadOnlyDeviceSpan<float> y, ReadOnlyDeviceSpan<Half> z, int zStride, ReadOnlyDeviceSpan<float> weight, float eps, DeviceSpan<float> output);

/// <summary>
/// Mamba2's gated RMSNorm of A16 layers, z read as fp16 from in_proj's rows; within 1e-5 + 1e-5 relative, as the int8-z
/// norm (the block sums squares in another order than the reference, which sums in double; GPU: SiLU's exp approximated).
/// </summary>
public sealed class GatedRmsNormA16Case<TShape> : KernelCase where TShape : IMamba2Shape
{
    private const float Eps = 1e-5f;
    private readonly int _rows;
    private readonly float[] _y, _weight;
    private readonly Half[] _inProj;
    private readonly GatedRmsNormA16Emulate _emulate;
    private readonly GatedRmsNormA16Launch _launch;
    private static int InProjWidth => 2 * TShape.InnerDim + 2 * TShape.StateGroups * TShape.StateDim + TShape.Heads;

    public GatedRmsNormA16Case(GatedRmsNormA16Emulate emulate, GatedRmsNormA16Launch launch, int rows = 3)
    {
        (_emulate, _launch, _rows) = (emulate, launch, rows);
        _y = MambaInputs.Activations(760 + TShape.InnerDim, rows * TShape.InnerDim);
        // z spans SiLU's curved part and both tails, as the int8 case's codes * 0.03 do.
        _inProj = MambaInputs.Halves(761 + TShape.InnerDim, rows * InProjWidth, -4f, 4f);
        _weight = MambaInputs.Floats(762 + TShape.InnerDim, TShape.InnerDim, 0.5f, 1.5f);
    }

    public override string Name => $"Mamba.GatedRmsNormA16<{typeof(TShape).Name}>";
    public override string Kernel => $"RmsNormKernels.GatedRmsNormA16<{typeof(TShape).Name}>";
    public override Tolerance Tolerance => new(1e-5, 1e-5);

    public override IReadOnlyList<CaseOutput> Expected() =>
        [CaseOutput.Of("y", RmsNormReference.GatedRmsNorm(_y, _inProj, InProjWidth, _weight, TShape.StateGroups, Eps))];

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var y = r.Upload<float>(_y);
        var z = r.Upload<Half>(_inProj);
        var weight = r.Upload<float>(_weight);
        var output = r.Allocate<float>(_y.Length);
        r.Launch(RmsNormKernels.GatedLaunch<TShape>(_rows), c => _emulate(c, y, z, InProjWidth, weight, Eps, output), (s, c) => _launch(s, c, y, z, InProjWidth, weight, Eps, output));
        return [CaseOutput.Of("y", r.Download(output))];
    }
}
