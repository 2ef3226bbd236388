namespace Quamba.Kernels.Mamba;

// How the SSD prefill reads the B and C rows it staged in shared memory: the type argument of ScanChunk, so the A8 and
// A16 prefills share every step after staging. Row offsets are in 4-byte words of the dynamic shared memory.
public static partial class Mamba2SsdKernels
{
    private interface IChunkRows
    {
        /// <summary>C_t . B_s over n = 0 .. N-1 (before any scale): C's row at word cRow, B's at word bRow.</summary>
        static abstract float Dot(DeviceSpan<Int4> int4s, DeviceSpan<Half> halves, int cRow, int bRow, int stateDim);

        /// <summary>Values 4k .. 4k + 3 of the row at word <paramref name="row"/>.</summary>
        static abstract Float4 Four(DeviceSpan<int> ints, DeviceSpan<Half> halves, int row, int k);
    }

    /// <summary>A8: int8 codes, 4 per word; C . B exact in int32 (dp4a, 16 codes per 128-bit load).</summary>
    private struct CodeRows : IChunkRows
    {
        public static float Dot(DeviceSpan<Int4> int4s, DeviceSpan<Half> halves, int cRow, int bRow, int stateDim)
        {
            int dot = 0;
            for (int k = 0; k < stateDim / 16; k++)
            {
                Int4 cv = int4s[cRow / 4 + k];
                Int4 bv = int4s[bRow / 4 + k];
                dot = DeviceMath.Dp4a(cv.X, bv.X, dot);
                dot = DeviceMath.Dp4a(cv.Y, bv.Y, dot);
                dot = DeviceMath.Dp4a(cv.Z, bv.Z, dot);
                dot = DeviceMath.Dp4a(cv.W, bv.W, dot);
            }
            return dot;
        }

        public static Float4 Four(DeviceSpan<int> ints, DeviceSpan<Half> halves, int row, int k)
        {
            int word = ints[row + k];
            return new Float4(KernelMath.Byte(word, 0), KernelMath.Byte(word, 1), KernelMath.Byte(word, 2), KernelMath.Byte(word, 3));
        }
    }

    /// <summary>A16: fp16 values, 2 per word; C . B a float dot product over n in order.</summary>
    private struct HalfRows : IChunkRows
    {
        public static float Dot(DeviceSpan<Int4> int4s, DeviceSpan<Half> halves, int cRow, int bRow, int stateDim)
        {
            float dot = 0f;
            for (int n = 0; n < stateDim; n++) dot += (float)halves[2 * cRow + n] * (float)halves[2 * bRow + n];
            return dot;
        }

        public static Float4 Four(DeviceSpan<int> ints, DeviceSpan<Half> halves, int row, int k)
        {
            int h = 2 * row + 4 * k;
            return new Float4((float)halves[h], (float)halves[h + 1], (float)halves[h + 2], (float)halves[h + 3]);
        }
    }
}
