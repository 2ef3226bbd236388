namespace Quamba.Kernels.Mamba;

/// <summary>
/// Plain C# reference of the Mamba1 selective scan: the recurrence token by token (see <see cref="Mamba1ScanKernels"/>)
/// on float inputs, with the A8 codes or the A16 fp16 values turned into floats the way the kernels do. States are
/// floats here; <see cref="SsmStateReference"/> gives what a kernel reads from and stores to an fp16 or int8 state.
/// </summary>
public static class Mamba1ScanReference
{
    /// <summary>A8: y [batch, length, E] and the final state [batch, E, N] from codes laid out as the kernels read them.</summary>
    public static (float[] Y, float[] State) Scan(int batch, int length, int innerDim, int stateDim,
        sbyte[] x, float xScale, sbyte[] dt, float dtScale, float[] dtBias, sbyte[] bc, int bcStride, float bScale, float cScale,
        sbyte[] z, int zStride, float zScale, float[] a, float[] d, float[] stateIn)
    {
        // B and C share x_proj's rows: element n of a row is B (scale bScale), element N + n is C (scale cScale).
        var bcValues = new float[bc.Length];
        for (int i = 0; i < bc.Length; i++) bcValues[i] = bc[i] * (i % bcStride < stateDim ? bScale : cScale);
        return ScanValues(batch, length, innerDim, stateDim, ReferenceActivations.Scaled(x, xScale), ReferenceActivations.Scaled(dt, dtScale), dtBias, bcValues, bcStride,
            ReferenceActivations.Scaled(z, zScale), zStride, a, d, stateIn);
    }

    /// <summary>A16: the same with fp16 activations.</summary>
    public static (float[] Y, float[] State) Scan(int batch, int length, int innerDim, int stateDim,
        Half[] x, Half[] dt, float[] dtBias, Half[] bc, int bcStride, Half[] z, int zStride, float[] a, float[] d, float[] stateIn) =>
        ScanValues(batch, length, innerDim, stateDim, ReferenceActivations.Floats(x), ReferenceActivations.Floats(dt), dtBias, ReferenceActivations.Floats(bc), bcStride, ReferenceActivations.Floats(z), zStride, a, d, stateIn);

    /// <summary>The recurrence on float activations (dt before bias and softplus, z before SiLU).</summary>
    public static (float[] Y, float[] State) ScanValues(int batch, int length, int innerDim, int stateDim,
        float[] x, float[] dt, float[] dtBias, float[] bc, int bcStride, float[] z, int zStride, float[] a, float[] d, float[] stateIn)
    {
        var y = new float[batch * length * innerDim];
        var state = (float[])stateIn.Clone();
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++)
            {
                int row = b * length + t;
                for (int c = 0; c < innerDim; c++)
                {
                    float dtv = KernelMath.Softplus(dt[row * innerDim + c] + dtBias[c]);
                    float xv = x[row * innerDim + c];
                    float sum = 0f;
                    for (int n = 0; n < stateDim; n++)
                    {
                        ref float h = ref state[(b * innerDim + c) * stateDim + n];
                        float bn = bc[row * bcStride + n];
                        float cn = bc[row * bcStride + stateDim + n];
                        h = MathF.Exp(dtv * a[c * stateDim + n]) * h + dtv * xv * bn;
                        sum += cn * h;
                    }
                    float gate = KernelMath.SiLU(z[row * zStride + c]);
                    y[row * innerDim + c] = (sum + d[c] * xv) * gate;
                }
            }
        return (y, state);
    }
}
