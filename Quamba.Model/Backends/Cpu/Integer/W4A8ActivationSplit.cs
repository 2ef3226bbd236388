namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>
/// The activation layout of the x86 W4A8 kernels. V packed bytes hold 2V columns; masking gives the V even
/// columns (low nibbles) and shifting the V odd columns (high nibbles), each in lane order. Storing each
/// block of 2V activations as its V even then its V odd values lines them up with those two code vectors, so
/// the kernels never interleave nibbles. Done once per activation row (O(K)), it serves all N weight rows.
/// </summary>
/// <remarks>
/// Within each group, from its start: blocks of 128 columns (V = 64, only when <c>wide</c>), then blocks of
/// 64 (V = 32), then the remaining columns unchanged (the kernels' scalar tail reads them in column order).
/// Sums over a group are unchanged by the permutation, so the group sums for the -8 centring are too.
/// </remarks>
internal static unsafe class W4A8ActivationSplit
{
    public static void Split(sbyte* a, sbyte* dst, int k, int groupSize, bool wide)
    {
        for (int c0 = 0; c0 < k; c0 += groupSize)
        {
            int end = Math.Min(k, c0 + groupSize), c = c0;
            if (wide)
                for (; c + 128 <= end; c += 128) SplitBlock(a + c, dst + c, 64);
            for (; c + 64 <= end; c += 64) SplitBlock(a + c, dst + c, 32);
            for (; c < end; c++) dst[c] = a[c];
        }
    }

    private static void SplitBlock(sbyte* a, sbyte* dst, int v)
    {
        for (int i = 0; i < v; i++)
        {
            dst[i] = a[2 * i];
            dst[v + i] = a[2 * i + 1];
        }
    }
}
