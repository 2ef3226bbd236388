namespace Quamba.Kernels.Mamba;

/// <summary>
/// Plain C# of the SSM state storage (<see cref="ISsmState{TSelf}"/>): the floats a kernel reads from a stored state,
/// the stored form of float states, and which int8 scale each element of a state uses.
/// </summary>
public static class SsmStateReference
{
    /// <summary>The float value of every stored element; <paramref name="scaleOf"/> (element index -> scale) is used for int8 only.</summary>
    public static float[] ToFloats<TState>(TState[] stored, Func<int, float> scaleOf) where TState : unmanaged, ISsmState<TState>
    {
        var values = new float[stored.Length];
        for (int i = 0; i < stored.Length; i++) values[i] = TState.ToFloat(stored[i], TState.IsQuantized ? scaleOf(i) : 1f);
        return values;
    }

    /// <summary>The stored form of every value: as is, rounded to fp16, or quantized with its scale.</summary>
    public static TState[] FromFloats<TState>(float[] values, Func<int, float> scaleOf) where TState : unmanaged, ISsmState<TState>
    {
        var stored = new TState[values.Length];
        for (int i = 0; i < values.Length; i++) stored[i] = TState.FromFloat(values[i], TState.IsQuantized ? scaleOf(i) : 1f);
        return stored;
    }

    /// <summary>Mamba1, state [batch, E, N] with scales [N]: element i uses the scale of its state index n = i mod N.</summary>
    public static Func<int, float> Mamba1ScaleOf(float[] scales, int stateDim) => i => scales[i % stateDim];

    /// <summary>
    /// Mamba2, state [batch, H, P, N] with scales [G, head groups, dim groups, N]: element (b, h, p, n) uses the scale at
    /// x's group index of (h, p) times N plus n (the head-group and dim-group tables of x).
    /// </summary>
    public static Func<int, float> Mamba2ScaleOf(float[] scales, int heads, int headDim, int stateDim, int stateGroups, int headGroups, int dimGroups,
        int[] headGroupOfHead, int[] dimGroupBoundaries) => i =>
    {
        int n = i % stateDim, p = i / stateDim % headDim, h = i / (stateDim * headDim) % heads;
        int group = ClusteredQuantizationReference.ScaleIndex(heads, stateGroups, headGroups, dimGroups, headGroupOfHead, dimGroupBoundaries, h, p);
        return scales[group * stateDim + n];
    };
}
