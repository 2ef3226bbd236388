using System.Runtime.InteropServices;
using Quamba.Kernels;
using Quamba.Kernels.Mamba;
using Quamba.TestKernels.Cases;

namespace Quamba.TestKernels.Mamba;

/// <summary>
/// What the scan and SSD cases share: the SSM state in its storage precision <typeparamref name="TState"/>. The initial
/// state is a float state stored in that precision (int8 scales calibrated so the codes span the values: see
/// <see cref="CalibrateScales"/>); the reference runs from what the kernel reads (the stored state as floats) and its
/// final float state is stored the way the kernel stores it, so the expected state is in the kernel's own format.
/// </summary>
public abstract class SsmScanCase<TState> : KernelCase where TState : unmanaged, ISsmState<TState>
{
    private readonly float[] _initialState;
    private (TState[] Stored, float[] Scales)? _state;

    protected SsmScanCase(bool step, int batch, int length, float[] initialState)
    {
        (IsStep, Batch, Length, _initialState) = (step, batch, length, initialState);
    }

    protected bool IsStep { get; }
    protected int Batch { get; }
    protected int Length { get; }

    /// <summary>"Step" or "Prefill", for names.</summary>
    protected string Phase => IsStep ? "Step" : "Prefill";

    /// <summary>Fp32State, Fp16State or Int8State, for names.</summary>
    protected static string StateName => typeof(TState).Name;

    /// <summary>Stored states may land one unit (an fp16 ulp, an int8 code) away where the float state sits at a rounding boundary.</summary>
    protected static int StateCodes => typeof(TState) == typeof(Fp32State) ? 0 : 1;

    /// <summary>How many int8 state scales the layer has.</summary>
    protected abstract int ScaleCount { get; }

    /// <summary>The int8 state scale that element <paramref name="element"/> of the state uses.</summary>
    protected abstract int ScaleIndexOf(int element);

    /// <summary>The reference on this case's inputs from a float initial state: y and the final float state.</summary>
    protected abstract (float[] Y, float[] State) Reference(float[] stateIn);

    /// <summary>Launches the kernel with the stored state (the step updates it in place); returns y and the buffer holding the new state.</summary>
    protected abstract (DeviceSpan<float> Y, DeviceSpan<TState> State) Launch(IKernelRunner runner, DeviceSpan<TState> state, ReadOnlyDeviceSpan<float> stateScales);

    public sealed override IReadOnlyList<CaseOutput> Expected()
    {
        var (stored, scales) = StoredState();
        var (y, final) = Reference(SsmStateReference.ToFloats(stored, ScaleOf(scales)));
        return [CaseOutput.Of("y", y), StateOutput(SsmStateReference.FromFloats<TState>(final, ScaleOf(scales)))];
    }

    protected sealed override IReadOnlyList<CaseOutput> Run(IKernelRunner runner)
    {
        var (stored, scales) = StoredState();
        var state = runner.Upload<TState>(stored);
        ReadOnlyDeviceSpan<float> stateScales = TState.IsQuantized ? runner.Upload<float>(scales) : default;
        var (y, result) = Launch(runner, state, stateScales);
        return [CaseOutput.Of("y", runner.Download(y)), StateOutput(runner.Download(result))];
    }

    private Func<int, float> ScaleOf(float[] scales) => i => scales[ScaleIndexOf(i)];

    private (TState[] Stored, float[] Scales) StoredState()
    {
        if (_state is { } state) return state;
        float[] scales = TState.IsQuantized ? CalibrateScales(ScaleCount, ScaleIndexOf, _initialState, Reference(_initialState).State) : [];
        _state = (SsmStateReference.FromFloats<TState>(_initialState, ScaleOf(scales)), scales);
        return _state.Value;
    }

    /// <summary>
    /// Static int8 state scales as a calibration would set them on these inputs: per scale index, the abs max of the
    /// values that use it (initial and final state) over 120, so that codes span [-120, 120] with a little headroom.
    /// </summary>
    public static float[] CalibrateScales(int count, Func<int, int> scaleIndexOf, params float[][] states)
    {
        var absMax = new float[count];
        foreach (var values in states)
            for (int i = 0; i < values.Length; i++)
                absMax[scaleIndexOf(i)] = Math.Max(absMax[scaleIndexOf(i)], Math.Abs(values[i]));
        return Array.ConvertAll(absMax, m => m > 0f ? m / 120f : 1f);
    }

    /// <summary>The state in its storage format as a comparable array: floats, halves or int8 codes.</summary>
    private static CaseOutput StateOutput(TState[] stored)
    {
        Array values = typeof(TState) == typeof(Fp32State) ? MemoryMarshal.Cast<TState, float>(stored).ToArray()
            : typeof(TState) == typeof(Fp16State) ? MemoryMarshal.Cast<TState, Half>(stored).ToArray()
            : MemoryMarshal.Cast<TState, sbyte>(stored).ToArray();
        return new CaseOutput("state", values);
    }
}
