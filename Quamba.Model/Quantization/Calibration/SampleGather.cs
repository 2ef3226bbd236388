using Quamba.Model.Models;

namespace Quamba.Model.Quantization.Calibration;

/// <summary>Copies one sequence's columns of an <see cref="ActivationBlock"/> into a contiguous [length, width] sample.</summary>
internal sealed class SampleGather
{
    private float[] _buffer = [];

    /// <summary>Columns [column, column + width) of every row of sequence <paramref name="sequence"/>.</summary>
    public Span<float> Gather(ActivationBlock block, int sequence, int column, int width)
    {
        int length = block.Length;
        if (_buffer.Length < length * width) _buffer = new float[length * width];
        var sample = _buffer.AsSpan(0, length * width);
        for (int t = 0; t < length; t++)
            block.Row(sequence, t).Slice(column, width).CopyTo(sample.Slice(t * width, width));
        return sample;
    }
}
