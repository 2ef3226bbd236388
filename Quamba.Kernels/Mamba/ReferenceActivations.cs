namespace Quamba.Kernels.Mamba;

/// <summary>The float value of each activation, as the kernels form it: an int8 code times its scale, or an fp16 value widened.</summary>
internal static class ReferenceActivations
{
    public static float[] Scaled(sbyte[] codes, float scale) => Array.ConvertAll(codes, v => v * scale);

    public static float[] Floats(Half[] values) => Array.ConvertAll(values, v => (float)v);
}
