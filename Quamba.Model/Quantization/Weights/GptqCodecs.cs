namespace Quamba.Model.Quantization.Weights;

/// <summary>How GPTQ turns a column's values into codes: the only part that differs between 4 and 8 bits.</summary>
internal abstract class GptqCodec
{
    /// <summary>
    /// Called before solver column <paramref name="column"/> is quantized; <paramref name="current"/> reads W's current
    /// (error-updated) value at (row, solver column).
    /// </summary>
    public virtual void BeginColumn(int column, int columns, Func<int, int, float> current) { }

    /// <summary>Quantizes w at (row, original column); returns the dequantized value and the code byte.</summary>
    public abstract float Quantize(int row, int column, float w, out byte code);
}

/// <summary>
/// 4-bit codes with group scales (<see cref="Int4Quantization"/>), one scale per row and contiguous group of original
/// columns.
/// </summary>
internal sealed class Int4GptqCodec : GptqCodec
{
    private readonly int _rows, _groupSize, _groups;
    private readonly Int4ScaleSearch? _search;
    private readonly float[]? _importance;
    private readonly bool _dynamic;

    private Int4GptqCodec(int rows, int groupSize, int groups, float[] scales, Int4ScaleSearch? search, float[]? importance, bool dynamic)
    {
        (_rows, _groupSize, _groups, Scales, _search, _importance, _dynamic) = (rows, groupSize, groups, scales, search, importance, dynamic);
    }

    public float[] Scales { get; }

    /// <summary>
    /// Plain GPTQ's groups (original column order only): a group's scales are chosen when its first column is reached,
    /// from the group's current, error-updated weights.
    /// </summary>
    public static Int4GptqCodec Dynamic(int rows, int columns, int groupSize, Int4ScaleSearch? search, float[]? importance)
    {
        int groups = Int4Groups.Count(columns, groupSize);
        return new Int4GptqCodec(rows, groupSize, groups, new float[(long)rows * groups], search, importance, dynamic: true);
    }

    /// <summary>Static groups (any column order, e.g. act-order): every scale chosen up front from the original weights.</summary>
    public static Int4GptqCodec Static(float[] w, int rows, int columns, int groupSize, Int4ScaleSearch? search, float[]? importance) =>
        new(rows, groupSize, Int4Groups.Count(columns, groupSize), Int4Groups.Scales(w, rows, columns, groupSize, search, importance), search, importance, dynamic: false);

    public override void BeginColumn(int column, int columns, Func<int, int, float> current)
    {
        if (!_dynamic || column % _groupSize != 0) return;
        int g = column / _groupSize, count = Math.Min(_groupSize, columns - column);
        var group = new float[count];
        for (int r = 0; r < _rows; r++)
        {
            for (int i = 0; i < count; i++) group[i] = current(r, column + i);
            Scales[r * _groups + g] = Int4Groups.Scale(group, _search, _importance is null ? default : _importance.AsSpan(column, count));
        }
    }

    public override float Quantize(int row, int column, float w, out byte code)
    {
        float s = Scales[row * _groups + column / _groupSize];
        code = Int4Quantization.Encode(w, s);
        return Int4Quantization.Decode(code, s);
    }
}

/// <summary>int8 codes with fixed per-row scales.</summary>
internal sealed class Int8GptqCodec(float[] rowScales) : GptqCodec
{
    public override float Quantize(int row, int column, float w, out byte code)
    {
        sbyte q = Int8Quantization.Quantize(w, rowScales[row]);
        code = unchecked((byte)q);
        return q * rowScales[row];
    }
}
