using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

public delegate void Mamba2SsdPrefillEmulate(LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<Int4> bCodes, ReadOnlyDeviceSpan<Int4> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
    ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    ReadOnlyDeviceSpan<float> stateIn, DeviceSpan<float> y, DeviceSpan<float> stateOut, int length);
public delegate void Mamba2SsdPrefillLaunch(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<Int4> bCodes, ReadOnlyDeviceSpan<Int4> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
    ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    ReadOnlyDeviceSpan<float> stateIn, DeviceSpan<float> y, DeviceSpan<float> stateOut, int length);
public delegate void Mamba2SsdStepEmulate(LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<sbyte> bCodes, ReadOnlyDeviceSpan<sbyte> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
    ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    DeviceSpan<float> state, DeviceSpan<float> y);
public delegate void Mamba2SsdStepLaunch(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, ReadOnlyDeviceSpan<int> headGroupOfHead, ReadOnlyDeviceSpan<int> dimGroupBoundaries, ReadOnlyDeviceSpan<float> xScales,
    ReadOnlyDeviceSpan<sbyte> bCodes, ReadOnlyDeviceSpan<sbyte> cCodes, ReadOnlyDeviceSpan<float> bScales, ReadOnlyDeviceSpan<float> cScales,
    ReadOnlyDeviceSpan<sbyte> dt, int dtStride, float dtScale, ReadOnlyDeviceSpan<float> dtBias, ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d,
    DeviceSpan<float> state, DeviceSpan<float> y);

/// <summary>
/// Mamba2 SSD: the chunked prefill (several chunks, the last one partial, non-zero initial state) and the decode step
/// against the token-by-token recurrence of <see cref="Mamba2SsdReference"/>, dt read from in_proj's rows. The chunked
/// form reassociates the sums (decays as exp of cumulative-sum differences, C.B as exact integer dot products), so
/// y and the state agree within 2e-4 + 2e-4 |expected| (values are of order 1-10).
/// </summary>
public sealed class Mamba2SsdCase<TShape> : KernelCase where TShape : IMamba2Shape
{
    private const float DtScale = 0.02f;
    private readonly bool _step;
    private readonly int _batch, _length;
    private readonly sbyte[] _x, _b, _c, _inProj;
    private readonly float[] _bScales, _cScales, _dtBias, _a, _d, _state;
    private readonly ClusterTable _table;
    private readonly Delegate _emulate, _launch;

    private static int GroupWidth => TShape.StateGroups * TShape.StateDim;
    private static int InProjWidth => 2 * TShape.InnerDim + 2 * GroupWidth + TShape.Heads;
    private static int DtOffset => 2 * TShape.InnerDim + 2 * GroupWidth;

    private Mamba2SsdCase(bool step, int batch, int length, Delegate emulate, Delegate launch)
    {
        (_step, _batch, _length, _emulate, _launch) = (step, batch, length, emulate, launch);
        int rows = batch * length, seed = 800 + TShape.InnerDim + length;
        _x = MambaInputs.Codes(seed, rows * TShape.InnerDim);
        _b = MambaInputs.Codes(seed + 1, rows * GroupWidth);
        _c = MambaInputs.Codes(seed + 2, rows * GroupWidth);
        _inProj = MambaInputs.Codes(seed + 3, rows * InProjWidth);
        _table = ClusterTable.Create(seed + 4, TShape.Heads, TShape.HeadDim, TShape.StateGroups, TShape.HeadGroups, TShape.DimGroups, 0.005f, 0.02f);
        _bScales = MambaInputs.Floats(seed + 5, TShape.StateGroups, 0.01f, 0.02f);
        _cScales = MambaInputs.Floats(seed + 6, TShape.StateGroups, 0.01f, 0.02f);
        _dtBias = MambaInputs.Floats(seed + 7, TShape.Heads, -4f, -1f);
        _a = Enumerable.Range(0, TShape.Heads).Select(h => -(1f + h % 8)).ToArray();
        _d = MambaInputs.Floats(seed + 8, TShape.Heads, 0.5f, 1.5f);
        _state = MambaInputs.Floats(seed + 9, batch * TShape.Heads * TShape.HeadDim * TShape.StateDim, -0.5f, 0.5f);
    }

