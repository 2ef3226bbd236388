using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;

namespace Quamba.Model.Models.Mamba2;

/// <summary>One Mamba2 mixer's weights, in the layouts the CPU kernels read.</summary>
internal sealed unsafe class Mamba2LayerWeights
{
    public Mamba2LayerWeights(WeightLoader loader, int layer)
    {
        var c = loader.Config;
        int d = c.HiddenSize, e = c.IntermediateSize, h = c.NumHeads, k = c.ConvKernel;
        int convChannels = c.ConvChannels, inRows = c.InProjRows;
        string M(string name) => TensorNames.Mixer(layer, name);
        string inHint = $"2 x {e} (z, x) + 2 x n_groups {c.NGroups} x state_size {c.StateSize} (B, C) + num_heads {h} (dt) = {inRows} rows by hidden_size {d}";

        InProj = loader.Load([inRows, d], inHint, M("in_proj.weight"));
        InProjBias = c.UseBias ? loader.Load([inRows], "use_bias; " + inHint, M("in_proj.bias")) : null;
        ConvWeightT = loader.LoadConvWeightTransposed(layer, convChannels, k, $"conv channels E + 2GN = {convChannels}, conv_kernel {k}");
        ConvBias = c.UseConvBias ? loader.Load([convChannels], $"use_conv_bias, conv channels {convChannels}", M("conv1d.bias")) : null;
        DtBias = loader.Load([h], $"num_heads {h}", M("dt_bias"));
        D = loader.Load([h], $"num_heads {h}", M("D"));
        NormWeight = c.GatedNorm ? loader.Load([e], $"intermediate width {e}", M("norm.weight")) : null;
        OutProj = loader.Load([d, e], $"hidden_size {d} by intermediate width {e}", M("out_proj.weight"));
        OutProjBias = c.UseBias ? loader.Load([d], $"use_bias, hidden_size {d}", M("out_proj.bias")) : null;

        var aLog = loader.Load([h], $"num_heads {h}", M("A_log"));
        A = new AlignedBuffer(h);
        for (int i = 0; i < h; i++) A.Pointer[i] = -MathF.Exp(aLog.Pointer[i]);
    }

    /// <summary>[2E + 2GN + H, d], rows [z | x | B | C | dt].</summary>
    public AlignedBuffer InProj { get; }
    public AlignedBuffer? InProjBias { get; }

    /// <summary>[K, E + 2GN] over the [x | B | C] channels.</summary>
    public AlignedBuffer ConvWeightT { get; }
    public AlignedBuffer? ConvBias { get; }
    public AlignedBuffer DtBias { get; }

    /// <summary>-exp(A_log), one scalar per head.</summary>
    public AlignedBuffer A { get; }
    public AlignedBuffer D { get; }
    public AlignedBuffer? NormWeight { get; }

    /// <summary>[d, E].</summary>
    public AlignedBuffer OutProj { get; }
    public AlignedBuffer? OutProjBias { get; }
}
