using Quamba.Kernels;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

/// <summary>
/// Mamba1 selective scan cases (prefill over several time chunks, or one decode step, non-zero initial state) against
/// <see cref="Mamba1ScanReference"/>, B/C read from x_proj's rows and z from in_proj's rows, the state stored as
/// <typeparamref name="TState"/> (int8: per state index scales [N]). Emulator: bit-exact, outputs and stored state
/// (the kernel performs the reference's operations in the reference's order, and stores with the same conversion).
/// GPU: exp is ex2.approx, so y and an fp32 state within 1e-4 + 2e-4 |expected|, and an fp16 or int8 state one unit
/// (fp16 ulp, int8 code) away where the float state sits at a rounding boundary.
/// </summary>
public abstract class Mamba1ScanCaseBase<TShape, TState> : SsmScanCase<TState>
    where TShape : IMamba1Shape
    where TState : unmanaged, ISsmState<TState>
{
    protected Mamba1ScanCaseBase(bool step, int batch, int length, int seed)
        : base(step, batch, length, MambaInputs.Floats(seed + 6, batch * E * N, -0.5f, 0.5f))
    {
        DtBias = MambaInputs.Floats(seed + 4, E, -4.5f, -2f);
        A = new float[E * N];
        for (int i = 0; i < A.Length; i++) A[i] = -(i % N + 1) * (0.5f + i / N % 3 * 0.25f);
        D = MambaInputs.Floats(seed + 5, E, 0.5f, 1.5f);
    }

    protected static int E => TShape.InnerDim;
    protected static int N => TShape.StateDim;
    protected static int XProjWidth => TShape.DtRank + 2 * N;
    protected float[] DtBias { get; }
    protected float[] A { get; }
    protected float[] D { get; }

    /// <summary>"" for the A8 kernels, "A16" for the fp16-activation ones.</summary>
    protected abstract string Variant { get; }

    public override string Name => $"Mamba.Mamba1Scan{Phase}{Variant}<{typeof(TShape).Name},{StateName}>";
    public override string Kernel => $"Mamba1ScanKernels.Mamba1Scan{Phase}{Variant}<{typeof(TShape).Name},{StateName}>";
    public override Tolerance Tolerance => new(1e-4, 2e-4, StateCodes);
    public override Tolerance EmulatorTolerance => Tolerance.Exact;
    protected override int ScaleCount => N;
    protected override int ScaleIndexOf(int element) => element % N;

    /// <summary>What every scan kernel takes besides its activations: dt bias, A, D; y and the state result.</summary>
    private protected sealed record Buffers(DeviceSpan<float> DtBias, DeviceSpan<float> A, DeviceSpan<float> D, DeviceSpan<float> Y, DeviceSpan<TState> State);

    /// <summary>Uploads them; the state result is the prefill's output buffer (other than the input) or the step's state itself.</summary>
    private protected Buffers Upload(IKernelRunner r, DeviceSpan<TState> state) => new(r.Upload<float>(DtBias), r.Upload<float>(A), r.Upload<float>(D),
        r.Allocate<float>(Batch * Length * E), IsStep ? state : r.Allocate<TState>(state.Length));
}

/// <summary>The A8 scans: int8 codes with per-tensor scales.</summary>
public sealed class Mamba1ScanCase<TShape, TState> : Mamba1ScanCaseBase<TShape, TState>
    where TShape : IMamba1Shape
    where TState : unmanaged, ISsmState<TState>
{
    private const float XScale = 0.02f, DtScale = 0.02f, BScale = 0.02f, CScale = 0.025f, ZScale = 0.03f;
    private readonly sbyte[] _x, _dt, _xProj, _inProj;
    private readonly Delegate _emulate, _launch;

    private Mamba1ScanCase(bool step, int batch, int length, Delegate emulate, Delegate launch) : base(step, batch, length, 600 + E + length)
    {
        (_emulate, _launch) = (emulate, launch);
        int rows = batch * length, seed = 600 + E + length;
        _x = MambaInputs.Codes(seed, rows * E);
        _dt = MambaInputs.Codes(seed + 1, rows * E);
        _xProj = MambaInputs.Codes(seed + 2, rows * XProjWidth);
        _inProj = MambaInputs.Codes(seed + 3, rows * 2 * E);
    }

    public static Mamba1ScanCase<TShape, TState> Prefill(Mamba1ScanPrefillEmulate<TState> emulate, Mamba1ScanPrefillLaunch<TState> launch, int batch, int length) =>
        new(false, batch, length, emulate, launch);

    public static Mamba1ScanCase<TShape, TState> Step(Mamba1ScanStepEmulate<TState> emulate, Mamba1ScanStepLaunch<TState> launch, int batch) =>
        new(true, batch, 1, emulate, launch);

    protected override string Variant => "";

    protected override (float[] Y, float[] State) Reference(float[] stateIn) =>
        Mamba1ScanReference.Scan(Batch, Length, E, N, _x, XScale, _dt, DtScale, DtBias, _xProj.AsSpan(TShape.DtRank).ToArray(), XProjWidth, BScale, CScale,
            _inProj.AsSpan(E).ToArray(), 2 * E, ZScale, A, D, stateIn);

    protected override (DeviceSpan<float> Y, DeviceSpan<TState> State) Launch(IKernelRunner r, DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> scales)
    {
        var x = r.Upload<sbyte>(_x);
        var dt = r.Upload<sbyte>(_dt);
        var bc = r.Upload<sbyte>(_xProj).Slice(TShape.DtRank);
        var z = r.Upload<sbyte>(_inProj).Slice(E);
        var (dtBias, a, d, y, result) = Upload(r, state);
        if (IsStep)
        {
            var se = (Mamba1ScanStepEmulate<TState>)_emulate;
            var sl = (Mamba1ScanStepLaunch<TState>)_launch;
            r.Launch(Mamba1ScanKernels.StepLaunch<TShape>(Batch),
                c => se(c, x, XScale, dt, DtScale, dtBias, bc, XProjWidth, BScale, CScale, z, 2 * E, ZScale, a, d, state, scales, y),
                (s, c) => sl(s, c, x, XScale, dt, DtScale, dtBias, bc, XProjWidth, BScale, CScale, z, 2 * E, ZScale, a, d, state, scales, y));
            return (y, result);
        }
        var pe = (Mamba1ScanPrefillEmulate<TState>)_emulate;
        var pl = (Mamba1ScanPrefillLaunch<TState>)_launch;
        r.Launch(Mamba1ScanKernels.PrefillLaunch<TShape>(Batch),
            c => pe(c, x, XScale, dt, DtScale, dtBias, bc, XProjWidth, BScale, CScale, z, 2 * E, ZScale, a, d, state, scales, y, result, Length),
            (s, c) => pl(s, c, x, XScale, dt, DtScale, dtBias, bc, XProjWidth, BScale, CScale, z, 2 * E, ZScale, a, d, state, scales, y, result, Length));
        return (y, result);
    }
}

