namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// Packing of 4-bit codes, two per byte, row by row. Row r occupies <c>BytesPerRow = ceil(columns / 2)</c>
/// bytes starting at <c>r * BytesPerRow</c>; byte j of a row holds column <c>2j</c> in its low nibble
/// (bits 0-3) and column <c>2j + 1</c> in its high nibble (bits 4-7). With an odd column count the last
/// high nibble is padding and holds code 8 (the zero weight), so a kernel that reads it adds nothing.
/// </summary>
public static class Int4Packing
{
    public static int BytesPerRow(int columns) => (columns + 1) / 2;

    /// <summary>Packs codes <c>[rows, columns]</c> (each 0..15) into the layout above.</summary>
    public static byte[] Pack(ReadOnlySpan<byte> codes, int rows, int columns)
    {
        if (codes.Length != (long)rows * columns)
            throw new ArgumentException($"codes has {codes.Length} entries; expected rows ({rows}) x columns ({columns}).", nameof(codes));
        int bpr = BytesPerRow(columns);
        var packed = new byte[(long)rows * bpr];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c += 2)
            {
                int lo = codes[r * columns + c];
                int hi = c + 1 < columns ? codes[r * columns + c + 1] : Int4Quantization.ZeroCode;
                if (lo > 15 || hi > 15)
                    throw new ArgumentException($"Code at row {r}, column {(lo > 15 ? c : c + 1)} is {(lo > 15 ? lo : hi)}; 4-bit codes are 0..15.", nameof(codes));
                packed[r * bpr + c / 2] = (byte)(lo | (hi << 4));
            }
        return packed;
    }

    /// <summary>Unpacks to one code per byte, <c>[rows, columns]</c>.</summary>
    public static byte[] Unpack(ReadOnlySpan<byte> packed, int rows, int columns)
    {
        int bpr = BytesPerRow(columns);
        if (packed.Length != (long)rows * bpr)
            throw new ArgumentException($"packed has {packed.Length} bytes; expected rows ({rows}) x ceil(columns / 2) ({bpr}).", nameof(packed));
        var codes = new byte[(long)rows * columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                codes[r * columns + c] = GetCode(packed, bpr, r, c);
        return codes;
    }

    public static byte GetCode(ReadOnlySpan<byte> packed, int bytesPerRow, int row, int column)
    {
        byte b = packed[row * bytesPerRow + (column >> 1)];
        return (byte)((column & 1) == 0 ? b & 0x0F : b >> 4);
    }
}
