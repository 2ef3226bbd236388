using Quamba.Model.Checkpoints;
using Quamba.Model.Quantization.Calibration;
using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Clustering;
using Quamba.Model.Quantization.Hadamard;
using Quamba.Model.Quantization.Transforms;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>
/// Turns the transformed float weights and the calibration results into the tensors of a quantized checkpoint, layer
/// by layer (<see cref="QuantizedTensorNames"/>), returning the manifest entries that describe them.
/// </summary>
internal sealed class QuantizedTensorBuilder(FloatCheckpoint floats, RecipeSettings recipe, QuantizationOptions options, ActivationCollector? collector)
{
    private readonly ModelConfig _c = floats.Config;
    private readonly HadamardTransform? _hadamard = recipe.HadamardY ? HadamardTransform.Create(floats.Config.IntermediateSize) : null;

    public Dictionary<string, StoredTensor> Tensors { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The linears quantized so far, by tensor prefix, as the float model would hold them: dequantized, out_proj
    /// without its fused rotation (what sequential GPTQ feeds the next layers' calibration).
    /// </summary>
    public Dictionary<string, Func<float[]>> FloatEquivalents { get; } = new(StringComparer.Ordinal);

    /// <param name="hessians">GPTQ's Hessians of this layer's linears (required with GPTQ).</param>
    public LayerManifest Layer(int l, LayerPrecision precision, LayerClustering? clustering, LayerHessians? hessians)
    {
        var c = _c;
        int d = c.HiddenSize, e = c.IntermediateSize, k = c.ConvKernel;
        bool a8 = precision.HasInt8Activations(), mamba1 = c.Architecture == MambaArchitecture.Mamba1;
        string M(string name) => FloatCheckpoint.Mixer(l, name);
        var scales = a8 ? (collector ?? throw new InvalidOperationException("int8 activations need calibration")).Scales(l) : null;
        var linears = new Dictionary<string, LinearManifest>(StringComparer.Ordinal);

        Float(FloatCheckpoint.LayerNorm(l));
        linears["in_proj"] = Quantize(M("in_proj"), c.InProjRows, d, precision, InProjSegments(), hessians?.InProj);
        if (a8) Scalar(QuantizedTensorNames.InputScale(M("in_proj")), scales!.Input);

        // conv1d: int8 codes (per tensor) with per-channel input scales, or float for float activations.
        int convChannels = c.ConvChannels;
        if (a8)
        {
            var conv = Int8WeightQuantizer.QuantizePerTensor(floats[M("conv1d.weight")], convChannels, k);
            Tensors[M("conv1d.weight")] = StoredTensor.Int8(conv.Data, convChannels, 1, k);
            Scalar(M("conv1d.weight_scale"), conv.Scales[0]);
            Tensors[QuantizedTensorNames.InputScale(M("conv1d"))] = StoredTensor.Float32(scales!.ConvInput, convChannels);
        }
        else
        {
            Float(M("conv1d.weight"));
        }
        if (c.UseConvBias) Float(M("conv1d.bias"));
        if (c.UseBias)
        {
            Float(M("in_proj.bias"));
            Float(M("out_proj.bias"));
        }
        Float(M("A_log"));
        Float(M("D"));

        if (mamba1)
        {
            int r = c.TimeStepRank, n = c.StateSize;
            linears["x_proj"] = Quantize(M("x_proj"), r + 2 * n, e, precision, null, hessians?.XProj);
            // dt_proj (K = dt rank) stays 8-bit at every precision.
            linears["dt_proj"] = Keep(M("dt_proj"), LinearQuantizer.Int8(Tensors, M("dt_proj"), floats[M("dt_proj.weight")], e, r, null, null));
            Float(M("dt_proj.bias"));
            if (a8)
            {
                Scalar(QuantizedTensorNames.XScale(l), scales!.X[0]);
                Scalar(QuantizedTensorNames.InputScale(M("dt_proj")), scales.DtLow);
                Scalar(QuantizedTensorNames.BScale(l), scales.B[0]);
                Scalar(QuantizedTensorNames.CScale(l), scales.C[0]);
            }
        }
        else
        {
            Float(M("dt_bias"));
            if (c.GatedNorm) Float(M("norm.weight"));
            if (a8)
            {
                var table = clustering?.Table;
                Tensors[QuantizedTensorNames.XScale(l)] = table is null
                    ? StoredTensor.Float32(scales!.X, 1)
                    : StoredTensor.Float32(scales!.X, c.NGroups, table.HeadGroupCount, table.DimGroupCount);
                Tensors[QuantizedTensorNames.BScale(l)] = StoredTensor.Float32(scales.B, scales.B.Length);
                Tensors[QuantizedTensorNames.CScale(l)] = StoredTensor.Float32(scales.C, scales.C.Length);
            }
        }

        // out_proj: the Hadamard rotation fused into its input dimension (W M); y is rotated online.
        var outProj = (float[])floats[M("out_proj.weight")].Clone();
        _hadamard?.TransformRows(outProj, d);
        linears["out_proj"] = QuantizeWeights(M("out_proj"), outProj, d, e, precision, null, hessians?.OutProj,
            rotated: _hadamard is not null);
        if (a8) Scalar(QuantizedTensorNames.InputScale(M("out_proj")), scales!.Y);

        var table2 = clustering?.Table;
        return new LayerManifest
        {
            Index = l,
            Precision = precision.Name(),
            Linears = linears,
            HeadPermutation = clustering?.HeadPermutation,
            ChannelPermutation = clustering?.ChannelPermutation,
            XGroups = table2 is null || !a8 ? null : new GroupTableManifest
            {
                HeadGroups = table2.HeadGroupCount,
                DimGroups = table2.DimGroupCount,
                HeadGroupOfHead = table2.HeadGroupOfHead.ToArray(),
                DimGroupBoundaries = table2.DimGroupBoundaries.ToArray(),
            },
        };
    }

    /// <summary>
    /// Embedding (and an untied lm_head): int8 per row for W8A8 (or <see cref="QuantizationOptions.EmbeddingBits"/> 8),
    /// int4 groups otherwise; the final norm in float. With GPTQ the table is solved for lm_head with the Hessian of its
    /// input (the final normed hidden state): as lm_head it produces every logit, while a lookup is one row among the
    /// residual stream's many contributions; lookups read the same codes.
    /// </summary>
    /// <param name="hessian">The Hessian of lm_head's input (required with GPTQ).</param>
    public HeadManifest Head(LayerPrecision precision, HessianAccumulator? hessian)
    {
        var c = _c;
        int v = c.VocabSize, d = c.HiddenSize;
        string embeddingName = floats.EmbeddingName;
        string prefix = embeddingName[..^".weight".Length];
        bool int8 = precision == LayerPrecision.W8A8 || options.EmbeddingBits == 8;
        double[]? h = options.Gptq ? (hessian ?? throw new InvalidOperationException("GPTQ needs the Hessian of lm_head's input")).GetHessian() : null;
        var gptq = options.LayerGptq with { DampeningFraction = options.EmbeddingDampening };
        LinearManifest Table(string name, float[] weights, double[]? hessian) => (int8
            ? LinearQuantizer.Int8PerRow(Tensors, name, weights, v, d, hessian, gptq)
            : LinearQuantizer.Int4(Tensors, name, weights, v, d, options.EmbeddingGroupSize ?? options.GroupSize, hessian, gptq, options.Int4Search)).Manifest;

        var embedding = Table(prefix, floats[embeddingName], c.TieWordEmbeddings && options.EmbeddingGptq ? h : null);
        LinearManifest? lmHead = c.TieWordEmbeddings ? null : Table(QuantizedTensorNames.LmHead, floats[Models.TensorNames.LmHead], h);
        if (precision.HasInt8Activations())
            Scalar(QuantizedTensorNames.HeadInputScale, (collector ?? throw new InvalidOperationException("int8 head activations need calibration")).Head.Scale);
        Float(QuantizedTensorNames.FinalNorm);
        return new HeadManifest { Precision = precision.Name(), Embedding = embedding, LmHead = lmHead };
    }

    /// <summary>Quamba2 quantizes in_proj per output segment (Mamba1 [x | z]; Mamba2 [z | x | B | C | dt]).</summary>
    private IReadOnlyList<RowRange>? InProjSegments()
    {
        if (!recipe.GroupedScales) return null;
        int e = _c.IntermediateSize, gn = _c.NGroups * _c.StateSize;
        return _c.Architecture == MambaArchitecture.Mamba1
            ? [new RowRange(0, e), new RowRange(e, e)]
            : [new RowRange(0, e), new RowRange(e, e), new RowRange(2 * e, gn), new RowRange(2 * e + gn, gn), new RowRange(2 * e + 2 * gn, _c.NumHeads)];
    }

    private LinearManifest Quantize(string prefix, int rows, int columns, LayerPrecision precision, IReadOnlyList<RowRange>? segments, HessianAccumulator? hessian) =>
        QuantizeWeights(prefix, floats[QuantizedTensorNames.Weight(prefix)], rows, columns, precision, segments, hessian, rotated: false);

    private LinearManifest QuantizeWeights(string prefix, float[] weights, int rows, int columns, LayerPrecision precision,
        IReadOnlyList<RowRange>? segments, HessianAccumulator? hessian, bool rotated)
    {
        double[]? h = options.Gptq ? (hessian ?? throw new InvalidOperationException($"GPTQ needs the Hessian of {prefix}")).GetHessian() : null;
        var q = precision.WeightBits() == 8
            ? LinearQuantizer.Int8(Tensors, prefix, weights, rows, columns, segments, h, options.LayerGptq)
            : LinearQuantizer.Int4(Tensors, prefix, weights, rows, columns, options.GroupSize, h, options.LayerGptq, options.Int4Search);
        return Keep(prefix, rotated ? q with { Dequantize = () => OutProjRotation.Unrotate(q.Dequantize(), rows, columns) } : q);
    }

    private LinearManifest Keep(string prefix, QuantizedWeight q)
    {
        FloatEquivalents[prefix] = q.Dequantize;
        return q.Manifest;
    }

    private void Float(string name) => Tensors[name] = StoredTensor.Float32(floats[name], floats.Shape(name));

    private void Scalar(string name, float value) => Tensors[name] = StoredTensor.Float32([value], 1);
}