    public static Mamba2SsdCase<TShape> Prefill(Mamba2SsdPrefillEmulate emulate, Mamba2SsdPrefillLaunch launch, int batch, int length) => new(false, batch, length, emulate, launch);

    public static Mamba2SsdCase<TShape> Step(Mamba2SsdStepEmulate emulate, Mamba2SsdStepLaunch launch, int batch) => new(true, batch, 1, emulate, launch);

    public override string Name => $"Mamba.Mamba2Ssd{(_step ? "Step" : "Prefill")}<{typeof(TShape).Name}>";
    public override string Kernel => $"Mamba2SsdKernels.Mamba2Ssd{(_step ? "Step" : "Prefill")}<{typeof(TShape).Name}>";
    public override int MinimumSm => _step ? 52 : 70;
    public override Tolerance Tolerance => new(2e-4, 2e-4);

    public override IReadOnlyList<CaseOutput> Expected()
    {
        float XScale(int h, int p) => _table.Scales[ClusteredQuantizationReference.ScaleIndex(TShape.Heads, TShape.StateGroups, TShape.HeadGroups, TShape.DimGroups, _table.HeadGroupOfHead, _table.DimGroupBoundaries, h, p)];
        var (y, state) = Mamba2SsdReference.Scan(_batch, _length, TShape.Heads, TShape.HeadDim, TShape.StateDim, TShape.StateGroups, _x, XScale, _b, _c, _bScales, _cScales,
            _inProj.AsSpan(DtOffset).ToArray(), InProjWidth, DtScale, _dtBias, _a, _d, _state);
        return [CaseOutput.Of("y", y), CaseOutput.Of("state", state)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var x = r.Upload<sbyte>(_x);
        var hg = r.Upload<int>(_table.HeadGroupOfHead);
        var bounds = r.Upload<int>(_table.DimGroupBoundaries);
        var xScales = r.Upload<float>(_table.Scales);
        var b = r.Upload<sbyte>(_b);
        var c = r.Upload<sbyte>(_c);
        var bScales = r.Upload<float>(_bScales);
        var cScales = r.Upload<float>(_cScales);
        var dt = r.Upload<sbyte>(_inProj).Slice(DtOffset);
        var dtBias = r.Upload<float>(_dtBias);
        var a = r.Upload<float>(_a);
        var d = r.Upload<float>(_d);
        var y = r.Allocate<float>(_batch * _length * TShape.InnerDim);
        if (_step)
        {
            var state = r.Upload<float>(_state);
            var se = (Mamba2SsdStepEmulate)_emulate;
            var sl = (Mamba2SsdStepLaunch)_launch;
            r.Launch(Mamba2SsdKernels.StepLaunch<TShape>(_batch),
                cfg => se(cfg, x, hg, bounds, xScales, b, c, bScales, cScales, dt, InProjWidth, DtScale, dtBias, a, d, state, y),
                (s, cfg) => sl(s, cfg, x, hg, bounds, xScales, b, c, bScales, cScales, dt, InProjWidth, DtScale, dtBias, a, d, state, y));
            return [CaseOutput.Of("y", r.Download(y)), CaseOutput.Of("state", r.Download(state))];
        }
        var b4 = new ReadOnlyDeviceSpan<Int4>(b.Pointer, b.Length / 16);
        var c4 = new ReadOnlyDeviceSpan<Int4>(c.Pointer, c.Length / 16);
        var stateIn = r.Upload<float>(_state);
        var stateOut = r.Allocate<float>(_state.Length);
        var pe = (Mamba2SsdPrefillEmulate)_emulate;
        var pl = (Mamba2SsdPrefillLaunch)_launch;
        r.Launch(Mamba2SsdKernels.PrefillLaunch<TShape>(_batch),
            cfg => pe(cfg, x, hg, bounds, xScales, b4, c4, bScales, cScales, dt, InProjWidth, DtScale, dtBias, a, d, stateIn, y, stateOut, _length),
            (s, cfg) => pl(s, cfg, x, hg, bounds, xScales, b4, c4, bScales, cScales, dt, InProjWidth, DtScale, dtBias, a, d, stateIn, y, stateOut, _length));
        return [CaseOutput.Of("y", r.Download(y)), CaseOutput.Of("state", r.Download(stateOut))];
    }
}
