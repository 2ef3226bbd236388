using System.Numerics;

namespace Quamba.Kernels.Mamba;

// The dense step y[c, b] = sum_{a = 0..m-1} H[a, c] z[a, b], each output summed in order of a from 0 (as the model
// does), with the Walsh outputs z in the shared row (element a 2^k + b).
public static partial class HadamardKernels
{
    /// <summary>
    /// Thread (column group g, tile) computes outputs c = 4 tile .. 4 tile + 3 (and c + m/2 for a Sylvester double)
    /// of the columns b = 4 g .. 4 g + 3: per input a one 128-bit load of z (threads of a warp read adjacent groups),
    /// one broadcast 128-bit load of 4 signs, then one fused multiply-add per output; two inputs per loop trip.
    /// A block with four times as many threads (<see cref="HadamardLayout.DecodeThreads"/>, the single-row launch)
    /// gives each thread one sign column instead of four: a quarter of the work per thread, for latency.
    /// </summary>
    private static void DenseStep<TShape>(DeviceSpan<float> row, DeviceSpan<Float4> row4, int rowBase, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, RotationScales scales)
        where TShape : IHadamardShape
    {
        int groups = HadamardLayout.ColumnGroups(TShape.WalshSize);
        int signOrder = HadamardLayout.SignOrder(TShape.BaseOrder);
        int t = Gpu.ThreadIdxX;
        // groups is a power of two: split t without a division.
        int g = t & (groups - 1), tile = t >> BitOperations.PopCount((uint)(groups - 1));
        if (Gpu.BlockDimX >= groups * signOrder)
        {
            if (t < groups * signOrder) DenseTile<TShape>(row, row4, rowBase, g, tile, 1, codes, floats, quantize, scales);
        }
        else if (t < groups * HadamardLayout.Tiles(TShape.BaseOrder))
        {
            DenseTile<TShape>(row, row4, rowBase, g, tile, 4, codes, floats, quantize, scales);
        }
    }

    /// <summary>
    /// The outputs of column group <paramref name="g"/> and sign columns tile * <paramref name="columns"/> ..
    /// + columns - 1 (<paramref name="columns"/> 4 or 1, a constant at each call; see <see cref="DenseStep{TShape}"/>).
    /// </summary>
    private static void DenseTile<TShape>(DeviceSpan<float> row, DeviceSpan<Float4> row4, int rowBase, int g, int tile, int columns,
        DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, RotationScales scales) where TShape : IHadamardShape
    {
        int half = HadamardLayout.SignOrder(TShape.BaseOrder);
        // Indices advance by constants, so the second load of each trip is an immediate offset from the first. Four
        // sign columns are one Float4 of the table (stride: a row of Float4); one is a float (stride: a row of floats).
        const int Step = 2;
        int columnStride = TShape.WalshSize >= 4 ? TShape.WalshSize / 4 : 0;
        int signStride = columns == 4 ? HadamardLayout.Tiles(TShape.BaseOrder) : half;
        int signStart = columns == 4 ? TShape.Width / 4 + tile : TShape.Width + tile;
        int z = g, s = signStart;
        Float4 y0 = default, y1 = default, y2 = default, y3 = default;
        for (int a = 0; a < half; a += Step)
        {
            Float4 z0 = Column<TShape>(row4, z, a, g), z1 = Column<TShape>(row4, z + columnStride, a + 1, g);
            Float4 s0 = Signs(row, row4, s, columns), s1 = Signs(row, row4, s + signStride, columns);
            AccumulateTile(ref y0, ref y1, ref y2, ref y3, z0, s0, columns);
            AccumulateTile(ref y0, ref y1, ref y2, ref y3, z1, s1, columns);
            z += Step * columnStride;
            s += Step * signStride;
        }
        int c = columns * tile;
        if (HadamardLayout.Doubled(TShape.BaseOrder))
        {
            // H = [[S, S], [S, -S]]: output c + half has output c's signs on a < half and the opposite ones after,
            // so it continues from the same partial sum.
            Float4 x0 = y0, x1 = y1, x2 = y2, x3 = y3;
            s = signStart;
            for (int a = half; a < TShape.BaseOrder; a += Step)
            {
                Float4 z0 = Column<TShape>(row4, z, a, g), z1 = Column<TShape>(row4, z + columnStride, a + 1, g);
                Float4 s0 = Signs(row, row4, s, columns), s1 = Signs(row, row4, s + signStride, columns);
                AccumulateTile(ref y0, ref y1, ref y2, ref y3, z0, s0, columns);
                AccumulateTile(ref x0, ref x1, ref x2, ref x3, z0, Negate(s0), columns);
                AccumulateTile(ref y0, ref y1, ref y2, ref y3, z1, s1, columns);
                AccumulateTile(ref x0, ref x1, ref x2, ref x3, z1, Negate(s1), columns);
                z += Step * columnStride;
                s += Step * signStride;
            }
            WriteTile<TShape>(rowBase, half + c, g, x0, x1, x2, x3, columns, codes, floats, quantize, scales);
        }
        WriteTile<TShape>(rowBase, c, g, y0, y1, y2, y3, columns, codes, floats, quantize, scales);
    }

