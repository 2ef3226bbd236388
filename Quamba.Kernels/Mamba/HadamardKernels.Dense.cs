using System.Numerics;

namespace Quamba.Kernels.Mamba;

// The dense step y[c, b] = sum_{a < m'} S[a, c] z[a, b] on each half (m' = m, or m/2 on the two halves of a Sylvester
// double), each output summed in order of a from 0 (as the model does), with the butterflies' outputs z in the shared
// row; the outputs go straight to global memory.
public static partial class HadamardKernels
{
    /// <summary>
    /// Thread tile (half, 4 outputs c = 4 tile .. 4 tile + 3, column group g) for t = thread, thread + block, ...;
    /// g varies fastest, so a warp reads adjacent quads of z and one broadcast quad of signs per input a, then 16
    /// fused multiply-adds. Each tile's 4 output quads are written at once (<see cref="WriteQuad{TOutput}"/>).
    /// </summary>
    private static void DenseStep<TShape, TOutput>(DeviceSpan<Float4> row4, RowOutput output, DeviceSpan<uint> codes4, DeviceSpan<Float4> floats4)
        where TShape : IHadamardShape where TOutput : IOutputKind
    {
        int groups = HadamardLayout.ColumnGroups(TShape.WalshSize);
        int tiles = HadamardLayout.Tiles(TShape.BaseOrder);
        int order = HadamardLayout.SignOrder(TShape.BaseOrder);
        int signs = HadamardLayout.RowSlots(TShape.Width);
        // groups is a power of two: split t without a division.
        int groupBits = BitOperations.PopCount((uint)(groups - 1));
        for (int t = Gpu.ThreadIdxX; t < HadamardLayout.DenseTiles(TShape.BaseOrder, TShape.WalshSize); t += Gpu.BlockDimX)
        {
            int g = t & (groups - 1), rest = t >> groupBits;
            int half = rest >= tiles ? 1 : 0;
            int tile = rest - half * tiles;
            Float4 y0 = default, y1 = default, y2 = default, y3 = default;
            if (TShape.WalshSize >= 4)
            {
                // Quad of z[half, a, 4g .. 4g + 3]: half n/8 + a 2^k/4 + g.
                int q = half * (HadamardLayout.Quads(TShape.Width) >> 1) + g;
                // Four inputs per trip (m' is a multiple of 4): one slot and one sign index per trip, the rest at constant
                // offsets when groups is a multiple of 8 (else each slot is computed).
                // The offsets are written as constant expressions, so the generator turns them into immediate address offsets.
                for (int a = 0; a < order; a += 4)
                {
                    int z = DenseSlot(q, a, groups), s = signs + a * tiles + tile;
                    Float4 z0 = row4[z], z1, z2, z3;
                    if ((HadamardLayout.ColumnGroups(TShape.WalshSize) & 7) == 0)
                    {
                        z1 = row4[z + HadamardLayout.SlotOffset(HadamardLayout.ColumnGroups(TShape.WalshSize))];
                        z2 = row4[z + 2 * HadamardLayout.SlotOffset(HadamardLayout.ColumnGroups(TShape.WalshSize))];
                        z3 = row4[z + 3 * HadamardLayout.SlotOffset(HadamardLayout.ColumnGroups(TShape.WalshSize))];
                    }
                    else
                    {
                        z1 = row4[DenseSlot(q, a + 1, groups)];
                        z2 = row4[DenseSlot(q, a + 2, groups)];
                        z3 = row4[DenseSlot(q, a + 3, groups)];
                    }
                    AccumulateTile(ref y0, ref y1, ref y2, ref y3, z0, row4[s]);
                    AccumulateTile(ref y0, ref y1, ref y2, ref y3, z1, row4[s + HadamardLayout.Tiles(TShape.BaseOrder)]);
                    AccumulateTile(ref y0, ref y1, ref y2, ref y3, z2, row4[s + 2 * HadamardLayout.Tiles(TShape.BaseOrder)]);
                    AccumulateTile(ref y0, ref y1, ref y2, ref y3, z3, row4[s + 3 * HadamardLayout.Tiles(TShape.BaseOrder)]);
                }
                int c = half * (HadamardLayout.Quads(TShape.Width) >> 1) + 4 * tile * groups + g;
                WriteQuad<TOutput>(output, c, y0, codes4, floats4);
                WriteQuad<TOutput>(output, c + groups, y1, codes4, floats4);
                WriteQuad<TOutput>(output, c + 2 * groups, y2, codes4, floats4);
                WriteQuad<TOutput>(output, c + 3 * groups, y3, codes4, floats4);
            }
            else
            {
                // 2^k < 4 (m x 1 and m x 2 shapes): single columns, element half n/2 + a 2^k + g.
                var row = SharedMemory.Dynamic<float>();
                int e = half * (TShape.Width >> 1) + g;
                for (int a = 0; a < order; a++)
                    AccumulateTile(ref y0, ref y1, ref y2, ref y3, new Float4(row[ElementSlot(e + a * TShape.WalshSize)], 0f, 0f, 0f), row4[signs + a * tiles + tile]);
                int c = e + 4 * tile * TShape.WalshSize;
                var codes = codes4.Cast<sbyte>();
                var floats = floats4.Cast<float>();
                WriteElement<TOutput>(output, c, y0.X, codes, floats);
                WriteElement<TOutput>(output, c + TShape.WalshSize, y1.X, codes, floats);
                WriteElement<TOutput>(output, c + 2 * TShape.WalshSize, y2.X, codes, floats);
                WriteElement<TOutput>(output, c + 3 * TShape.WalshSize, y3.X, codes, floats);
            }
        }
    }

