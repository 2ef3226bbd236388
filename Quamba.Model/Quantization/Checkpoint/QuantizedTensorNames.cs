namespace Quamba.Model.Quantization.Checkpoint;

/// <summary>
/// Tensor names of a quantized checkpoint. Quantized linears keep the float name for their codes ("in_proj.weight":
/// I8 [out, in], or U8 [out, ceil(in / 2)] packed int4) and add "weight_scale" (F32) and, for int8 activations,
/// "input_scale" (F32 [1]). SSM input scales live under "ssm.".
/// </summary>
public static class QuantizedTensorNames
{
    public static string Mixer(int layer, string name) => $"backbone.layers.{layer}.mixer.{name}";
    public static string LayerNorm(int layer) => $"backbone.layers.{layer}.norm.weight";
    public const string FinalNorm = "backbone.norm_f.weight";
    public const string LmHead = "lm_head";
    public const string HeadInputScale = "lm_head.input_scale";

    public static string Weight(string prefix) => prefix + ".weight";
    public static string WeightScale(string prefix) => prefix + ".weight_scale";
    public static string InputScale(string prefix) => prefix + ".input_scale";

    /// <summary>"backbone.layers.3.mixer.in_proj" for layer 3's in_proj.</summary>
    public static string Linear(int layer, string linear) => Mixer(layer, linear);

    public static string XScale(int layer) => Mixer(layer, "ssm.x_scale");
    public static string BScale(int layer) => Mixer(layer, "ssm.B_scale");
    public static string CScale(int layer) => Mixer(layer, "ssm.C_scale");
}
