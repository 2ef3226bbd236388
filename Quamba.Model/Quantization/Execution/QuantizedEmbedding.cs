using Quamba.Model.Backends.Cpu;
using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Quantization.Execution;

/// <summary>
/// The embedding table as quantized codes: int8 per row ("per output channel" of the tied lm_head) or int4 groups
/// along d. A lookup dequantizes one row.
/// </summary>
internal sealed unsafe class QuantizedEmbedding(QuantizedLinear table)
{
    /// <summary>The same codes serve as lm_head when the embeddings are tied.</summary>
    public QuantizedLinear Table { get; } = table;

    public void Lookup(int token, float* destination)
    {
        switch (Table)
        {
            case Int8Linear int8:
            {
                var m = int8.Matrix;
                int width = m.Columns;
                float s = m.ScaleOfRow(token);
                fixed (sbyte* codes = m.Data)
                {
                    sbyte* row = codes + (long)token * width;
                    for (int j = 0; j < width; j++) destination[j] = row[j] * s;
                }
                break;
            }
            case Int4Linear int4:
            {
                var m = int4.Matrix;
                int width = m.Columns, groups = m.GroupsPerRow, bpr = m.BytesPerRow;
                fixed (byte* packed = m.Packed)
                fixed (float* scales = m.Scales)
                {
                    byte* row = packed + (long)token * bpr;
                    float* s = scales + (long)token * groups;
                    for (int j = 0; j < width; j++)
                    {
                        int code = (j & 1) == 0 ? row[j >> 1] & 0x0F : row[j >> 1] >> 4;
                        destination[j] = Int4Quantization.Decode(code, s[j / m.GroupSize]);
                    }
                }
                break;
            }
            default:
                throw new InvalidOperationException($"unsupported embedding table {Table.GetType().Name}");
        }
    }
}
