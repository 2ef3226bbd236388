using Quamba.Model.Quantization.Weights;

namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// An int8 weight matrix <c>[Rows = N, Columns = K]</c> prepared for <see cref="Int8MatrixMultiply"/>: the codes
/// (not copied) and each row's code sum, which the VNNI path needs to undo its +128 activation offset
/// (<c>sum (a + 128) w = sum a w + 128 sum w</c>). Prepare once per weight, reuse for every call.
/// </summary>
public sealed class Int8GemmWeights
{
    private readonly int[] _rowSums;

    public Int8GemmWeights(sbyte[] data, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (columns > Int8MatrixMultiply.MaxInnerDimension)
            throw new ArgumentOutOfRangeException(nameof(columns), columns, $"K above {Int8MatrixMultiply.MaxInnerDimension} can overflow the int32 accumulator; split the inner dimension.");
        if (data.Length != (long)rows * columns)
            throw new ArgumentException($"data has {data.Length} codes; expected rows ({rows}) x columns ({columns}).", nameof(data));
        Data = data;
        Rows = rows;
        Columns = columns;
        _rowSums = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int s = 0;
            foreach (sbyte v in data.AsSpan(r * columns, columns)) s += v;
            _rowSums[r] = s;
        }
    }

    public static Int8GemmWeights From(QuantizedInt8Matrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return new Int8GemmWeights(matrix.Data, matrix.Rows, matrix.Columns);
    }

    public sbyte[] Data { get; }

    /// <summary>N, the output width.</summary>
    public int Rows { get; }

    /// <summary>K, the inner (input) width.</summary>
    public int Columns { get; }

    internal int[] RowSums => _rowSums;
}
