using Quamba.Model.Checkpoints;
using Quamba.Model.Evaluation;
using Quamba.Model.Models;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Execution;
using Quamba.Model.Quantization.Transforms;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>One row of an ablation: what was quantized and the perplexity that gives.</summary>
public sealed record AblationRow(string What, double Perplexity, bool Simulated);

/// <summary>
/// Which tensor's quantization costs what: starting from the transformed float model (reordered, gamma folded: the
/// same function as the original), quantize one group at a time - one weight class (its real codes, dequantized into
/// the float model) or one activation site (<see cref="FakeQuantHook"/>) - and measure perplexity. Rows other than the
/// last are SIMULATED quantization; the last row is the real quantized model on the integer kernels.
/// </summary>
public static class QuantizationAblation
{
    public static IReadOnlyList<AblationRow> Run(string modelDirectory, QuantizationOptions options, int[] evalStream, int window, int cap,
        IProgress<QuantizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var prepared = ModelQuantizer.Prepare(modelDirectory, options, progress, cancellationToken);
        var quantized = ModelQuantizer.Build(prepared, progress, cancellationToken);
        var c = prepared.Transformed.Config;
        var rows = new List<AblationRow>();
        string[] weightClasses = c.Architecture == MambaArchitecture.Mamba1
            ? ["embedding", "in_proj", "conv1d", "x_proj", "dt_proj", "out_proj"]
            : ["embedding", "in_proj", "conv1d", "out_proj"];
        bool anyInt8 = prepared.Collector is not null && (prepared.Precisions.Any(p => p.HasInt8Activations()) || prepared.HeadPrecision.HasInt8Activations());
        AblationSite[] sites = anyInt8 ? Enum.GetValues<AblationSite>() : [];
        int total = 2 + weightClasses.Length + sites.Length + (sites.Length > 0 ? 2 : 0) + 1;
        double Evaluate(MambaModel model)
        {
            double value = Perplexity.Evaluate(model, evalStream, window, cap, cancellationToken: cancellationToken).Value;
            progress?.Report(new QuantizationProgress("ablation rows", rows.Count + 1, total));
            return value;
        }
        double WithWeights(IEnumerable<string> classes, IEnumerable<AblationSite> activations)
        {
            var floats = prepared.Transformed.Clone();
            foreach (string w in classes) Dequantize(floats, quantized, prepared, w);
            string temporary = Path.Combine(Path.GetTempPath(), "quamba-ablation-" + Guid.NewGuid().ToString("N"));
            try
            {
                floats.Write(temporary);
                using var model = MambaModel.Load(temporary);
                var list = activations.ToList();
                if (list.Count > 0) model.ActivationObserver = new FakeQuantHook(prepared, list);
                return Evaluate(model);
            }
            finally
            {
                try { Directory.Delete(temporary, recursive: true); }
                catch (IOException) { }
            }
        }

        using (var original = MambaModel.Load(modelDirectory)) rows.Add(new("none (float model)", Evaluate(original), false));
        rows.Add(new("none (transformed float model)", WithWeights([], []), true));
        foreach (string w in weightClasses) rows.Add(new($"weights: {w}", WithWeights([w], []), true));
        rows.Add(new("weights: all", WithWeights(weightClasses, []), true));
        foreach (var site in sites) rows.Add(new($"activations: {Describe(site)}", WithWeights([], [site]), true));
        if (sites.Length > 0)
        {
            rows.Add(new("activations: all", WithWeights([], sites), true));
            rows.Add(new("weights and activations: all", WithWeights(weightClasses, sites), true));
        }
        using (var model = QuantizedMambaModel.Create(quantized))
            rows.Add(new("quantized model (integer kernels)", Evaluate(model), false));
        return rows;
    }

    private static string Describe(AblationSite site) => site switch
    {
        AblationSite.MixerInput => "in_proj input u",
        AblationSite.ConvInput => "conv input",
        AblationSite.SsmX => "SSM input x",
        AblationSite.SsmBC => "B, C (and dt_low)",
        AblationSite.OutProjInput => "out_proj input y",
        _ => "lm_head input",
    };

    /// <summary>Replaces a weight class of the float checkpoint by the quantized checkpoint's dequantized values.</summary>
    private static void Dequantize(FloatCheckpoint floats, QuantizedCheckpoint quantized, PreparedQuantization prepared, string weightClass)
    {
        var c = floats.Config;
        var reader = new StoredTensorReader(quantized);
        var m = quantized.Manifest;
        if (weightClass == "embedding")
        {
            string name = floats.EmbeddingName, prefix = name[..^".weight".Length];
            reader.Linear(prefix, m.Head.Embedding, c.VocabSize, c.HiddenSize, 1f, "head.embedding").DequantizeWeights().CopyTo(floats[name], 0);
            return;
        }
        for (int l = 0; l < c.NumLayers; l++)
        {
            string M(string n) => FloatCheckpoint.Mixer(l, n);
            if (weightClass == "conv1d")
            {
                var codes = quantized.Tensors.TryGetValue(M("conv1d.weight"), out var t) && t.DType == SafetensorsDType.I8 ? t.ToInt8() : null;
                if (codes is null) continue; // float conv in A16 layers
                float s = quantized.Tensors[M("conv1d.weight_scale")].ToFloat32()[0];
                var target = floats[M("conv1d.weight")];
                for (int i = 0; i < codes.Length; i++) target[i] = codes[i] * s;
                continue;
            }
            var shape = floats.Shape(M(weightClass + ".weight"));
            var w = reader.Linear(M(weightClass), m.Layers[l].Linears[weightClass], shape[0], shape[1], 1f, $"layers[{l}].linears.{weightClass}").DequantizeWeights();
            if (weightClass == "out_proj" && m.HadamardOutProj) w = OutProjRotation.Unrotate(w, shape[0], shape[1]);
            w.CopyTo(floats[M(weightClass + ".weight")], 0);
        }
    }
}
