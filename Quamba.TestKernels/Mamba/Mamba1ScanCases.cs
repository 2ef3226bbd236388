using Quamba.Kernels;
using Quamba.Kernels.Cuda;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

public delegate void Mamba1ScanPrefillEmulate(LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
    ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
    ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, ReadOnlyDeviceSpan<float> stateIn, DeviceSpan<float> y, DeviceSpan<float> stateOut, int length);
public delegate void Mamba1ScanPrefillLaunch(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
    ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
    ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, ReadOnlyDeviceSpan<float> stateIn, DeviceSpan<float> y, DeviceSpan<float> stateOut, int length);
public delegate void Mamba1ScanStepEmulate(LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
    ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
    ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, DeviceSpan<float> state, DeviceSpan<float> y);
public delegate void Mamba1ScanStepLaunch(CudaStream stream, LaunchConfig config,
    ReadOnlyDeviceSpan<sbyte> x, float xScale, ReadOnlyDeviceSpan<sbyte> dt, float dtScale, ReadOnlyDeviceSpan<float> dtBias,
    ReadOnlyDeviceSpan<sbyte> bc, int bcStride, float bScale, float cScale, ReadOnlyDeviceSpan<sbyte> z, int zStride, float zScale,
    ReadOnlyDeviceSpan<float> a, ReadOnlyDeviceSpan<float> d, DeviceSpan<float> state, DeviceSpan<float> y);

/// <summary>
/// Mamba1 selective scan (prefill over several time chunks, or one decode step) against <see cref="Mamba1ScanReference"/>,
/// with B/C read from x_proj's rows and z from in_proj's rows. Emulator: bit-exact (the kernel performs the
/// reference's operations in the reference's order). GPU: exp is ex2.approx, so y and the state within
/// 1e-4 + 2e-4 |expected|.
/// </summary>
public sealed class Mamba1ScanCase<TShape> : KernelCase where TShape : IMamba1Shape
{
    private const float XScale = 0.02f, DtScale = 0.02f, BScale = 0.02f, CScale = 0.025f, ZScale = 0.03f;
    private readonly bool _step;
    private readonly int _batch, _length;
    private readonly sbyte[] _x, _dt, _xProj, _inProj;
    private readonly float[] _dtBias, _a, _d, _state;
    private readonly Delegate _emulate, _launch;

    private static int E => TShape.InnerDim;
    private static int N => TShape.StateDim;
    private static int XProjWidth => TShape.DtRank + 2 * N;

    private Mamba1ScanCase(bool step, int batch, int length, Delegate emulate, Delegate launch)
    {
        (_step, _batch, _length, _emulate, _launch) = (step, batch, length, emulate, launch);
        int rows = batch * length, seed = 600 + E + length;
        _x = MambaInputs.Codes(seed, rows * E);
        _dt = MambaInputs.Codes(seed + 1, rows * E);
        _xProj = MambaInputs.Codes(seed + 2, rows * XProjWidth);
        _inProj = MambaInputs.Codes(seed + 3, rows * 2 * E);
        _dtBias = MambaInputs.Floats(seed + 4, E, -4.5f, -2f);
        _a = new float[E * N];
        for (int i = 0; i < _a.Length; i++) _a[i] = -(i % N + 1) * (0.5f + i / N % 3 * 0.25f);
        _d = MambaInputs.Floats(seed + 5, E, 0.5f, 1.5f);
        _state = MambaInputs.Floats(seed + 6, batch * E * N, -0.5f, 0.5f);
    }

    public static Mamba1ScanCase<TShape> Prefill(Mamba1ScanPrefillEmulate emulate, Mamba1ScanPrefillLaunch launch, int batch, int length) => new(false, batch, length, emulate, launch);

    public static Mamba1ScanCase<TShape> Step(Mamba1ScanStepEmulate emulate, Mamba1ScanStepLaunch launch, int batch) => new(true, batch, 1, emulate, launch);

    public override string Name => $"Mamba.Mamba1Scan{(_step ? "Step" : "Prefill")}<{typeof(TShape).Name}>";
    public override string Kernel => $"Mamba1ScanKernels.Mamba1Scan{(_step ? "Step" : "Prefill")}<{typeof(TShape).Name}>";
    public override Tolerance Tolerance => new(1e-4, 2e-4);
    public override Tolerance EmulatorTolerance => Tolerance.Exact;

    public override IReadOnlyList<CaseOutput> Expected()
    {
        var (y, state) = Mamba1ScanReference.Scan(_batch, _length, E, N, _x, XScale, _dt, DtScale, _dtBias,
            _xProj.AsSpan(TShape.DtRank).ToArray(), XProjWidth, BScale, CScale, _inProj.AsSpan(E).ToArray(), 2 * E, ZScale, _a, _d, _state);
        return [CaseOutput.Of("y", y), CaseOutput.Of("state", state)];
    }

    protected override IReadOnlyList<CaseOutput> Run(IKernelRunner r)
    {
        var x = r.Upload<sbyte>(_x);
        var dt = r.Upload<sbyte>(_dt);
        var dtBias = r.Upload<float>(_dtBias);
        var bc = r.Upload<sbyte>(_xProj).Slice(TShape.DtRank);
        var z = r.Upload<sbyte>(_inProj).Slice(E);
        var a = r.Upload<float>(_a);
        var d = r.Upload<float>(_d);
        var y = r.Allocate<float>(_batch * _length * E);
        if (_step)
        {
            var state = r.Upload<float>(_state);
            var se = (Mamba1ScanStepEmulate)_emulate;
            var sl = (Mamba1ScanStepLaunch)_launch;
            r.Launch(Mamba1ScanKernels.StepLaunch<TShape>(_batch),
                c => se(c, x, XScale, dt, DtScale, dtBias, bc, XProjWidth, BScale, CScale, z, 2 * E, ZScale, a, d, state, y),
                (s, c) => sl(s, c, x, XScale, dt, DtScale, dtBias, bc, XProjWidth, BScale, CScale, z, 2 * E, ZScale, a, d, state, y));
            return [CaseOutput.Of("y", r.Download(y)), CaseOutput.Of("state", r.Download(state))];
        }
        var stateIn = r.Upload<float>(_state);
        var stateOut = r.Allocate<float>(_state.Length);
        var pe = (Mamba1ScanPrefillEmulate)_emulate;
        var pl = (Mamba1ScanPrefillLaunch)_launch;
        r.Launch(Mamba1ScanKernels.PrefillLaunch<TShape>(_batch),
            c => pe(c, x, XScale, dt, DtScale, dtBias, bc, XProjWidth, BScale, CScale, z, 2 * E, ZScale, a, d, stateIn, y, stateOut, _length),
            (s, c) => pl(s, c, x, XScale, dt, DtScale, dtBias, bc, XProjWidth, BScale, CScale, z, 2 * E, ZScale, a, d, stateIn, y, stateOut, _length));
        return [CaseOutput.Of("y", r.Download(y)), CaseOutput.Of("state", r.Download(stateOut))];
    }
}
