using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>A stored quantized weight: its manifest entry and its values as the quantized model sees them.</summary>
internal sealed record QuantizedWeight(LinearManifest Manifest, Func<float[]> Dequantize);

/// <summary>Quantizes one float weight (RTN or GPTQ) and stores its codes and scales under a tensor prefix.</summary>
internal static class LinearQuantizer
{
    /// <param name="segments">int8 per-output-segment row ranges; null for one scale per tensor.</param>
    /// <param name="hessian">GPTQ's Hessian of the layer input; null for round-to-nearest.</param>
    /// <param name="gptq">The solver's settings when <paramref name="hessian"/> is given.</param>
    public static QuantizedWeight Int8(IDictionary<string, StoredTensor> tensors, string prefix, float[] weights, int rows, int columns,
        IReadOnlyList<RowRange>? segments, double[]? hessian, GptqOptions? gptq = null)
    {
        var granularity = segments is null ? Int8WeightGranularity.PerTensor : Int8WeightGranularity.PerOutputSegment;
        return Int8(tensors, prefix, weights, rows, columns, granularity, segments, hessian, gptq);
    }

    /// <summary>int8 with one scale per output row (the embedding's per-row scales).</summary>
    public static QuantizedWeight Int8PerRow(IDictionary<string, StoredTensor> tensors, string prefix, float[] weights, int rows, int columns,
        double[]? hessian, GptqOptions? gptq) =>
        Int8(tensors, prefix, weights, rows, columns, Int8WeightGranularity.PerOutputChannel, null, hessian, gptq);

    /// <param name="scaleSearch">RTN's clip search (GPTQ takes its own from <paramref name="gptq"/>); null for abs-max scales.</param>
    public static QuantizedWeight Int4(IDictionary<string, StoredTensor> tensors, string prefix, float[] weights, int rows, int columns,
        int groupSize, double[]? hessian, GptqOptions? gptq, Int4ScaleSearch? scaleSearch)
    {
        var m = hessian is null
            ? Int4WeightQuantizer.RoundToNearest(weights, rows, columns, groupSize, scaleSearch)
            : GptqQuantizer.QuantizeInt4(weights, rows, columns, hessian, groupSize, gptq);
        tensors[QuantizedTensorNames.Weight(prefix)] = StoredTensor.UInt8(m.Packed, rows, m.BytesPerRow);
        tensors[QuantizedTensorNames.WeightScale(prefix)] = StoredTensor.Float32(m.Scales, rows, m.GroupsPerRow);
        return new QuantizedWeight(new LinearManifest { Format = "int4", GroupSize = groupSize, Method = hessian is null ? "rtn" : "gptq" }, m.Dequantize);
    }

    private static QuantizedWeight Int8(IDictionary<string, StoredTensor> tensors, string prefix, float[] weights, int rows, int columns,
        Int8WeightGranularity granularity, IReadOnlyList<RowRange>? segments, double[]? hessian, GptqOptions? gptq)
    {
        var m = hessian is null
            ? Int8WeightQuantizer.Quantize(weights, rows, columns, granularity, segments)
            : GptqQuantizer.QuantizeInt8(weights, rows, columns, hessian, granularity, segments, gptq);
        return StoreInt8(tensors, prefix, m, hessian is null ? "rtn" : "gptq");
    }

    private static QuantizedWeight StoreInt8(IDictionary<string, StoredTensor> tensors, string prefix, QuantizedInt8Matrix m, string method)
    {
        tensors[QuantizedTensorNames.Weight(prefix)] = StoredTensor.Int8(m.Data, m.Rows, m.Columns);
        tensors[QuantizedTensorNames.WeightScale(prefix)] = StoredTensor.Float32(m.Scales, m.Scales.Length);
        return new QuantizedWeight(new LinearManifest
        {
            Format = "int8",
            Granularity = m.Granularity switch
            {
                Int8WeightGranularity.PerTensor => "per_tensor",
                Int8WeightGranularity.PerOutputChannel => "per_output_channel",
                _ => "per_output_segment",
            },
            SegmentRows = m.Granularity == Int8WeightGranularity.PerOutputSegment ? m.Segments.Select(s => s.Count).ToArray() : null,
            Method = method,
        }, m.Dequantize);
    }
}
