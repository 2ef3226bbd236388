namespace Quamba.Kernels.Mamba;

/// <summary>Plain C# reference of the Mamba1 selective scan on quantized inputs: the recurrence token by token (see <see cref="Mamba1ScanKernels"/>).</summary>
public static class Mamba1ScanReference
{
    /// <summary>Returns y [batch, length, E] and the final state [batch, E, N]; the inputs are laid out as the kernels read them.</summary>
    public static (float[] Y, float[] State) Scan(int batch, int length, int innerDim, int stateDim,
        sbyte[] x, float xScale, sbyte[] dt, float dtScale, float[] dtBias, sbyte[] bc, int bcStride, float bScale, float cScale,
        sbyte[] z, int zStride, float zScale, float[] a, float[] d, float[] stateIn)
    {
        var y = new float[batch * length * innerDim];
        var state = (float[])stateIn.Clone();
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++)
            {
                int row = b * length + t;
                for (int c = 0; c < innerDim; c++)
                {
                    float dtv = KernelMath.Softplus(dt[row * innerDim + c] * dtScale + dtBias[c]);
                    float xv = x[row * innerDim + c] * xScale;
                    float sum = 0f;
                    for (int n = 0; n < stateDim; n++)
                    {
                        ref float h = ref state[(b * innerDim + c) * stateDim + n];
                        float bn = bc[row * bcStride + n] * bScale;
                        float cn = bc[row * bcStride + stateDim + n] * cScale;
                        h = MathF.Exp(dtv * a[c * stateDim + n]) * h + dtv * xv * bn;
                        sum += cn * h;
                    }
                    float gate = KernelMath.SiLU(z[row * zStride + c] * zScale);
                    y[row * innerDim + c] = (sum + d[c] * xv) * gate;
                }
            }
        return (y, state);
    }
}
