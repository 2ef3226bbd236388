namespace Quamba.Kernels.Plans;

/// <summary>The mixer a config's kernels are built for.</summary>
public enum ModelArchitecture
{
    Mamba1,
    Mamba2,
}

/// <summary>Weight / activation precision of one layer (quamba.json "precision").</summary>
public enum LayerPrecision
{
    Fp16,
    W8A8,
    W4A8,
    W4A16,
}

/// <summary>How the decode cache keeps the SSM state (quamba.json "state_precision").</summary>
public enum StatePrecision
{
    Fp32,
    Fp16,
    Int8,
}

/// <summary>What a static scale is measured over, for the quantized-checkpoint layout.</summary>
public enum ScaleGranularity
{
    /// <summary>One scale for the whole tensor.</summary>
    PerTensor,

    /// <summary>One scale per output segment of a fused projection (Mamba2 in_proj: z, x, B, C, dt).</summary>
    PerSegment,

    /// <summary>One scale per state group (Mamba2 B and C).</summary>
    PerStateGroup,

    /// <summary>One scale per (state group, head group, dim group): Quamba2's clustered x.</summary>
    PerCluster,

    /// <summary>One scale per (state group, head group, dim group, state index): the int8 SSM state of Mamba2.</summary>
    PerClusterAndState,

    /// <summary>One scale per state index n, shared by every channel: the int8 SSM state of Mamba1.</summary>
    PerStateIndex,

    /// <summary>One scale per output row and group of input columns (4-bit weights).</summary>
    PerWeightGroup,
}
