namespace Quamba.Model.Models;

/// <summary>The points of the float forward pass where activations can be observed (the quantization points).</summary>
internal enum ActivationSite
{
    /// <summary>The normalised mixer input u (in_proj's input), [rows, d].</summary>
    MixerInput,

    /// <summary>in_proj's output: Mamba1 [x | z] (2E), Mamba2 [z | x | B | C | dt].</summary>
    InProjOutput,

    /// <summary>conv1d + SiLU output: Mamba1 x (E), Mamba2 [x | B | C].</summary>
    ConvOutput,

    /// <summary>Mamba1 x_proj output [dt_low | B | C].</summary>
    XProjOutput,

    /// <summary>out_proj's input y (after the gate, and for Mamba2 after the gated norm), [rows, E].</summary>
    OutProjInput,

    /// <summary>The final-normalised rows lm_head reads, [rows, d].</summary>
    HeadInput,
}

/// <summary>
/// A block of activations reported at an <see cref="ActivationSite"/>: rows = Batch x Length (sequence-major), each
/// <see cref="Width"/> floats at a row stride of <see cref="Stride"/>. Valid only during the callback.
/// </summary>
internal readonly unsafe struct ActivationBlock(float* data, int stride, int width, int batch, int length)
{
    public float* Data { get; } = data;
    public int Stride { get; } = stride;
    public int Width { get; } = width;
    public int Batch { get; } = batch;
    public int Length { get; } = length;

    /// <summary>Row t of sequence b.</summary>
    public ReadOnlySpan<float> Row(int sequence, int t) => new(Data + ((long)sequence * Length + t) * Stride, Width);
}

/// <summary>
/// Receives activations from the float forward pass (calibration). A model without an observer pays one null check
/// per site per layer.
/// </summary>
internal interface IActivationObserver
{
    void Observe(ActivationSite site, int layer, ActivationBlock block);
}
