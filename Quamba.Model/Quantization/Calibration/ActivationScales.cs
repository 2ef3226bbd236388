namespace Quamba.Model.Quantization.Calibration;

/// <summary>
/// The static int8 scales of one mixer's activations, as the quantized model uses them.
/// </summary>
/// <param name="Input">in_proj's input u (per tensor).</param>
/// <param name="ConvInput">Per conv channel (Mamba1 E, Mamba2 E + 2GN): the scale of the int8 conv input.</param>
/// <param name="X">The SSM input x: [1] per tensor, or [G, HeadGroups, DimGroups] with the layer's group table.</param>
/// <param name="B">[G] (per state group) or [1].</param>
/// <param name="C">[G] or [1].</param>
/// <param name="DtLow">Mamba1's dt_proj input (0 for Mamba2).</param>
/// <param name="Y">out_proj's input (after the Hadamard rotation when the recipe uses one).</param>
public sealed record ActivationScales(float Input, float[] ConvInput, float[] X, float[] B, float[] C, float DtLow, float Y);
