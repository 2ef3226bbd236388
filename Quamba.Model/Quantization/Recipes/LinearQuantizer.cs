using Quamba.Model.Quantization.Checkpoint;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Recipes;

/// <summary>Quantizes one float weight (RTN or GPTQ) and stores its codes and scales under a tensor prefix.</summary>
internal static class LinearQuantizer
{
    /// <param name="segments">int8 per-output-segment row ranges; null for one scale per tensor.</param>
    /// <param name="hessian">GPTQ's Hessian of the layer input; null for round-to-nearest.</param>
    public static LinearManifest Int8(IDictionary<string, StoredTensor> tensors, string prefix, float[] weights, int rows, int columns,
        IReadOnlyList<RowRange>? segments, double[]? hessian)
    {
        var granularity = segments is null ? Int8WeightGranularity.PerTensor : Int8WeightGranularity.PerOutputSegment;
        var m = hessian is null
            ? Int8WeightQuantizer.Quantize(weights, rows, columns, granularity, segments)
            : GptqQuantizer.QuantizeInt8(weights, rows, columns, hessian, granularity, segments);
        return StoreInt8(tensors, prefix, m, hessian is null ? "rtn" : "gptq");
    }

    /// <summary>int8 with one scale per output row (the embedding's per-row scales).</summary>
    public static LinearManifest Int8PerRow(IDictionary<string, StoredTensor> tensors, string prefix, float[] weights, int rows, int columns) =>
        StoreInt8(tensors, prefix, Int8WeightQuantizer.QuantizePerOutputChannel(weights, rows, columns), "rtn");

    public static LinearManifest Int4(IDictionary<string, StoredTensor> tensors, string prefix, float[] weights, int rows, int columns,
        int groupSize, double[]? hessian)
    {
        var m = hessian is null
            ? Int4WeightQuantizer.RoundToNearest(weights, rows, columns, groupSize)
            : GptqQuantizer.QuantizeInt4(weights, rows, columns, hessian, groupSize);
        tensors[QuantizedTensorNames.Weight(prefix)] = StoredTensor.UInt8(m.Packed, rows, m.BytesPerRow);
        tensors[QuantizedTensorNames.WeightScale(prefix)] = StoredTensor.Float32(m.Scales, rows, m.GroupsPerRow);
        return new LinearManifest { Format = "int4", GroupSize = groupSize, Method = hessian is null ? "rtn" : "gptq" };
    }

    private static LinearManifest StoreInt8(IDictionary<string, StoredTensor> tensors, string prefix, QuantizedInt8Matrix m, string method)
    {
        tensors[QuantizedTensorNames.Weight(prefix)] = StoredTensor.Int8(m.Data, m.Rows, m.Columns);
        tensors[QuantizedTensorNames.WeightScale(prefix)] = StoredTensor.Float32(m.Scales, m.Scales.Length);
        return new LinearManifest
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
        };
    }
}
