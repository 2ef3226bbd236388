namespace Quamba.Kernels.Mamba;

// The SSD prefill's one matrix product, a thread's 4 x 2 tile in registers: every product of a step (C . h, C . B^T,
// M . x and B^T . (w x)) is rows of a left operand A (row-major, 4 consecutive k per 128-bit load) times two columns
// of a right operand B (k-major rows, 2 columns per 64-bit load). Shared memory returns 128 bytes a cycle (one
// register per lane), twice that when lanes 2m and 2m + 1, or 2m and 2m + 2, read the same address; so lane l of a
// warp takes row quad l mod 2 of the warp's two and column pair l / 2: its A loads are 2 addresses (even and odd
// lanes; rows 4 apart, different banks at a stride of 4 mod 32 words) and its B loads one 128-byte row read by lane
// pairs. A step of 4 k is 4 A loads (2 cycles each) and 4 B loads (1 cycle each) for 32 fused multiply-adds.
public static partial class Mamba2SsdKernels
{
    /// <summary>A 4 x 2 accumulator tile (rows r0..r3, columns c0 and c1), kept in registers.</summary>
    private struct Tile4x2
    {
        public float R0C0, R0C1, R1C0, R1C1, R2C0, R2C1, R3C0, R3C1;
    }

    /// <summary>The row quad of tile i of a product with 32 columns (tiles in warp-sized groups): 2 (i / 32) + i mod 2.</summary>
    private static int RowQuad(int tile) => ((tile >> 5) << 1) | (tile & 1);

    /// <summary>The first of tile i's two columns: 2 ((i mod 32) / 2).</summary>
    private static int ColumnPair(int tile) => tile & 30;

    /// <summary>
    /// acc += A[aWord + r aStride + k] B[bWord + k bStride + c] over k &lt; 4 steps (r &lt; 4, c &lt; 2), k in order:
    /// word offsets into the dynamic shared memory; aWord and the strides multiples of 4, bWord of 2.
    /// </summary>
    private static void MultiplyTile(int aWord, int aStride, int bWord, int bStride, int steps, ref Tile4x2 acc)
    {
        for (int k = 0; k < steps; k++)
        {
            LoadLeft(aWord, aStride, k, out Float4 a0, out Float4 a1, out Float4 a2, out Float4 a3);
            AddProducts(ref acc, a0, a1, a2, a3, bWord + 4 * k * bStride, bStride);
        }
    }

    /// <summary>The same with one left operand and two right ones (both at stride bStride): its loads serve both products.</summary>
    private static void MultiplyTilePair(int aWord, int aStride, int b1Word, int b2Word, int bStride, int steps, ref Tile4x2 acc1, ref Tile4x2 acc2)
    {
        for (int k = 0; k < steps; k++)
        {
            LoadLeft(aWord, aStride, k, out Float4 a0, out Float4 a1, out Float4 a2, out Float4 a3);
            AddProducts(ref acc1, a0, a1, a2, a3, b1Word + 4 * k * bStride, bStride);
            AddProducts(ref acc2, a0, a1, a2, a3, b2Word + 4 * k * bStride, bStride);
        }
    }

    /// <summary>A[r][4k .. 4k + 3] for the 4 rows from word aWord.</summary>
    private static void LoadLeft(int aWord, int aStride, int k, out Float4 a0, out Float4 a1, out Float4 a2, out Float4 a3)
    {
        var float4s = SharedMemory.Dynamic<Float4>();
        int a = (aWord >> 2) + k, aRow = aStride >> 2;
        a0 = float4s[a];
        a1 = float4s[a + aRow];
        a2 = float4s[a + 2 * aRow];
        a3 = float4s[a + 3 * aRow];
    }

    /// <summary>acc += (a0 .. a3) times the 2 columns of the 4 right-operand rows from word bWord.</summary>
    private static void AddProducts(ref Tile4x2 acc, Float4 a0, Float4 a1, Float4 a2, Float4 a3, int bWord, int bStride)
    {
        var float2s = SharedMemory.Dynamic<Float2>();
        int b = bWord >> 1, bRow = bStride >> 1;
        Float2 b0 = float2s[b], b1 = float2s[b + bRow], b2 = float2s[b + 2 * bRow], b3 = float2s[b + 3 * bRow];
        AddRow(ref acc.R0C0, ref acc.R0C1, a0, b0, b1, b2, b3);
        AddRow(ref acc.R1C0, ref acc.R1C1, a1, b0, b1, b2, b3);
        AddRow(ref acc.R2C0, ref acc.R2C1, a2, b0, b1, b2, b3);
        AddRow(ref acc.R3C0, ref acc.R3C1, a3, b0, b1, b2, b3);
    }

    /// <summary>Writes a tile to the 4 rows from word <paramref name="word"/> (2 columns each).</summary>
    private static void StoreTile(int word, int stride, Tile4x2 tile)
    {
        var float2s = SharedMemory.Dynamic<Float2>();
        int w = word >> 1, row = stride >> 1;
        float2s[w] = new Float2(tile.R0C0, tile.R0C1);
        float2s[w + row] = new Float2(tile.R1C0, tile.R1C1);
        float2s[w + 2 * row] = new Float2(tile.R2C0, tile.R2C1);
        float2s[w + 3 * row] = new Float2(tile.R3C0, tile.R3C1);
    }

    /// <summary>tile += the tile stored at <paramref name="word"/> (<see cref="StoreTile"/>'s layout).</summary>
    private static void AddStoredTile(int word, int stride, ref Tile4x2 tile)
    {
        var float2s = SharedMemory.Dynamic<Float2>();
        int w = word >> 1, row = stride >> 1;
        Float2 r0 = float2s[w], r1 = float2s[w + row], r2 = float2s[w + 2 * row], r3 = float2s[w + 3 * row];
        tile.R0C0 += r0.X; tile.R0C1 += r0.Y;
        tile.R1C0 += r1.X; tile.R1C1 += r1.Y;
        tile.R2C0 += r2.X; tile.R2C1 += r2.Y;
        tile.R3C0 += r3.X; tile.R3C1 += r3.Y;
    }

    /// <summary>(c0, c1) += a.X b0 + a.Y b1 + a.Z b2 + a.W b3, one fused multiply-add each, in that order.</summary>
    private static void AddRow(ref float c0, ref float c1, Float4 a, Float2 b0, Float2 b1, Float2 b2, Float2 b3)
    {
        c0 = MathF.FusedMultiplyAdd(a.X, b0.X, c0);
        c1 = MathF.FusedMultiplyAdd(a.X, b0.Y, c1);
        c0 = MathF.FusedMultiplyAdd(a.Y, b1.X, c0);
        c1 = MathF.FusedMultiplyAdd(a.Y, b1.Y, c1);
        c0 = MathF.FusedMultiplyAdd(a.Z, b2.X, c0);
        c1 = MathF.FusedMultiplyAdd(a.Z, b2.Y, c1);
        c0 = MathF.FusedMultiplyAdd(a.W, b3.X, c0);
        c1 = MathF.FusedMultiplyAdd(a.W, b3.Y, c1);
    }
}