/// <summary>The A16 scans: fp16 activations (ranges like the A8 cases' dequantized codes).</summary>
public sealed class Mamba1ScanA16Case<TShape, TState> : Mamba1ScanCaseBase<TShape, TState>
    where TShape : IMamba1Shape
    where TState : unmanaged, ISsmState<TState>
{
    private readonly Half[] _x, _dt, _xProj, _inProj;
    private readonly Delegate _emulate, _launch;

    private Mamba1ScanA16Case(bool step, int batch, int length, Delegate emulate, Delegate launch) : base(step, batch, length, 700 + E + length)
    {
        (_emulate, _launch) = (emulate, launch);
        int rows = batch * length, seed = 700 + E + length;
        _x = MambaInputs.Halves(seed, rows * E, -2.5f, 2.5f);
        _dt = MambaInputs.Halves(seed + 1, rows * E, -2.5f, 2.5f);
        _xProj = MambaInputs.Halves(seed + 2, rows * XProjWidth, -3f, 3f);
        _inProj = MambaInputs.Halves(seed + 3, rows * 2 * E, -4f, 4f);
    }

    public static Mamba1ScanA16Case<TShape, TState> Prefill(Mamba1ScanPrefillA16Emulate<TState> emulate, Mamba1ScanPrefillA16Launch<TState> launch, int batch, int length) =>
        new(false, batch, length, emulate, launch);

    public static Mamba1ScanA16Case<TShape, TState> Step(Mamba1ScanStepA16Emulate<TState> emulate, Mamba1ScanStepA16Launch<TState> launch, int batch) =>
        new(true, batch, 1, emulate, launch);

    protected override string Variant => "A16";

    protected override (float[] Y, float[] State) Reference(float[] stateIn) =>
        Mamba1ScanReference.Scan(Batch, Length, E, N, _x, _dt, DtBias, _xProj.AsSpan(TShape.DtRank).ToArray(), XProjWidth,
            _inProj.AsSpan(E).ToArray(), 2 * E, A, D, stateIn);

    protected override (DeviceSpan<float> Y, DeviceSpan<TState> State) Launch(IKernelRunner r, DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> scales)
    {
        var x = r.Upload<Half>(_x);
        var dt = r.Upload<Half>(_dt);
        var bc = r.Upload<Half>(_xProj).Slice(TShape.DtRank);
        var z = r.Upload<Half>(_inProj).Slice(E);
        var (dtBias, a, d, y, result) = Upload(r, state);
        if (IsStep)
        {
            var se = (Mamba1ScanStepA16Emulate<TState>)_emulate;
            var sl = (Mamba1ScanStepA16Launch<TState>)_launch;
            r.Launch(Mamba1ScanKernels.StepLaunch<TShape>(Batch),
                c => se(c, x, dt, dtBias, bc, XProjWidth, z, 2 * E, a, d, state, scales, y),
                (s, c) => sl(s, c, x, dt, dtBias, bc, XProjWidth, z, 2 * E, a, d, state, scales, y));
            return (y, result);
        }
        var pe = (Mamba1ScanPrefillA16Emulate<TState>)_emulate;
        var pl = (Mamba1ScanPrefillA16Launch<TState>)_launch;
        r.Launch(Mamba1ScanKernels.PrefillLaunch<TShape>(Batch),
            c => pe(c, x, dt, dtBias, bc, XProjWidth, z, 2 * E, a, d, state, scales, y, result, Length),
            (s, c) => pl(s, c, x, dt, dtBias, bc, XProjWidth, z, 2 * E, a, d, state, scales, y, result, Length));
        return (y, result);
    }
}