    /// <summary>The signs of <paramref name="columns"/> adjacent sign columns at table index s: a Float4, or one float in X.</summary>
    private static Float4 Signs(DeviceSpan<float> row, DeviceSpan<Float4> row4, int s, int columns) =>
        columns == 4 ? row4[s] : new Float4(row[s], 0f, 0f, 0f);

    /// <summary>Writes output columns c .. c + columns - 1 from y0 .. y3.</summary>
    private static void WriteTile<TShape>(int rowBase, int c, int g, Float4 y0, Float4 y1, Float4 y2, Float4 y3, int columns,
        DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, RotationScales scales) where TShape : IHadamardShape
    {
        WriteColumns<TShape>(rowBase, c, g, y0, codes, floats, quantize, scales);
        if (columns == 1) return;
        WriteColumns<TShape>(rowBase, c + 1, g, y1, codes, floats, quantize, scales);
        WriteColumns<TShape>(rowBase, c + 2, g, y2, codes, floats, quantize, scales);
        WriteColumns<TShape>(rowBase, c + 3, g, y3, codes, floats, quantize, scales);
    }

    /// <summary>Output column k of the tile (accumulator k) += sign k * z, for the signs in s.X.. (columns 4 or 1).</summary>
    private static void AccumulateTile(ref Float4 y0, ref Float4 y1, ref Float4 y2, ref Float4 y3, Float4 z, Float4 s, int columns)
    {
        Accumulate(ref y0, z, s.X);
        if (columns == 1) return;
        Accumulate(ref y1, z, s.Y);
        Accumulate(ref y2, z, s.Z);
        Accumulate(ref y3, z, s.W);
    }

    private static Float4 Negate(Float4 s) => new(-s.X, -s.Y, -s.Z, -s.W);

    /// <summary>z[a, 4g .. 4g + 3] (one 128-bit load at <paramref name="index"/> = a 2^k / 4 + g), or z[a, g] in X when 2^k &lt; 4.</summary>
    private static Float4 Column<TShape>(DeviceSpan<Float4> row4, int index, int a, int g) where TShape : IHadamardShape
    {
        if (TShape.WalshSize >= 4) return row4[index];
        Float4 quad = row4[(a * TShape.WalshSize + g) >> 2];
        int component = (a * TShape.WalshSize + g) & 3;
        float z = component == 0 ? quad.X : component == 1 ? quad.Y : component == 2 ? quad.Z : quad.W;
        return new Float4(z, 0f, 0f, 0f);
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
    private static void WriteColumns<TShape>(int rowBase, int c, int g, Float4 y, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, bool quantize, RotationScales scales)
        where TShape : IHadamardShape
    {
        if (TShape.WalshSize >= 4)
        {
            WriteStrided(rowBase + c * TShape.WalshSize + 4 * g, 1, y, 4, WholeRow, codes, floats, quantize, scales);
            return;
        }
        Write(codes, floats, quantize, rowBase + c * TShape.WalshSize + g, y.X, scales);
    }
}
