namespace Quamba.Model.Quantization.Recipes;

/// <summary>How activations are calibrated and transformed (shared/design/MAMBA-AND-QUAMBA.md, sections 3-4).</summary>
public enum QuantizationRecipe
{
    /// <summary>Ablation baseline: static per-tensor abs-max scales everywhere, no clipping, no Hadamard.</summary>
    Naive,

    /// <summary>Quamba: percentile-clipped SSM input x, Hadamard-rotated SSM output y, per-tensor scales.</summary>
    Quamba,

    /// <summary>Quamba2: Quamba plus per-segment in_proj weights and conv inputs, per-state-group B/C scales, and for
    /// Mamba2 sort-and-cluster of x (offline reorder, cross-head group scales).</summary>
    Quamba2,
}

/// <summary>The precision a whole model is quantized to.</summary>
public enum QuantizationPrecision
{
    W8A8,
    W4A8,
    W4A16,

    /// <summary>A per-layer choice of W4A8 or W4A16 (a --layers file).</summary>
    W4AX,
}

/// <summary>The precision of one layer (or of the embedding / lm_head).</summary>
public enum LayerPrecision
{
    W8A8,
    W4A8,
    W4A16,
}

/// <summary>Names as written on the command line and in quantization.json.</summary>
public static class PrecisionNames
{
    public static string Name(this QuantizationRecipe recipe) => recipe.ToString().ToLowerInvariant();
    public static string Name(this QuantizationPrecision precision) => precision.ToString().ToLowerInvariant();
    public static string Name(this LayerPrecision precision) => precision.ToString().ToLowerInvariant();

    /// <summary>int8 activations (false: float activations, "A16").</summary>
    public static bool HasInt8Activations(this LayerPrecision precision) => precision != LayerPrecision.W4A16;

    public static int WeightBits(this LayerPrecision precision) => precision == LayerPrecision.W8A8 ? 8 : 4;

    public static bool TryParse(string text, out QuantizationRecipe recipe) =>
        Enum.TryParse(text, ignoreCase: true, out recipe) && Enum.IsDefined(recipe) && !int.TryParse(text, out _);

    public static bool TryParse(string text, out QuantizationPrecision precision) =>
        Enum.TryParse(text, ignoreCase: true, out precision) && Enum.IsDefined(precision) && !int.TryParse(text, out _);

    public static bool TryParse(string text, out LayerPrecision precision) =>
        Enum.TryParse(text, ignoreCase: true, out precision) && Enum.IsDefined(precision) && !int.TryParse(text, out _);
}

/// <summary>What a recipe switches on, derived once from <see cref="QuantizationRecipe"/>.</summary>
public sealed record RecipeSettings(
    QuantizationRecipe Recipe,
    bool PercentileX,
    bool HadamardY,
    bool GroupedScales)
{
    public static RecipeSettings For(QuantizationRecipe recipe) => recipe switch
    {
        QuantizationRecipe.Naive => new(recipe, PercentileX: false, HadamardY: false, GroupedScales: false),
        QuantizationRecipe.Quamba => new(recipe, PercentileX: true, HadamardY: true, GroupedScales: false),
        QuantizationRecipe.Quamba2 => new(recipe, PercentileX: true, HadamardY: true, GroupedScales: true),
        _ => throw new ArgumentOutOfRangeException(nameof(recipe), recipe, "unknown recipe; use naive, quamba or quamba2"),
    };
}
