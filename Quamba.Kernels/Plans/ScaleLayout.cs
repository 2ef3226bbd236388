namespace Quamba.Kernels.Plans;

/// <summary>
/// The static scale tables of one layer, by architecture and precision (docs/config.md, "Scale tables"):
/// Quamba's per-tensor scales for Mamba1, Quamba2's grouped scales for Mamba2 ([G, head groups, dim groups]
/// for x, [G] for B and C), 4-bit weights in groups along the input dimension, and for an int8 SSM state (the
/// config's state precision, every layer) the state scales: [N] for Mamba1 (per state index, as the calibration's
/// PerStateIndexObserver gives them), [G, head groups, dim groups, N] for Mamba2 (through x's group tables). FP16
/// layers and the activations of W4A16 layers have no other static scales.
/// </summary>
public static class ScaleLayout
{
    public static IReadOnlyList<ScaleTable> For(KernelPlan plan, LayerPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var s = plan.Shape;
        var tables = new List<ScaleTable>();
        if (precision == LayerPrecision.Fp16)
        {
            if (plan.StatePrecision == StatePrecision.Int8) tables.Add(StateScales(plan));
            return tables;
        }
        bool int8Activations = precision is LayerPrecision.W8A8 or LayerPrecision.W4A8;
        bool fourBit = precision is LayerPrecision.W4A8 or LayerPrecision.W4A16;
        bool mamba2 = plan.Architecture == ModelArchitecture.Mamba2;
        int inProjRows = mamba2 ? 2 * s.DInner + 2 * s.NGroups * s.DState + s.NHeads : 2 * s.DInner;

        if (int8Activations) tables.Add(new("in_proj.input_scale", ScaleGranularity.PerTensor, [1]));
        tables.Add(fourBit
            ? new("in_proj.weight_scales", ScaleGranularity.PerWeightGroup, [inProjRows, s.DModel / plan.WeightGroupSize])
            : mamba2 ? new("in_proj.weight_scale", ScaleGranularity.PerSegment, [5]) : new("in_proj.weight_scale", ScaleGranularity.PerTensor, [1]));
        if (int8Activations)
        {
            tables.Add(new("conv1d.weight_scale", ScaleGranularity.PerTensor, [1]));
            tables.Add(new("z_scale", ScaleGranularity.PerTensor, [1]));
            if (mamba2)
            {
                tables.Add(new("x_scales", ScaleGranularity.PerCluster, [s.NGroups, plan.HeadGroups, plan.DimGroups]));
                tables.Add(new("B_scales", ScaleGranularity.PerStateGroup, [s.NGroups]));
                tables.Add(new("C_scales", ScaleGranularity.PerStateGroup, [s.NGroups]));
                tables.Add(new("dt_scale", ScaleGranularity.PerTensor, [1]));
            }
            else
            {
                tables.Add(new("x_scale", ScaleGranularity.PerTensor, [1]));
                tables.Add(new("x_proj.output_scale", ScaleGranularity.PerTensor, [1]));
                tables.Add(new("dt_proj.input_scale", ScaleGranularity.PerTensor, [1]));
            }
        }
        if (!mamba2)
        {
            // Mamba1's x_proj follows the layer's weight precision; its small dt_proj stays 8-bit.
            tables.Add(fourBit
                ? new("x_proj.weight_scales", ScaleGranularity.PerWeightGroup, [s.DtRank + 2 * s.DState, s.DInner / plan.WeightGroupSize])
                : new("x_proj.weight_scale", ScaleGranularity.PerTensor, [1]));
            tables.Add(new("dt_proj.weight_scale", ScaleGranularity.PerTensor, [1]));
        }
        if (plan.StatePrecision == StatePrecision.Int8) tables.Add(StateScales(plan));
        if (int8Activations) tables.Add(new("out_proj.input_scale", ScaleGranularity.PerTensor, [1]));
        tables.Add(fourBit
            ? new("out_proj.weight_scales", ScaleGranularity.PerWeightGroup, [s.DModel, s.DInner / plan.WeightGroupSize])
            : new("out_proj.weight_scale", ScaleGranularity.PerTensor, [1]));
        return tables;
    }

    /// <summary>The int8 state's scales: the index a scan kernel reads is n (Mamba1) or x's group of (h, p) times N plus n (Mamba2).</summary>
    private static ScaleTable StateScales(KernelPlan plan) => plan.Architecture == ModelArchitecture.Mamba2
        ? new("ssm_state_scales", ScaleGranularity.PerClusterAndState, [plan.Shape.NGroups, plan.HeadGroups, plan.DimGroups, plan.Shape.DState])
        : new("ssm_state_scales", ScaleGranularity.PerStateIndex, [plan.Shape.DState]);
}
