using System.Numerics;

namespace Quamba.Kernels.Mamba;

// The dense step y[c, b] = sum_{a < m'} S[a, c] z[a, b] on each half (m' = m, or m/2 on the two halves of a Sylvester
// double) with the butterflies' outputs z in the shared row, in HadamardGrouping's order (inputs in groups of four, each
// group's 8 signed sums formed once); the outputs go straight to global memory.
public static partial class HadamardKernels
{
    /// <summary>
    /// Column (half, b) for t = thread, thread + block, ...: b varies fastest, so a warp reads 32 adjacent z of each
    /// segment and writes 32 adjacent outputs of each output segment. The column's m' outputs come from the unrolled
    /// code for the order's sign matrix (<c>HadamardKernels.DenseColumns.cs</c>, generated from <see cref="HadamardTables"/>).
    /// </summary>
    private static void DenseStep<TShape, TOutput>(DeviceSpan<float> row, RowOutput output, DeviceSpan<sbyte> codes, DeviceSpan<float> floats)
        where TShape : IHadamardShape where TOutput : IOutputKind
    {
        // 2^k is a power of two: split t without a division.
        int columnBits = BitOperations.PopCount((uint)(TShape.WalshSize - 1));
        for (int t = Gpu.ThreadIdxX; t < HadamardLayout.DenseColumns(TShape.BaseOrder, TShape.WalshSize); t += Gpu.BlockDimX)
        {
            int e = (t >> columnBits) * (TShape.Width >> 1) + (t & (TShape.WalshSize - 1));
            int z = ElementSlot<TShape>(e), o = 4 * output.FirstQuad + e;
            if (HadamardLayout.SignOrder(TShape.BaseOrder) == 12) DenseColumn12<TShape, TOutput>(row, z, output, o, codes, floats);
            else if (HadamardLayout.SignOrder(TShape.BaseOrder) == 20) DenseColumn20<TShape, TOutput>(row, z, output, o, codes, floats);
            else DenseColumn28<TShape, TOutput>(row, z, output, o, codes, floats);
        }
    }

    /// <summary>Index in floats of element e of the shared row.</summary>
    private static int ElementSlot<TShape>(int e) where TShape : IHadamardShape => 4 * HadamardLayout.Slot(TShape.WalshSize, e >> 2) + (e & 3);

    /// <summary>
    /// The code of output y (times 1/sqrt(n), divided by the scale): <see cref="ReciprocalQuantization.QuantizeProduct"/>'s,
    /// with t clamped to the int8 range and rounded by adding and subtracting 1.5 x 2^23 (the sum rounds it to an
    /// integer, half to even, in its low mantissa bits, whose low byte is the code) instead of by conversions, which issue
    /// at a quarter of the rate. Past the range both give the saturated code; values near a rounding boundary and NaN take
    /// the exact path.
    /// </summary>
    private static sbyte Code(float y, RowOutput output)
    {
        float t = y * output.ProductReciprocal;
        // MinNumber / MaxNumber: one instruction each; NaN is caught by the test below.
        float clamped = float.MinNumber(float.MaxNumber(t, -128f), 127f);
        float shifted = clamped + RoundingShift;
        float nearest = shifted - RoundingShift;
        // & rather than &&: one combined test, no branch between the two.
        return !float.IsNaN(t) & ReciprocalQuantization.IsSafe(clamped, nearest)
            ? (sbyte)BitConverter.SingleToInt32Bits(shifted)
            : KernelMath.Quantize(y * output.Normalisation, output.Scale);
    }

    /// <summary>1.5 x 2^23: t + 1.5 x 2^23 has unit spacing for |t| &lt; 2^22.</summary>
    private const float RoundingShift = 12582912f;
}
