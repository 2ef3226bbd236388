namespace Quamba.Model.Checkpoints;

/// <summary>Name and shape of one float tensor of a Mamba checkpoint.</summary>
public sealed record MambaTensor(string Name, int[] Shape, MambaTensorKind Kind, int Layer)
{
    public long ElementCount => Shape.Aggregate(1L, (a, d) => a * d);
}

/// <summary>What a tensor is, independent of the naming scheme (drives initialisation of random checkpoints).</summary>
public enum MambaTensorKind
{
    Embedding, LmHead, NormWeight, InProj, InProjBias, ConvWeight, ConvBias, XProj, DtProj, DtBias, ALog, D, GatedNormWeight, OutProj, OutProjBias,
}

/// <summary>
/// The complete tensor list a config implies, in transformers' naming (section 1 of docs/MAMBA-AND-QUAMBA.md):
/// what a loader expects and what the random checkpoint writer produces.
/// </summary>
public static class MambaTensorLayout
{
    public static IReadOnlyList<MambaTensor> For(ModelConfig c)
    {
        int d = c.HiddenSize, e = c.IntermediateSize, n = c.StateSize, k = c.ConvKernel;
        var list = new List<MambaTensor>
        {
            new(c.Layout == ConfigLayout.StateSpaces ? "backbone.embedding.weight" : "backbone.embeddings.weight", [c.VocabSize, d], MambaTensorKind.Embedding, -1),
        };
        for (int l = 0; l < c.NumLayers; l++)
        {
            string M(string name) => $"backbone.layers.{l}.mixer.{name}";
            list.Add(new($"backbone.layers.{l}.norm.weight", [d], MambaTensorKind.NormWeight, l));
            list.Add(new(M("in_proj.weight"), [c.InProjRows, d], MambaTensorKind.InProj, l));
            if (c.UseBias) list.Add(new(M("in_proj.bias"), [c.InProjRows], MambaTensorKind.InProjBias, l));
            list.Add(new(M("conv1d.weight"), [c.ConvChannels, 1, k], MambaTensorKind.ConvWeight, l));
            if (c.UseConvBias) list.Add(new(M("conv1d.bias"), [c.ConvChannels], MambaTensorKind.ConvBias, l));
            if (c.Architecture == MambaArchitecture.Mamba1)
            {
                int r = c.TimeStepRank;
                list.Add(new(M("x_proj.weight"), [r + 2 * n, e], MambaTensorKind.XProj, l));
                list.Add(new(M("dt_proj.weight"), [e, r], MambaTensorKind.DtProj, l));
                list.Add(new(M("dt_proj.bias"), [e], MambaTensorKind.DtBias, l));
                list.Add(new(M("A_log"), [e, n], MambaTensorKind.ALog, l));
                list.Add(new(M("D"), [e], MambaTensorKind.D, l));
            }
            else
            {
                int h = c.NumHeads;
                list.Add(new(M("dt_bias"), [h], MambaTensorKind.DtBias, l));
                list.Add(new(M("A_log"), [h], MambaTensorKind.ALog, l));
                list.Add(new(M("D"), [h], MambaTensorKind.D, l));
                if (c.GatedNorm) list.Add(new(M("norm.weight"), [e], MambaTensorKind.GatedNormWeight, l));
            }
            list.Add(new(M("out_proj.weight"), [d, e], MambaTensorKind.OutProj, l));
            if (c.UseBias) list.Add(new(M("out_proj.bias"), [d], MambaTensorKind.OutProjBias, l));
        }
        list.Add(new("backbone.norm_f.weight", [d], MambaTensorKind.NormWeight, -1));
        if (!c.TieWordEmbeddings) list.Add(new("lm_head.weight", [c.VocabSize, d], MambaTensorKind.LmHead, -1));
        return list;
    }

    /// <summary>Parameters of the model (the embedding counted once when tied).</summary>
    public static long ParameterCount(ModelConfig c) => For(c).Sum(t => t.ElementCount);
}
