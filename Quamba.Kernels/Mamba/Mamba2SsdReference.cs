namespace Quamba.Kernels.Mamba;

/// <summary>Plain C# reference of Mamba2's SSD on quantized inputs: the recurrence token by token, per head (see <see cref="Mamba2SsdKernels"/>).</summary>
public static class Mamba2SsdReference
{
    /// <summary>Returns y [batch, length, H * P] (un-gated) and the final state [batch, H, P, N].</summary>
    /// <param name="xScaleOf">the dequantization scale of channel p of head h.</param>
    public static (float[] Y, float[] State) Scan(int batch, int length, int heads, int headDim, int stateDim, int stateGroups,
        sbyte[] x, Func<int, int, float> xScaleOf, sbyte[] bCodes, sbyte[] cCodes, float[] bScales, float[] cScales,
        sbyte[] dt, int dtStride, float dtScale, float[] dtBias, float[] a, float[] d, float[] stateIn)
    {
        int inner = heads * headDim;
        var y = new float[batch * length * inner];
        var state = (float[])stateIn.Clone();
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++)
            {
                int row = b * length + t;
                for (int h = 0; h < heads; h++)
                {
                    int g = h / (heads / stateGroups);
                    float dtv = KernelMath.Softplus(dt[row * dtStride + h] * dtScale + dtBias[h]);
                    float decay = MathF.Exp(dtv * a[h]);
                    for (int p = 0; p < headDim; p++)
                    {
                        float xv = x[row * inner + h * headDim + p] * xScaleOf(h, p);
                        float sum = 0f;
                        for (int n = 0; n < stateDim; n++)
                        {
                            ref float s = ref state[((b * heads + h) * headDim + p) * stateDim + n];
                            float bn = bCodes[(row * stateGroups + g) * stateDim + n] * bScales[g];
                            float cn = cCodes[(row * stateGroups + g) * stateDim + n] * cScales[g];
                            s = decay * s + dtv * xv * bn;
                            sum += cn * s;
                        }
                        y[row * inner + h * headDim + p] = sum + d[h] * xv;
                    }
                }
            }
        return (y, state);
    }
}
