using Quamba.Kernels;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

/// <summary>
/// Mamba2 SSD cases: the chunked prefill (on the tiny shapes several steps of 32 tokens, the last one partial; non-zero
/// initial state) and the decode step against the token-by-token recurrence of <see cref="Mamba2SsdReference"/>, dt
/// read from in_proj's rows, the state stored as <typeparamref name="TState"/> (int8: scales [G, HG, DG, N] through x's
/// group tables). The chunked form reassociates the sums (decays as exp of cumulative-sum differences, C . B as one dot
/// product), and the step sums over n across lanes, so y and an fp32 state agree within 2e-4 + 2e-4 |expected| (values
/// are of order 1-10), and a stored fp16 or int8 state may land one unit (fp16 ulp, int8 code) away where the float
/// state sits at a rounding boundary. The same holds on the GPU, where exp is ex2.approx.
/// </summary>
public abstract class Mamba2SsdCaseBase<TShape, TState> : SsmScanCase<TState>
    where TShape : IMamba2Shape
    where TState : unmanaged, ISsmState<TState>
{
    protected Mamba2SsdCaseBase(bool step, int batch, int length, int seed)
        : base(step, batch, length, MambaInputs.Floats(seed + 9, batch * TShape.Heads * TShape.HeadDim * TShape.StateDim, -0.5f, 0.5f))
    {
        Table = ClusterTable.Create(seed + 4, TShape.Heads, TShape.HeadDim, TShape.StateGroups, TShape.HeadGroups, TShape.DimGroups, 0.005f, 0.02f);
        DtBias = MambaInputs.Floats(seed + 7, TShape.Heads, -4f, -1f);
        A = Enumerable.Range(0, TShape.Heads).Select(h => -(1f + h % 8)).ToArray();
        D = MambaInputs.Floats(seed + 8, TShape.Heads, 0.5f, 1.5f);
    }

    protected static int GroupWidth => TShape.StateGroups * TShape.StateDim;
    protected static int InProjWidth => 2 * TShape.InnerDim + 2 * GroupWidth + TShape.Heads;
    protected static int DtOffset => 2 * TShape.InnerDim + 2 * GroupWidth;
    private protected ClusterTable Table { get; }
    protected float[] DtBias { get; }
    protected float[] A { get; }
    protected float[] D { get; }

    /// <summary>"" for the A8 kernels, "A16" for the fp16-activation ones.</summary>
    protected abstract string Variant { get; }

    public override string Name => $"Mamba.Mamba2Ssd{Phase}{Variant}<{typeof(TShape).Name},{StateName}>";
    public override string Kernel => $"Mamba2SsdKernels.Mamba2Ssd{Phase}{Variant}<{typeof(TShape).Name},{StateName}>";
    public override int MinimumSm => IsStep ? 52 : 70;
    public override Tolerance Tolerance => new(2e-4, 2e-4, StateCodes);
    protected override int ScaleCount => TShape.StateGroups * TShape.HeadGroups * TShape.DimGroups * TShape.StateDim;

    protected override int ScaleIndexOf(int element)
    {
        int n = element % TShape.StateDim, p = element / TShape.StateDim % TShape.HeadDim, h = element / (TShape.StateDim * TShape.HeadDim) % TShape.Heads;
        return GroupOf(h, p) * TShape.StateDim + n;
    }

    /// <summary>x's scale group of channel p of head h (also the int8 state's, times N).</summary>
    protected int GroupOf(int h, int p) =>
        ClusteredQuantizationReference.ScaleIndex(TShape.Heads, TShape.StateGroups, TShape.HeadGroups, TShape.DimGroups, Table.HeadGroupOfHead, Table.DimGroupBoundaries, h, p);

    /// <summary>What every SSD kernel takes besides its activations: the group tables, dt bias, A, D; y and the state result.</summary>
    private protected sealed record Buffers(DeviceSpan<int> HeadGroups, DeviceSpan<int> Bounds, DeviceSpan<float> DtBias, DeviceSpan<float> A, DeviceSpan<float> D,
        DeviceSpan<float> Y, DeviceSpan<TState> State);

    /// <summary>Uploads them; the state result is the prefill's output buffer (other than the input) or the step's state itself.</summary>
    private protected Buffers Upload(IKernelRunner r, DeviceSpan<TState> state) => new(r.Upload<int>(Table.HeadGroupOfHead), r.Upload<int>(Table.DimGroupBoundaries),
        r.Upload<float>(DtBias), r.Upload<float>(A), r.Upload<float>(D), r.Allocate<float>(Batch * Length * TShape.InnerDim),
        IsStep ? state : r.Allocate<TState>(state.Length));
}

