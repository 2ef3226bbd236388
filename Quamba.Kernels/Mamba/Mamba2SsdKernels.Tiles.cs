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
        var float4s = SharedMemory.Dynamic<Float4>();
        var float2s = SharedMemory.Dynamic<Float2>();
        int a = aWord >> 2, aRow = aStride >> 2;
        int b = bWord >> 1, bRow = bStride >> 1;
        for (int k = 0; k < steps; k++)
        {
            Float4 a0 = float4s[a + k], a1 = float4s[a + aRow + k], a2 = float4s[a + 2 * aRow + k], a3 = float4s[a + 3 * aRow + k];
            int bk = b + 4 * k * bRow;
            Float2 b0 = float2s[bk], b1 = float2s[bk + bRow], b2 = float2s[bk + 2 * bRow], b3 = float2s[bk + 3 * bRow];
            AddRow(ref acc.R0C0, ref acc.R0C1, a0, b0, b1, b2, b3);
            AddRow(ref acc.R1C0, ref acc.R1C1, a1, b0, b1, b2, b3);
            AddRow(ref acc.R2C0, ref acc.R2C1, a2, b0, b1, b2, b3);
            AddRow(ref acc.R3C0, ref acc.R3C1, a3, b0, b1, b2, b3);
        }
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
