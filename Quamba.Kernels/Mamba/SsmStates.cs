namespace Quamba.Kernels.Mamba;

/// <summary>
/// How a scan kernel stores the SSM state it reads and writes (the decode cache the step kernels update in place, the
/// prefill's stateIn / stateOut): the second type argument of the Mamba1 scan and Mamba2 SSD kernels, so one kernel
/// body serves every state precision (quamba.json "state_precision"). The kernels compute in float and convert only
/// where the state is loaded or stored. Implementations are one-field structs, so a state buffer is a span of them
/// (4, 2 or 1 bytes per element: <see cref="Fp32State"/>, <see cref="Fp16State"/>, <see cref="Int8State"/>).
/// </summary>
public interface ISsmState<TSelf> where TSelf : unmanaged, ISsmState<TSelf>
{
    /// <summary>True when stored values are int8 codes with static scales: only then does a kernel read the scale table.</summary>
    static abstract bool IsQuantized { get; }

    /// <summary>The float value of a stored element (<paramref name="scale"/> is 1 unless <see cref="IsQuantized"/>).</summary>
    static abstract float ToFloat(TSelf stored, float scale);

    /// <summary>The stored form of <paramref name="value"/>: as is, rounded to fp16, or <c>KernelMath.Quantize(value, scale)</c>.</summary>
    static abstract TSelf FromFloat(float value, float scale);
}

/// <summary>An fp32 state element.</summary>
public struct Fp32State : ISsmState<Fp32State>
{
    public float Value;

    public Fp32State(float value) => Value = value;

    public static bool IsQuantized => false;

    public static float ToFloat(Fp32State stored, float scale) => stored.Value;

    public static Fp32State FromFloat(float value, float scale) => new(value);
}

/// <summary>An fp16 state element (round to nearest even, as <c>(Half)value</c>).</summary>
public struct Fp16State : ISsmState<Fp16State>
{
    public Half Value;

    public Fp16State(Half value) => Value = value;

    public static bool IsQuantized => false;

    public static float ToFloat(Fp16State stored, float scale) => (float)stored.Value;

    public static Fp16State FromFloat(float value, float scale) => new((Half)value);
}

/// <summary>An int8 state element: <c>code * scale</c>, with the static scales of the layer's state scale table.</summary>
public struct Int8State : ISsmState<Int8State>
{
    public sbyte Code;

    public Int8State(sbyte code) => Code = code;

    public static bool IsQuantized => true;

    public static float ToFloat(Int8State stored, float scale) => stored.Code * scale;

    public static Int8State FromFloat(float value, float scale) => new(KernelMath.Quantize(value, scale));
}

/// <summary>Device helpers that read and write state elements, fetching the scale only for quantized states.</summary>
public static class SsmStateAccess
{
    /// <summary>The float value of <paramref name="stored"/>; <paramref name="scaleIndex"/> indexes <paramref name="scales"/> (int8 only).</summary>
    public static float Load<TState>(TState stored, ReadOnlyDeviceSpan<float> scales, int scaleIndex) where TState : unmanaged, ISsmState<TState> =>
        TState.ToFloat(stored, TState.IsQuantized ? scales[scaleIndex] : 1f);

    /// <summary>The stored form of <paramref name="value"/>; <paramref name="scaleIndex"/> indexes <paramref name="scales"/> (int8 only).</summary>
    public static TState Store<TState>(float value, ReadOnlyDeviceSpan<float> scales, int scaleIndex) where TState : unmanaged, ISsmState<TState> =>
        TState.FromFloat(value, TState.IsQuantized ? scales[scaleIndex] : 1f);
}
