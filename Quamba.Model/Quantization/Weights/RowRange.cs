namespace Quamba.Model.Quantization.Weights;

/// <summary>A contiguous range of output rows <c>[Start, Start + Count)</c>, e.g. the z, x, B, C, dt parts of Mamba2's in_proj.</summary>
public readonly record struct RowRange(int Start, int Count)
{
    public int End => Start + Count;
}