/// <summary>The A8 SSD: codes with Quamba2's grouped scales.</summary>
public sealed class Mamba2SsdCase<TShape, TState> : Mamba2SsdCaseBase<TShape, TState>
    where TShape : IMamba2Shape
    where TState : unmanaged, ISsmState<TState>
{
    private const float DtScale = 0.02f;
    private readonly sbyte[] _x, _b, _c, _inProj;
    private readonly float[] _bScales, _cScales;
    private readonly Delegate _emulate, _launch;

    private Mamba2SsdCase(bool step, int batch, int length, Delegate emulate, Delegate launch) : base(step, batch, length, 800 + TShape.InnerDim + length)
    {
        (_emulate, _launch) = (emulate, launch);
        int rows = batch * length, seed = 800 + TShape.InnerDim + length;
        _x = MambaInputs.Codes(seed, rows * TShape.InnerDim);
        _b = MambaInputs.Codes(seed + 1, rows * GroupWidth);
        _c = MambaInputs.Codes(seed + 2, rows * GroupWidth);
        _inProj = MambaInputs.Codes(seed + 3, rows * InProjWidth);
        _bScales = MambaInputs.Floats(seed + 5, TShape.StateGroups, 0.01f, 0.02f);
        _cScales = MambaInputs.Floats(seed + 6, TShape.StateGroups, 0.01f, 0.02f);
    }

    public static Mamba2SsdCase<TShape, TState> Prefill(Mamba2SsdPrefillEmulate<TState> emulate, Mamba2SsdPrefillLaunch<TState> launch, int batch, int length) =>
        new(false, batch, length, emulate, launch);

    public static Mamba2SsdCase<TShape, TState> Step(Mamba2SsdStepEmulate<TState> emulate, Mamba2SsdStepLaunch<TState> launch, int batch) =>
        new(true, batch, 1, emulate, launch);

    protected override string Variant => "";

    protected override (float[] Y, float[] State) Reference(float[] stateIn) =>
        Mamba2SsdReference.Scan(Batch, Length, TShape.Heads, TShape.HeadDim, TShape.StateDim, TShape.StateGroups, _x, (h, p) => Table.Scales[GroupOf(h, p)],
            _b, _c, _bScales, _cScales, _inProj.AsSpan(DtOffset).ToArray(), InProjWidth, DtScale, DtBias, A, D, stateIn);

    protected override (DeviceSpan<float> Y, DeviceSpan<TState> State) Launch(IKernelRunner r, DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> scales)
    {
        var x = r.Upload<sbyte>(_x);
        var xScales = r.Upload<float>(Table.Scales);
        var b = r.Upload<sbyte>(_b);
        var c = r.Upload<sbyte>(_c);
        var bScales = r.Upload<float>(_bScales);
        var cScales = r.Upload<float>(_cScales);
        var dt = r.Upload<sbyte>(_inProj).Slice(DtOffset);
        var (hg, bounds, dtBias, a, d, y, result) = Upload(r, state);
        if (IsStep)
        {
            var se = (Mamba2SsdStepEmulate<TState>)_emulate;
            var sl = (Mamba2SsdStepLaunch<TState>)_launch;
            r.Launch(Mamba2SsdKernels.StepLaunch<TShape>(Batch),
                cfg => se(cfg, x, hg, bounds, xScales, b, c, bScales, cScales, dt, InProjWidth, DtScale, dtBias, a, d, state, scales, y),
                (s, cfg) => sl(s, cfg, x, hg, bounds, xScales, b, c, bScales, cScales, dt, InProjWidth, DtScale, dtBias, a, d, state, scales, y));
            return (y, result);
        }
        var b4 = new ReadOnlyDeviceSpan<Int4>(b.Pointer, b.Length / 16);
        var c4 = new ReadOnlyDeviceSpan<Int4>(c.Pointer, c.Length / 16);
        var pe = (Mamba2SsdPrefillEmulate<TState>)_emulate;
        var pl = (Mamba2SsdPrefillLaunch<TState>)_launch;
        r.Launch(Mamba2SsdKernels.PrefillLaunch<TShape>(Batch),
            cfg => pe(cfg, x, hg, bounds, xScales, b4, c4, bScales, cScales, dt, InProjWidth, DtScale, dtBias, a, d, state, scales, y, result, Length),
            (s, cfg) => pl(s, cfg, x, hg, bounds, xScales, b4, c4, bScales, cScales, dt, InProjWidth, DtScale, dtBias, a, d, state, scales, y, result, Length));
        return (y, result);
    }
}

