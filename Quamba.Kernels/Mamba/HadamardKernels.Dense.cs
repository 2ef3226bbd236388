namespace Quamba.Kernels.Mamba;

// The dense step y[c, b] = sum_{a = 0..m-1} H[a, c] z[a, b], each output summed in order of a from 0 (as the model
// does), with the Walsh outputs z in the shared row (element a 2^k + b).
public static partial class HadamardKernels
{
    /// <summary>
    /// Thread (column group g, tile) computes outputs c = 4 tile .. 4 tile + 3 (and c + m/2 for a Sylvester double)
    /// of the columns b = 4 g .. 4 g + 3: per input a one 128-bit load of z (threads of a warp read adjacent groups),
    /// one broadcast 128-bit load of 4 signs, then one fused multiply-add per output.
    /// </summary>
    private static void DenseStep<TShape>(DeviceSpan<float> row, DeviceSpan<Float4> row4, DeviceSpan<Float4> signs, int rowBase, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, float normalisation, float scale) where TShape : IHadamardShape
    {
        int groups = HadamardLayout.ColumnGroups(TShape.WalshSize);
        int t = Gpu.ThreadIdxX;
        if (t >= HadamardLayout.DenseThreads(TShape.BaseOrder, TShape.WalshSize)) return;
        int g = t % groups, tile = t / groups;
        int quads = HadamardLayout.SignOrder(TShape.BaseOrder) / 4;
        int half = HadamardLayout.SignOrder(TShape.BaseOrder);
        Float4 y0 = default, y1 = default, y2 = default, y3 = default;
        for (int a = 0; a < half; a++)
        {
            Float4 z = Column<TShape>(row, row4, a, g);
            Float4 s = signs[a * quads + tile];
            Accumulate(ref y0, z, s.X);
            Accumulate(ref y1, z, s.Y);
            Accumulate(ref y2, z, s.Z);
            Accumulate(ref y3, z, s.W);
        }
        if (HadamardLayout.Doubled(TShape.BaseOrder))
        {
            // H = [[S, S], [S, -S]]: output c + half has output c's signs on a < half and the opposite ones after,
            // so it continues from the same partial sum.
            Float4 x0 = y0, x1 = y1, x2 = y2, x3 = y3;
            for (int a = half; a < TShape.BaseOrder; a++)
            {
                Float4 z = Column<TShape>(row, row4, a, g);
                Float4 s = signs[(a - half) * quads + tile];
                Accumulate(ref y0, z, s.X);
                Accumulate(ref y1, z, s.Y);
                Accumulate(ref y2, z, s.Z);
                Accumulate(ref y3, z, s.W);
                Accumulate(ref x0, z, -s.X);
                Accumulate(ref x1, z, -s.Y);
                Accumulate(ref x2, z, -s.Z);
                Accumulate(ref x3, z, -s.W);
            }
            int c = half + 4 * tile;
            WriteColumns<TShape>(rowBase, c, g, x0, codes, floats, quantize, normalisation, scale);
            WriteColumns<TShape>(rowBase, c + 1, g, x1, codes, floats, quantize, normalisation, scale);
            WriteColumns<TShape>(rowBase, c + 2, g, x2, codes, floats, quantize, normalisation, scale);
            WriteColumns<TShape>(rowBase, c + 3, g, x3, codes, floats, quantize, normalisation, scale);
        }
        WriteColumns<TShape>(rowBase, 4 * tile, g, y0, codes, floats, quantize, normalisation, scale);
        WriteColumns<TShape>(rowBase, 4 * tile + 1, g, y1, codes, floats, quantize, normalisation, scale);
        WriteColumns<TShape>(rowBase, 4 * tile + 2, g, y2, codes, floats, quantize, normalisation, scale);
        WriteColumns<TShape>(rowBase, 4 * tile + 3, g, y3, codes, floats, quantize, normalisation, scale);
    }

    /// <summary>z[a, 4g .. 4g + 3] (one 128-bit load), or z[a, g] in X when 2^k &lt; 4.</summary>
    private static Float4 Column<TShape>(DeviceSpan<float> row, DeviceSpan<Float4> row4, int a, int g) where TShape : IHadamardShape
    {
        if (TShape.WalshSize >= 4) return row4[a * (TShape.WalshSize / 4) + g];
        return new Float4(row[a * TShape.WalshSize + g], 0f, 0f, 0f);
    }

    /// <summary>acc += sign * z per component: a fused multiply-add by +-1 rounds exactly as acc + z or acc - z.</summary>
    private static void Accumulate(ref Float4 acc, Float4 z, float sign)
    {
        acc.X = MathF.FusedMultiplyAdd(z.X, sign, acc.X);
        acc.Y = MathF.FusedMultiplyAdd(z.Y, sign, acc.Y);
        acc.Z = MathF.FusedMultiplyAdd(z.Z, sign, acc.Z);
        acc.W = MathF.FusedMultiplyAdd(z.W, sign, acc.W);
    }

    /// <summary>Writes outputs (c, 4g .. 4g + 3), or (c, g) when 2^k &lt; 4.</summary>
    private static void WriteColumns<TShape>(int rowBase, int c, int g, Float4 y, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, float normalisation, float scale) where TShape : IHadamardShape
    {
        if (TShape.WalshSize >= 4)
        {
            WriteStrided<TShape>(rowBase + c * TShape.WalshSize + 4 * g, 1, y, 4, WholeRow, codes, floats, quantize, normalisation, scale);
            return;
        }
        Write(codes, floats, quantize, rowBase + c * TShape.WalshSize + g, y.X, normalisation, scale);
    }
}
