namespace Quamba.Model.Quantization.Transforms;

/// <summary>
/// Folds each block's RMSNorm gamma into in_proj: <c>(RMSNorm(r) * gamma) W^T = RMSNorm(r) (W diag(gamma))^T</c>, so
/// the norm becomes a plain RMS normalisation (gamma = 1) and its output is what gets quantized. The final norm is
/// left alone: with tied embeddings, lm_head is the embedding and cannot absorb it.
/// </summary>
public static class NormFolding
{
    public static void Apply(FloatCheckpoint checkpoint)
    {
        var c = checkpoint.Config;
        int d = c.HiddenSize, rows = c.InProjRows;
        for (int l = 0; l < c.NumLayers; l++)
        {
            float[] gamma = checkpoint[FloatCheckpoint.LayerNorm(l)];
            float[] w = checkpoint[FloatCheckpoint.Mixer(l, "in_proj.weight")];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < d; j++) w[r * d + j] *= gamma[j];
            Array.Fill(gamma, 1f);
        }
    }
}
