using Quamba.Model.Checkpoints;
using Quamba.Model.Quantization.Execution;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Checkpoint;

/// <summary>
/// Reads the tensors a quantized model needs, checking dtype, shape and scale values, with errors that name the file,
/// the tensor and why it is expected (which quantization.json entry asks for it).
/// </summary>
internal sealed class StoredTensorReader(QuantizedCheckpoint checkpoint)
{
    private const string Fix = "the folder is damaged or was written by another tool; quantize the float model again with quamba quantize";

    public QuantizedCheckpoint Checkpoint { get; } = checkpoint;

    public StoredTensor Require(string name, SafetensorsDType dtype, int[] shape, string why)
    {
        string path = Checkpoint.WeightsPath;
        if (!Checkpoint.Tensors.TryGetValue(name, out var t))
            throw new CheckpointTensorException(path, name, $"{path}: tensor '{name}' is missing ({why}); {Fix}");
        if (t.DType != dtype || !t.Shape.AsSpan().SequenceEqual(shape))
            throw new CheckpointTensorException(path, name,
                $"{path}: tensor '{name}' is {t.DType} {t.ShapeText}, expected {dtype} {SafetensorsTensor.FormatShape(shape)} ({why}); {Fix}");
        return t;
    }

    public float[] Floats(string name, int[] shape, string why) => Require(name, SafetensorsDType.F32, shape, why).ToFloat32();

    /// <summary>Scales: F32 of the given shape, every value finite and &gt; 0.</summary>
    public float[] Scales(string name, int[] shape, string why)
    {
        var values = Floats(name, shape, why);
        for (int i = 0; i < values.Length; i++)
            if (!(values[i] > 0) || !float.IsFinite(values[i]))
                throw new CheckpointTensorException(Checkpoint.WeightsPath, name,
                    $"{Checkpoint.WeightsPath}: tensor '{name}' element {i} is {values[i]}; a quantization scale must be finite and > 0 ({why}); {Fix}");
        return values;
    }

    public float Scale(string name, string why) => Scales(name, [1], why)[0];

    /// <summary>A quantized linear layer as quantization.json's <paramref name="m"/> describes it.</summary>
    /// <param name="field">The manifest path of <paramref name="m"/>, e.g. "layers[2].linears.in_proj".</param>
    public QuantizedLinear Linear(string prefix, LinearManifest m, int rows, int columns, float inputScale, string field)
    {
        string why = $"quantization.json {field} is {m.Format}";
        string weight = QuantizedTensorNames.Weight(prefix), scale = QuantizedTensorNames.WeightScale(prefix);
        switch (m.Format)
        {
            case "int8":
            {
                var codes = Require(weight, SafetensorsDType.I8, [rows, columns], why).ToInt8();
                var (granularity, segments) = Int8Layout(m, rows, field);
                int count = granularity switch
                {
                    Int8WeightGranularity.PerTensor => 1,
                    Int8WeightGranularity.PerOutputChannel => rows,
                    _ => segments!.Count,
                };
                var scales = Scales(scale, [count], why + $" {m.Granularity}");
                return new Int8Linear(new QuantizedInt8Matrix(rows, columns, codes, scales, granularity, segments), inputScale);
            }
            case "int4":
            {
                int groupSize = m.GroupSize is int g && g >= 2 && g % 2 == 0 ? g
                    : throw new ModelConfigException(Checkpoint.ManifestPath, field + ".group_size", $"is {m.GroupSize?.ToString() ?? "missing"}; an int4 layer needs an even group size >= 2 (128 by default)");
                var packed = Require(weight, SafetensorsDType.U8, [rows, Int4Packing.BytesPerRow(columns)], why + " (two codes per byte)").ToUInt8();
                int groups = (columns + groupSize - 1) / groupSize;
                var scales = Scales(scale, [rows, groups], why + $" with groups of {groupSize}");
                return new Int4Linear(new QuantizedInt4Matrix(rows, columns, groupSize, packed, scales), inputScale);
            }
            default:
                throw new ModelConfigException(Checkpoint.ManifestPath, field + ".format", $"unknown weight format '{m.Format}'; expected int8 or int4");
        }
    }

    private (Int8WeightGranularity, IReadOnlyList<RowRange>?) Int8Layout(LinearManifest m, int rows, string field)
    {
        switch (m.Granularity)
        {
            case "per_tensor": return (Int8WeightGranularity.PerTensor, null);
            case "per_output_channel": return (Int8WeightGranularity.PerOutputChannel, null);
            case "per_output_segment":
                if (m.SegmentRows is not { Length: > 0 } counts || counts.Any(c => c < 1) || counts.Sum() != rows)
                    throw new ModelConfigException(Checkpoint.ManifestPath, field + ".segment_rows",
                        $"must list positive row counts summing to the layer's {rows} rows; got [{string.Join(", ", m.SegmentRows ?? [])}]");
                var segments = new List<RowRange>();
                int start = 0;
                foreach (int count in counts)
                {
                    segments.Add(new RowRange(start, count));
                    start += count;
                }
                return (Int8WeightGranularity.PerOutputSegment, segments);
            default:
                throw new ModelConfigException(Checkpoint.ManifestPath, field + ".granularity",
                    $"unknown int8 granularity '{m.Granularity}'; expected per_tensor, per_output_channel or per_output_segment");
        }
    }
}
