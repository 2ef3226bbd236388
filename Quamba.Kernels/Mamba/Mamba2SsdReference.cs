namespace Quamba.Kernels.Mamba;

/// <summary>
/// Plain C# reference of Mamba2's SSD: the recurrence token by token, per head (see <see cref="Mamba2SsdKernels"/>), on
/// float inputs, with the A8 codes or the A16 fp16 values turned into floats the way the kernels do. States are floats
/// here; <see cref="SsmStateReference"/> gives what a kernel reads from and stores to an fp16 or int8 state.
/// </summary>
public static class Mamba2SsdReference
{
    /// <summary>A8: y [batch, length, H * P] (un-gated) and the final state [batch, H, P, N] from codes.</summary>
    /// <param name="xScaleOf">the dequantization scale of channel p of head h.</param>
    public static (float[] Y, float[] State) Scan(int batch, int length, int heads, int headDim, int stateDim, int stateGroups,
        sbyte[] x, Func<int, int, float> xScaleOf, sbyte[] bCodes, sbyte[] cCodes, float[] bScales, float[] cScales,
        sbyte[] dt, int dtStride, float dtScale, float[] dtBias, float[] a, float[] d, float[] stateIn)
    {
        int inner = heads * headDim;
        var xValues = new float[x.Length];
        for (int i = 0; i < x.Length; i++) xValues[i] = x[i] * xScaleOf(i % inner / headDim, i % headDim);
        return ScanValues(batch, length, heads, headDim, stateDim, stateGroups, xValues, GroupScaled(bCodes, bScales, stateDim), GroupScaled(cCodes, cScales, stateDim),
            ReferenceActivations.Scaled(dt, dtScale), dtStride, dtBias, a, d, stateIn);
    }

    /// <summary>A16: the same with fp16 x, B, C and dt.</summary>
    public static (float[] Y, float[] State) Scan(int batch, int length, int heads, int headDim, int stateDim, int stateGroups,
        Half[] x, Half[] b, Half[] c, Half[] dt, int dtStride, float[] dtBias, float[] a, float[] d, float[] stateIn) =>
        ScanValues(batch, length, heads, headDim, stateDim, stateGroups, ReferenceActivations.Floats(x), ReferenceActivations.Floats(b), ReferenceActivations.Floats(c),
            ReferenceActivations.Floats(dt), dtStride, dtBias, a, d, stateIn);

    /// <summary>The recurrence on float activations: x [rows, H * P], B and C [rows, G * N], dt before bias and softplus.</summary>
    public static (float[] Y, float[] State) ScanValues(int batch, int length, int heads, int headDim, int stateDim, int stateGroups,
        float[] x, float[] b, float[] c, float[] dt, int dtStride, float[] dtBias, float[] a, float[] d, float[] stateIn)
    {
        int inner = heads * headDim;
        var y = new float[batch * length * inner];
        var state = (float[])stateIn.Clone();
        for (int s = 0; s < batch; s++)
            for (int t = 0; t < length; t++)
            {
                int row = s * length + t;
                for (int h = 0; h < heads; h++)
                {
                    int g = h / (heads / stateGroups);
                    float dtv = KernelMath.Softplus(dt[row * dtStride + h] + dtBias[h]);
                    float decay = MathF.Exp(dtv * a[h]);
                    for (int p = 0; p < headDim; p++)
                    {
                        float xv = x[row * inner + h * headDim + p];
                        float sum = 0f;
                        for (int n = 0; n < stateDim; n++)
                        {
                            ref float hn = ref state[((s * heads + h) * headDim + p) * stateDim + n];
                            float bn = b[(row * stateGroups + g) * stateDim + n];
                            float cn = c[(row * stateGroups + g) * stateDim + n];
                            hn = decay * hn + dtv * xv * bn;
                            sum += cn * hn;
                        }
                        y[row * inner + h * headDim + p] = sum + d[h] * xv;
                    }
                }
            }
        return (y, state);
    }

    /// <summary>B or C codes [rows, G, N] times the scale of their state group.</summary>
    private static float[] GroupScaled(sbyte[] codes, float[] scales, int stateDim)
    {
        var values = new float[codes.Length];
        for (int i = 0; i < codes.Length; i++) values[i] = codes[i] * scales[i / stateDim % scales.Length];
        return values;
    }
}
