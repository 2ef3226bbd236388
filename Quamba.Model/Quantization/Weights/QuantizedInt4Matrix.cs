namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// A 4-bit weight matrix <c>[Rows, Columns]</c> (rows = outputs, columns = inputs) with one scale per
/// group of <see cref="GroupSize"/> consecutive columns of a row: <c>W[r, c] ~ (code(r, c) - 8) * Scales[r * GroupsPerRow + c / GroupSize]</c>.
/// Codes are packed as described in <see cref="Int4Packing"/>; the last group of a row may be shorter.
/// </summary>
public sealed class QuantizedInt4Matrix
{
    public const int DefaultGroupSize = 128;

    public QuantizedInt4Matrix(int rows, int columns, int groupSize, byte[] packed, float[] scales)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentNullException.ThrowIfNull(packed);
        ArgumentNullException.ThrowIfNull(scales);
        // An even group size keeps every group byte-aligned in the packed row.
        if (groupSize < 2 || groupSize % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "The 4-bit group size must be even and >= 2 (128 is the Quamba2 default).");
        int bpr = Int4Packing.BytesPerRow(columns);
        if (packed.Length != (long)rows * bpr)
            throw new ArgumentException($"packed has {packed.Length} bytes; expected rows ({rows}) x ceil(columns / 2) ({bpr}).", nameof(packed));
        int groups = (columns + groupSize - 1) / groupSize;
        if (scales.Length != (long)rows * groups)
            throw new ArgumentException($"scales has {scales.Length} entries; expected rows ({rows}) x groups per row ({groups}).", nameof(scales));
        foreach (float s in scales) Int8Quantization.CheckScale(s, nameof(scales));
        Rows = rows;
        Columns = columns;
        GroupSize = groupSize;
        Packed = packed;
        Scales = scales;
    }

    public int Rows { get; }
    public int Columns { get; }
    public int GroupSize { get; }
    public int GroupsPerRow => (Columns + GroupSize - 1) / GroupSize;
    public int BytesPerRow => Int4Packing.BytesPerRow(Columns);

    /// <summary>Packed codes, <c>Rows * BytesPerRow</c> bytes.</summary>
    public byte[] Packed { get; }

    /// <summary>Group scales, <c>[Rows, GroupsPerRow]</c>.</summary>
    public float[] Scales { get; }

    public int GetCode(int row, int column) => Int4Packing.GetCode(Packed, BytesPerRow, row, column);

    /// <summary>Float weights <c>[Rows, Columns]</c>.</summary>
    public float[] Dequantize()
    {
        var w = new float[(long)Rows * Columns];
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Columns; c++)
                w[r * Columns + c] = Int4Quantization.Decode(GetCode(r, c), Scales[r * GroupsPerRow + c / GroupSize]);
        return w;
    }
}
