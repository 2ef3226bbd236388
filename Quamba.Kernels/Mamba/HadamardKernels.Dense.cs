using System.Numerics;

namespace Quamba.Kernels.Mamba;

// The dense step y[c, b] = sum_{a = 0..m-1} H[a, c] z[a, b], each output summed in order of a from 0 (as the model
// does), with the Walsh outputs z in the shared row (element a 2^k + b); the outputs replace them there.
public static partial class HadamardKernels
{
    /// <summary>
    /// Thread (column group g, tile) computes outputs c = 4 tile .. 4 tile + 3 (and c + m/2 for a Sylvester double)
    /// of the columns b = 4 g .. 4 g + 3: per input a one 128-bit load of z (threads of a warp read adjacent groups),
    /// one broadcast 128-bit load of 4 signs, then one fused multiply-add per output; two inputs per loop trip.
    /// Then, once every thread has read z (barrier), each stores its outputs over the row (barrier).
    /// </summary>
    private static void DenseStep<TShape>(DeviceSpan<Float4> row4) where TShape : IHadamardShape
    {
        int groups = HadamardLayout.ColumnGroups(TShape.WalshSize);
        int tiles = HadamardLayout.Tiles(TShape.BaseOrder);
        int half = HadamardLayout.SignOrder(TShape.BaseOrder);
        int t = Gpu.ThreadIdxX;
        // groups is a power of two: split t without a division.
        int g = t & (groups - 1), tile = t >> BitOperations.PopCount((uint)(groups - 1));
        bool active = t < groups * tiles;
        Float4 y0 = default, y1 = default, y2 = default, y3 = default, x0 = default, x1 = default, x2 = default, x3 = default;
        if (active)
        {
            // Indices advance by constants, so the second load of each trip is an immediate offset from the first.
            const int Step = 2;
            int columnStride = TShape.WalshSize >= 4 ? TShape.WalshSize / 4 : 0;
            int z = g, s = TShape.Width / 4 + tile;
            for (int a = 0; a < half; a += Step)
            {
                Float4 z0 = Column<TShape>(row4, z, a, g), z1 = Column<TShape>(row4, z + columnStride, a + 1, g);
                AccumulateTile(ref y0, ref y1, ref y2, ref y3, z0, row4[s]);
                AccumulateTile(ref y0, ref y1, ref y2, ref y3, z1, row4[s + tiles]);
                z += Step * columnStride;
                s += Step * tiles;
            }
            if (HadamardLayout.Doubled(TShape.BaseOrder))
            {
                // H = [[S, S], [S, -S]]: output c + half has output c's signs on a < half and the opposite ones after,
                // so it continues from the same partial sum.
                x0 = y0;
                x1 = y1;
                x2 = y2;
                x3 = y3;
                s = TShape.Width / 4 + tile;
                for (int a = half; a < TShape.BaseOrder; a += Step)
                {
                    Float4 z0 = Column<TShape>(row4, z, a, g), z1 = Column<TShape>(row4, z + columnStride, a + 1, g);
                    Float4 s0 = row4[s], s1 = row4[s + tiles];
                    AccumulateTile(ref y0, ref y1, ref y2, ref y3, z0, s0);
                    AccumulateTile(ref x0, ref x1, ref x2, ref x3, z0, Negate(s0));
                    AccumulateTile(ref y0, ref y1, ref y2, ref y3, z1, s1);
                    AccumulateTile(ref x0, ref x1, ref x2, ref x3, z1, Negate(s1));
                    z += Step * columnStride;
                    s += Step * tiles;
                }
            }
        }
        Gpu.SyncThreads();
        if (active)
        {
            StoreTile<TShape>(row4, 4 * tile, g, y0, y1, y2, y3);
            if (HadamardLayout.Doubled(TShape.BaseOrder)) StoreTile<TShape>(row4, half + 4 * tile, g, x0, x1, x2, x3);
        }
        Gpu.SyncThreads();
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

    /// <summary>Stores output columns c .. c + 3 of column group g over the row: y[c, 4g .. 4g + 3] (or y[c, g] when 2^k &lt; 4).</summary>
    private static void StoreTile<TShape>(DeviceSpan<Float4> row4, int c, int g, Float4 y0, Float4 y1, Float4 y2, Float4 y3) where TShape : IHadamardShape
    {
        StoreColumn<TShape>(row4, c, g, y0);
        StoreColumn<TShape>(row4, c + 1, g, y1);
        StoreColumn<TShape>(row4, c + 2, g, y2);
        StoreColumn<TShape>(row4, c + 3, g, y3);
    }

    private static void StoreColumn<TShape>(DeviceSpan<Float4> row4, int c, int g, Float4 y) where TShape : IHadamardShape
    {
        if (TShape.WalshSize >= 4)
        {
            row4[c * (TShape.WalshSize / 4) + g] = y;
            return;
        }
        // 2^k < 4 (only m x 1 shapes: element c 2^k + g): replace one component of its quad.
        int e = c * TShape.WalshSize + g;
        ref Float4 quad = ref row4[e >> 2];
        int component = e & 3;
        if (component == 0) quad.X = y.X;
        else if (component == 1) quad.Y = y.X;
        else if (component == 2) quad.Z = y.X;
        else quad.W = y.X;
    }
}
