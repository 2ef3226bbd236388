using Quamba.Model.Backends.Cpu;
using Quamba.Model.Quantization.Hadamard;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>out_proj as stored is <c>W M</c> (the Hadamard rotation of y fused in); the float model needs W back.</summary>
internal static class OutProjRotation
{
    /// <summary><c>W = (W M) M^T</c> for a row-major <c>[rows, columns]</c> weight, M the Hadamard transform of width <paramref name="columns"/>.</summary>
    public static unsafe float[] Unrotate(float[] rotated, int rows, int columns)
    {
        var matrix = HadamardTransform.Create(columns).BuildMatrix();
        var result = new float[rotated.Length];
        fixed (float* a = rotated, b = matrix, o = result)
            Gemm.MultiplyTransposed(CpuParallel.Default, a, columns, b, columns, o, columns, rows, columns, columns, accumulate: false);
        return result;
    }
}