    /// <summary>
    /// Output column k of the tile (accumulator y_k) += s_k * z for the four signs s.X..s.W: a fused multiply-add by
    /// +-1 rounds exactly as y + z or y - z. (Written out: each helper call copies its arguments in the PTX.)
    /// </summary>
    private static void AccumulateTile(ref Float4 y0, ref Float4 y1, ref Float4 y2, ref Float4 y3, Float4 z, Float4 s)
    {
        y0.X = MathF.FusedMultiplyAdd(z.X, s.X, y0.X);
        y0.Y = MathF.FusedMultiplyAdd(z.Y, s.X, y0.Y);
        y0.Z = MathF.FusedMultiplyAdd(z.Z, s.X, y0.Z);
        y0.W = MathF.FusedMultiplyAdd(z.W, s.X, y0.W);
        y1.X = MathF.FusedMultiplyAdd(z.X, s.Y, y1.X);
        y1.Y = MathF.FusedMultiplyAdd(z.Y, s.Y, y1.Y);
        y1.Z = MathF.FusedMultiplyAdd(z.Z, s.Y, y1.Z);
        y1.W = MathF.FusedMultiplyAdd(z.W, s.Y, y1.W);
        y2.X = MathF.FusedMultiplyAdd(z.X, s.Z, y2.X);
        y2.Y = MathF.FusedMultiplyAdd(z.Y, s.Z, y2.Y);
        y2.Z = MathF.FusedMultiplyAdd(z.Z, s.Z, y2.Z);
        y2.W = MathF.FusedMultiplyAdd(z.W, s.Z, y2.W);
        y3.X = MathF.FusedMultiplyAdd(z.X, s.W, y3.X);
        y3.Y = MathF.FusedMultiplyAdd(z.Y, s.W, y3.Y);
        y3.Z = MathF.FusedMultiplyAdd(z.Z, s.W, y3.Z);
        y3.W = MathF.FusedMultiplyAdd(z.W, s.W, y3.W);
    }

    /// <summary>Slot of z[half, a, quad g] (quad q + a groups): Slot(q) plus a constant multiple of a when groups is a multiple of 8.</summary>
    private static int DenseSlot(int q, int a, int groups) =>
        (groups & 7) == 0 ? HadamardLayout.Slot(q) + a * HadamardLayout.SlotOffset(groups) : HadamardLayout.Slot(q + a * groups);

    /// <summary>Index in floats of element e of the padded shared row.</summary>
    private static int ElementSlot(int e) => 4 * HadamardLayout.Slot(e >> 2) + (e & 3);

    /// <summary>Output element e of the row (the 2^k &lt; 4 path) times 1/sqrt(n): a code or a float.</summary>
    private static void WriteElement<TOutput>(RowOutput output, int e, float y, DeviceSpan<sbyte> codes, DeviceSpan<float> floats) where TOutput : IOutputKind
    {
        // The row's first element is 4 FirstQuad.
        if (TOutput.Quantizes) codes[4 * output.FirstQuad + e] = ReciprocalQuantization.QuantizeProduct(y, output.Normalisation, output.Scale, output.ProductReciprocal);
        else floats[4 * output.FirstQuad + e] = y * output.Normalisation;
    }
}