/// <summary>The A16 SSD: fp16 x, B, C and dt (ranges like the A8 cases' dequantized codes).</summary>
public sealed class Mamba2SsdA16Case<TShape, TState> : Mamba2SsdCaseBase<TShape, TState>
    where TShape : IMamba2Shape
    where TState : unmanaged, ISsmState<TState>
{
    private readonly Half[] _x, _b, _c, _inProj;
    private readonly Delegate _emulate, _launch;

    private Mamba2SsdA16Case(bool step, int batch, int length, Delegate emulate, Delegate launch) : base(step, batch, length, 900 + TShape.InnerDim + length)
    {
        (_emulate, _launch) = (emulate, launch);
        int rows = batch * length, seed = 900 + TShape.InnerDim + length;
        _x = MambaInputs.Halves(seed, rows * TShape.InnerDim, -2f, 2f);
        _b = MambaInputs.Halves(seed + 1, rows * GroupWidth, -2f, 2f);
        _c = MambaInputs.Halves(seed + 2, rows * GroupWidth, -2f, 2f);
        _inProj = MambaInputs.Halves(seed + 3, rows * InProjWidth, -2.5f, 2.5f);
    }

    public static Mamba2SsdA16Case<TShape, TState> Prefill(Mamba2SsdPrefillA16Emulate<TState> emulate, Mamba2SsdPrefillA16Launch<TState> launch, int batch, int length) =>
        new(false, batch, length, emulate, launch);

    public static Mamba2SsdA16Case<TShape, TState> Step(Mamba2SsdStepA16Emulate<TState> emulate, Mamba2SsdStepA16Launch<TState> launch, int batch) =>
        new(true, batch, 1, emulate, launch);

    protected override string Variant => "A16";

    protected override (float[] Y, float[] State) Reference(float[] stateIn) =>
        Mamba2SsdReference.Scan(Batch, Length, TShape.Heads, TShape.HeadDim, TShape.StateDim, TShape.StateGroups, _x, _b, _c,
            _inProj.AsSpan(DtOffset).ToArray(), InProjWidth, DtBias, A, D, stateIn);

    protected override (DeviceSpan<float> Y, DeviceSpan<TState> State) Launch(IKernelRunner r, DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> scales)
    {
        var x = r.Upload<Half>(_x);
        var b = r.Upload<Half>(_b);
        var c = r.Upload<Half>(_c);
        var dt = r.Upload<Half>(_inProj).Slice(DtOffset);
        var (hg, bounds, dtBias, a, d, y, result) = Upload(r, state);
        if (IsStep)
        {
            var se = (Mamba2SsdStepA16Emulate<TState>)_emulate;
            var sl = (Mamba2SsdStepA16Launch<TState>)_launch;
            r.Launch(Mamba2SsdKernels.StepLaunch<TShape>(Batch),
                cfg => se(cfg, x, hg, bounds, b, c, dt, InProjWidth, dtBias, a, d, state, scales, y),
                (s, cfg) => sl(s, cfg, x, hg, bounds, b, c, dt, InProjWidth, dtBias, a, d, state, scales, y));
            return (y, result);
        }
        var pe = (Mamba2SsdPrefillA16Emulate<TState>)_emulate;
        var pl = (Mamba2SsdPrefillA16Launch<TState>)_launch;
        r.Launch(Mamba2SsdKernels.PrefillA16Launch<TShape>(Batch),
            cfg => pe(cfg, x, hg, bounds, b, c, dt, InProjWidth, dtBias, a, d, state, scales, y, result, Length),
            (s, cfg) => pl(s, cfg, x, hg, bounds, b, c, dt, InProjWidth, dtBias, a, d, state, scales, y, result, Length));
        return (y, result);
    }
}
