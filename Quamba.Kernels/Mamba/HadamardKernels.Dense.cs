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
}
