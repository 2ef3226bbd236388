namespace Quamba.Model.Quantization.Checkpoint;

/// <summary>
/// quantization.json: how a quantized checkpoint was made and how to run it. Its presence marks a model folder as
/// quantized. Field names are snake_case in the file.
/// </summary>
public sealed record QuantizationManifest
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "quantization.json";

    public required int FormatVersion { get; init; }

    /// <summary>naive, quamba or quamba2.</summary>
    public required string Recipe { get; init; }

    /// <summary>w8a8, w4a8, w4a16 or w4ax (per layer in <see cref="Layers"/>).</summary>
    public required string Precision { get; init; }

    public required bool Gptq { get; init; }

    /// <summary>GPTQ ran layer by layer, each layer's Hessians taken with the layers below it quantized.</summary>
    public bool SequentialGptq { get; init; }

    /// <summary>GPTQ quantized columns in activation order (static groups).</summary>
    public bool ActOrder { get; init; }

    /// <summary>4-bit group scales came from a clip search rather than the abs-max.</summary>
    public bool ScaleSearch { get; init; }

    /// <summary>Every block's RMSNorm gamma is folded into in_proj (the stored norm weights are ones).</summary>
    public required bool NormFolded { get; init; }

    /// <summary>out_proj's input is rotated online by the Hadamard transform of width E, fused into out_proj's weight.</summary>
    public required bool HadamardOutProj { get; init; }

    /// <summary>How x's static scale was calibrated: "absmax" or "percentile".</summary>
    public required string XObserver { get; init; }

    public double PercentileAlpha { get; init; }

    /// <summary>Embedding and lm_head (tied or not).</summary>
    public required HeadManifest Head { get; init; }

    public required CalibrationManifest Calibration { get; init; }

    public required LayerManifest[] Layers { get; init; }
}

public sealed record CalibrationManifest
{
    public required string File { get; init; }
    public required int Samples { get; init; }
    public required int Length { get; init; }
}

public sealed record HeadManifest
{
    /// <summary>w8a8 (int8 per-row embedding, int8 head input), w4a8 or w4a16 (int4 group embedding).</summary>
    public required string Precision { get; init; }
    public required LinearManifest Embedding { get; init; }
    public LinearManifest? LmHead { get; init; }
}

public sealed record LayerManifest
{
    public required int Index { get; init; }

    /// <summary>w8a8, w4a8 or w4a16.</summary>
    public required string Precision { get; init; }

    /// <summary>in_proj, out_proj, and for Mamba1 x_proj and dt_proj.</summary>
    public required Dictionary<string, LinearManifest> Linears { get; init; }

    /// <summary>Quamba2 on Mamba2: new head i is original head HeadPermutation[i] (already applied to the weights).</summary>
    public int[]? HeadPermutation { get; init; }

    /// <summary>Quamba2 on Mamba2: new x channel c is original channel ChannelPermutation[c] (already applied).</summary>
    public int[]? ChannelPermutation { get; init; }

    /// <summary>Quamba2 on Mamba2: the cross-head groups of x's scales ([G, head groups, dim groups]).</summary>
    public GroupTableManifest? XGroups { get; init; }
}

public sealed record LinearManifest
{
    /// <summary>int8 or int4.</summary>
    public required string Format { get; init; }

    /// <summary>int8: per_tensor, per_output_channel or per_output_segment.</summary>
    public string? Granularity { get; init; }

    /// <summary>int8 per_output_segment: the row count of each segment, in order.</summary>
    public int[]? SegmentRows { get; init; }

    /// <summary>int4: columns per scale group.</summary>
    public int? GroupSize { get; init; }

    /// <summary>rtn or gptq.</summary>
    public required string Method { get; init; }
}

public sealed record GroupTableManifest
{
    public required int HeadGroups { get; init; }
    public required int DimGroups { get; init; }

    /// <summary>[H]: head group (local to its state group) of each reordered head.</summary>
    public required int[] HeadGroupOfHead { get; init; }

    /// <summary>[G, head groups, dim groups + 1]: channel boundaries of each dim group.</summary>
    public required int[] DimGroupBoundaries { get; init; }
}
