using Quamba.Model.Backends.Cpu;
using Quamba.Model.Checkpoints;

namespace Quamba.Model.Models.Mamba1;

/// <summary>One Mamba1 mixer's weights, in the layouts the CPU kernels read.</summary>
internal sealed unsafe class Mamba1LayerWeights
{
    public Mamba1LayerWeights(WeightLoader loader, int layer)
    {
        var c = loader.Config;
        int d = c.HiddenSize, e = c.IntermediateSize, n = c.StateSize, r = c.TimeStepRank, k = c.ConvKernel;
        string M(string name) => TensorNames.Mixer(layer, name);

        InProj = loader.Load([2 * e, d], $"2 x intermediate_size {e} by hidden_size {d}", M("in_proj.weight"));
        InProjBias = c.UseBias ? loader.Load([2 * e], $"use_bias, 2 x intermediate_size {e}", M("in_proj.bias")) : null;
        ConvWeightT = loader.LoadConvWeightTransposed(layer, e, k, $"intermediate_size {e}, conv_kernel {k}");
        ConvBias = c.UseConvBias ? loader.Load([e], $"use_conv_bias, intermediate_size {e}", M("conv1d.bias")) : null;
        XProj = loader.Load([r + 2 * n, e], $"time_step_rank {r} + 2 x state_size {n} by intermediate_size {e}", M("x_proj.weight"));
        // dt_proj has a short k (R = d/16): stored transposed, [R, E], for the outer-product kernel.
        var dtProj = loader.Load([e, r], $"intermediate_size {e} by time_step_rank {r}", M("dt_proj.weight"));
        DtProjT = new AlignedBuffer((long)r * e);
        for (int ch = 0; ch < e; ch++)
            for (int j = 0; j < r; j++)
                DtProjT.Pointer[(long)j * e + ch] = dtProj.Pointer[(long)ch * r + j];
        DtBias = loader.Load([e], $"intermediate_size {e}", M("dt_proj.bias"));
        D = loader.Load([e], $"intermediate_size {e}", M("D"));
        OutProj = loader.Load([d, e], $"hidden_size {d} by intermediate_size {e}", M("out_proj.weight"));
        OutProjBias = c.UseBias ? loader.Load([d], $"use_bias, hidden_size {d}", M("out_proj.bias")) : null;

        // A = -exp(A_log), transposed from [E, N] to [N, E] to match the scan's state layout.
        var aLog = loader.Load([e, n], $"intermediate_size {e} by state_size {n}", M("A_log"));
        AT = new AlignedBuffer((long)n * e);
        for (int ch = 0; ch < e; ch++)
            for (int j = 0; j < n; j++)
                AT.Pointer[(long)j * e + ch] = -MathF.Exp(aLog.Pointer[(long)ch * n + j]);
    }

    /// <summary>[2E, d]: rows 0..E-1 give x, rows E..2E-1 give z.</summary>
    public AlignedBuffer InProj { get; }
    public AlignedBuffer? InProjBias { get; }

    /// <summary>[K, E].</summary>
    public AlignedBuffer ConvWeightT { get; }
    public AlignedBuffer? ConvBias { get; }

    /// <summary>[R + 2N, E] giving [dt_low | B | C].</summary>
    public AlignedBuffer XProj { get; }

    /// <summary>dt_proj.weight transposed: [R, E].</summary>
    public AlignedBuffer DtProjT { get; }
    public AlignedBuffer DtBias { get; }

    /// <summary>-exp(A_log) as [N, E].</summary>
    public AlignedBuffer AT { get; }
    public AlignedBuffer D { get; }

    /// <summary>[d, E].</summary>
    public AlignedBuffer OutProj { get; }
    public AlignedBuffer? OutProjBias { get; }
}
