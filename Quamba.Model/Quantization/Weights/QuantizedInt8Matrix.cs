namespace Quamba.Model.Quantization.Weights;

/// <summary>
/// An int8 weight matrix <c>[Rows, Columns]</c> (rows = outputs, columns = inputs), row-major codes, with
/// per-tensor, per-output-channel or per-output-segment scales: <c>W[r, c] ~ Data[r * Columns + c] * ScaleOfRow(r)</c>.
/// </summary>
public sealed class QuantizedInt8Matrix
{
    private readonly float[] _rowScales;

    /// <param name="scales">1 scale (per tensor), Rows scales (per channel) or one per segment.</param>
    /// <param name="segments">The row ranges for <see cref="Int8WeightGranularity.PerOutputSegment"/>; null otherwise.</param>
    public QuantizedInt8Matrix(int rows, int columns, sbyte[] data, float[] scales, Int8WeightGranularity granularity,
        IReadOnlyList<RowRange>? segments = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(scales);
        if (data.Length != (long)rows * columns)
            throw new ArgumentException($"data has {data.Length} codes; expected rows x columns = {(long)rows * columns}.", nameof(data));
        foreach (float s in scales) Int8Quantization.CheckScale(s, nameof(scales));
        Segments = Int8WeightLayout.Validate(rows, granularity, segments);
        int expectedScales = granularity switch
        {
            Int8WeightGranularity.PerTensor => 1,
            Int8WeightGranularity.PerOutputChannel => rows,
            _ => Segments.Count,
        };
        if (scales.Length != expectedScales)
            throw new ArgumentException($"{granularity} needs {expectedScales} scales; got {scales.Length}.", nameof(scales));

        Rows = rows;
        Columns = columns;
        Data = data;
        Scales = scales;
        Granularity = granularity;
        _rowScales = new float[rows];
        int[] scaleOfRow = Int8WeightLayout.ScaleIndexOfRows(rows, granularity, Segments);
        for (int r = 0; r < rows; r++) _rowScales[r] = scales[scaleOfRow[r]];
    }

    public int Rows { get; }
    public int Columns { get; }

    /// <summary>Row-major codes, <c>[Rows, Columns]</c>.</summary>
    public sbyte[] Data { get; }

    /// <summary>The distinct scales (1, Rows, or one per segment).</summary>
    public float[] Scales { get; }

    public Int8WeightGranularity Granularity { get; }

    /// <summary>The row ranges of each scale (one range for per tensor, one per row for per channel).</summary>
    public IReadOnlyList<RowRange> Segments { get; }

    /// <summary>The scale of every row, expanded: what a kernel multiplies output row r by.</summary>
    public ReadOnlySpan<float> RowScales => _rowScales;

    public float ScaleOfRow(int row) => _rowScales[row];

    /// <summary>Float weights <c>[Rows, Columns]</c>: code * scale.</summary>
    public float[] Dequantize()
    {
        var w = new float[Data.Length];
        for (int r = 0; r < Rows; r++)
        {
            float s = _rowScales[r];
            for (int c = 0; c < Columns; c++) w[r * Columns + c] = Data[r * Columns + c] * s;
        }
        return w;
    }
}
