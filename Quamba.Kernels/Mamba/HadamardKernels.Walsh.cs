namespace Quamba.Kernels.Mamba;

// The butterfly stages: the Walsh-Hadamard stages of each 2^k segment (stage h = 1, 2, 4, ... in that order pairs
// elements i and i + h of a segment into (a + b, a - b), exactly the model's operations), then for a Sylvester double
// the stage across the halves (i, i + n/2). The results stay in the shared row (HadamardLayout's padded quads).
public static partial class HadamardKernels
{
    /// <summary>
    /// Loads the row as quads (128-bit, coalesced; eight loads in flight per thread and loop trip, all of a 5120-wide
    /// row's at once: the kernel's main stall is waiting for them), applies the Walsh stages inside each quad and stores
    /// it to its slot.
    /// </summary>
    private static void LoadRow<TShape>(ReadOnlyDeviceSpan<Float4> input4, int firstQuad, DeviceSpan<Float4> row4) where TShape : IHadamardShape
    {
        if (HadamardLayout.EvenLoad(TShape.Width, TShape.BaseOrder, TShape.WalshSize))
        {
            LoadRowEvenly<TShape>(input4, firstQuad, row4);
            return;
        }
        int quads = HadamardLayout.Quads(TShape.Width);
        int t = Gpu.BlockDimX;
        for (int q = Gpu.ThreadIdxX; q < quads; q += 8 * t)
        {
            Float4 v0 = LoadInputQuad<TShape>(input4, firstQuad, q), v1 = LoadInputQuad<TShape>(input4, firstQuad, q + t);
            Float4 v2 = LoadInputQuad<TShape>(input4, firstQuad, q + 2 * t), v3 = LoadInputQuad<TShape>(input4, firstQuad, q + 3 * t);
            Float4 v4 = LoadInputQuad<TShape>(input4, firstQuad, q + 4 * t), v5 = LoadInputQuad<TShape>(input4, firstQuad, q + 5 * t);
            Float4 v6 = LoadInputQuad<TShape>(input4, firstQuad, q + 6 * t), v7 = LoadInputQuad<TShape>(input4, firstQuad, q + 7 * t);
            StoreLoadedQuad<TShape>(row4, q, v0);
            StoreLoadedQuad<TShape>(row4, q + t, v1);
            StoreLoadedQuad<TShape>(row4, q + 2 * t, v2);
            StoreLoadedQuad<TShape>(row4, q + 3 * t, v3);
            StoreLoadedQuad<TShape>(row4, q + 4 * t, v4);
            StoreLoadedQuad<TShape>(row4, q + 5 * t, v5);
            StoreLoadedQuad<TShape>(row4, q + 6 * t, v6);
            StoreLoadedQuad<TShape>(row4, q + 7 * t, v7);
        }
    }

    /// <summary>
    /// <see cref="LoadRow{TShape}"/> when the quads split evenly (<see cref="HadamardLayout.EvenLoad"/>): thread q of the
    /// first <see cref="HadamardLayout.Threads"/> loads quads q + k T, k &lt; 8, with T the shape's thread count, a
    /// constant, so the loads and stores are immediate offsets from one address each and need no bounds tests (threads
    /// of a larger launch past T have nothing to load).
    /// </summary>
    private static void LoadRowEvenly<TShape>(ReadOnlyDeviceSpan<Float4> input4, int firstQuad, DeviceSpan<Float4> row4) where TShape : IHadamardShape
    {
        if (Gpu.ThreadIdxX >= HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize)) return;
        for (int q = Gpu.ThreadIdxX; q < HadamardLayout.Quads(TShape.Width); q += 8 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize))
        {
            int source = firstQuad + q;
            Float4 v0 = input4[source];
            Float4 v1 = input4[source + HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize)];
            Float4 v2 = input4[source + 2 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize)];
            Float4 v3 = input4[source + 3 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize)];
            Float4 v4 = input4[source + 4 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize)];
            Float4 v5 = input4[source + 5 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize)];
            Float4 v6 = input4[source + 6 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize)];
            Float4 v7 = input4[source + 7 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize)];
            // T is a multiple of 32, so quad q + k T sits SlotOffset(k T) slots after quad q.
            int slot = HadamardLayout.Slot(TShape.WalshSize, q);
            row4[slot] = InQuadStages<TShape>(v0);
            row4[slot + HadamardLayout.SlotOffset(TShape.WalshSize, HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize))] = InQuadStages<TShape>(v1);
            row4[slot + HadamardLayout.SlotOffset(TShape.WalshSize, 2 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize))] = InQuadStages<TShape>(v2);
            row4[slot + HadamardLayout.SlotOffset(TShape.WalshSize, 3 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize))] = InQuadStages<TShape>(v3);
            row4[slot + HadamardLayout.SlotOffset(TShape.WalshSize, 4 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize))] = InQuadStages<TShape>(v4);
            row4[slot + HadamardLayout.SlotOffset(TShape.WalshSize, 5 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize))] = InQuadStages<TShape>(v5);
            row4[slot + HadamardLayout.SlotOffset(TShape.WalshSize, 6 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize))] = InQuadStages<TShape>(v6);
            row4[slot + HadamardLayout.SlotOffset(TShape.WalshSize, 7 * HadamardLayout.Threads(TShape.Width, TShape.BaseOrder, TShape.WalshSize))] = InQuadStages<TShape>(v7);
        }
    }

    /// <summary>Quad q of the row (zeros past its end).</summary>
    private static Float4 LoadInputQuad<TShape>(ReadOnlyDeviceSpan<Float4> input4, int firstQuad, int q) where TShape : IHadamardShape =>
        q < HadamardLayout.Quads(TShape.Width) ? input4[firstQuad + q] : default;

    /// <summary>The stages h = 1, 2 of a loaded quad (as far as 2^k has them), then its store to the shared row.</summary>
    private static void StoreLoadedQuad<TShape>(DeviceSpan<Float4> row4, int q, Float4 v) where TShape : IHadamardShape
    {
        if (q < HadamardLayout.Quads(TShape.Width)) row4[HadamardLayout.Slot(TShape.WalshSize, q)] = InQuadStages<TShape>(v);
    }

    /// <summary>The Walsh stages h = 1, 2 inside a quad, as far as 2^k has them.</summary>
    private static Float4 InQuadStages<TShape>(Float4 v) where TShape : IHadamardShape
    {
        if (TShape.WalshSize >= 2)
        {
            Butterfly(ref v.X, ref v.Y);
            Butterfly(ref v.Z, ref v.W);
        }
        if (TShape.WalshSize >= 4)
        {
            Butterfly(ref v.X, ref v.Z);
            Butterfly(ref v.Y, ref v.W);
        }
        return v;
    }

    /// <summary>
    /// One register pass: stages <paramref name="first"/> .. first + count - 1 of <see cref="HadamardLayout.Stages"/>.
    /// Unit u holds the 2^count quads q0 + j0 s0 + j1 s1 + j2 s2 (s the stages' quad strides, j bits), in v0..v7 by
    /// j, q0 being u with zero bits inserted where the Walsh strides are (all of a double's pairs lie in the first
    /// half). The pass stores its quads back.
    /// </summary>
    private static void ButterflyPass<TShape>(DeviceSpan<Float4> row4, int first, int count) where TShape : IHadamardShape
    {
        int walshStrides = Math.Max(0, Math.Min(count, HadamardLayout.WalshQuadStages(TShape.WalshSize) - first));
        int s0 = HadamardLayout.StageStride(TShape.Width, TShape.WalshSize, first);
        int s1 = count > 1 ? HadamardLayout.StageStride(TShape.Width, TShape.WalshSize, first + 1) : 0;
        int s2 = count > 2 ? HadamardLayout.StageStride(TShape.Width, TShape.WalshSize, first + 2) : 0;
        int units = HadamardLayout.PassUnits(TShape.Width, count);
        for (int u = Gpu.ThreadIdxX; u < units; u += Gpu.BlockDimX)
        {
            int q0 = ((u >> first) << (first + walshStrides)) | (u & ((1 << first) - 1));
            // The quads' slots at constant offsets from q0's (HadamardLayout.SlotOffset).
            int slot = HadamardLayout.Slot(TShape.WalshSize, q0);
            int o1 = HadamardLayout.SlotOffset(TShape.WalshSize, s0), o2 = HadamardLayout.SlotOffset(TShape.WalshSize, s1), o3 = HadamardLayout.SlotOffset(TShape.WalshSize, s0 + s1);
            int o4 = HadamardLayout.SlotOffset(TShape.WalshSize, s2), o5 = HadamardLayout.SlotOffset(TShape.WalshSize, s0 + s2), o6 = HadamardLayout.SlotOffset(TShape.WalshSize, s1 + s2), o7 = HadamardLayout.SlotOffset(TShape.WalshSize, s0 + s1 + s2);
            Float4 v0 = row4[slot], v1 = row4[slot + o1];
            Float4 v2 = default, v3 = default, v4 = default, v5 = default, v6 = default, v7 = default;
            if (count > 1)
            {
                v2 = row4[slot + o2];
                v3 = row4[slot + o3];
            }
            if (count > 2)
            {
                v4 = row4[slot + o4];
                v5 = row4[slot + o5];
                v6 = row4[slot + o6];
                v7 = row4[slot + o7];
            }
            // Stage j-bit 0 pairs v0-v1, v2-v3, ...; bit 1 v0-v2, v1-v3, ...; bit 2 v0-v4, ... (the stages in order).
            Butterfly(ref v0, ref v1);
            if (count > 1)
            {
                Butterfly(ref v2, ref v3);
                Butterfly(ref v0, ref v2);
                Butterfly(ref v1, ref v3);
            }
            if (count > 2)
            {
                Butterfly(ref v4, ref v5);
                Butterfly(ref v6, ref v7);
                Butterfly(ref v4, ref v6);
                Butterfly(ref v5, ref v7);
                Butterfly(ref v0, ref v4);
                Butterfly(ref v1, ref v5);
                Butterfly(ref v2, ref v6);
                Butterfly(ref v3, ref v7);
            }
            row4[slot] = v0;
            row4[slot + o1] = v1;
            if (count > 1)
            {
                row4[slot + o2] = v2;
                row4[slot + o3] = v3;
            }
            if (count > 2)
            {
                row4[slot + o4] = v4;
                row4[slot + o5] = v5;
                row4[slot + o6] = v6;
                row4[slot + o7] = v7;
            }
        }
    }

    /// <summary>(a, b) = (a + b, a - b).</summary>
    private static void Butterfly(ref float a, ref float b)
    {
        float x = a;
        a = x + b;
        b = x - b;
    }

    /// <summary>Component-wise <see cref="Butterfly(ref float, ref float)"/>.</summary>
    private static void Butterfly(ref Float4 a, ref Float4 b)
    {
        Butterfly(ref a.X, ref b.X);
        Butterfly(ref a.Y, ref b.Y);
        Butterfly(ref a.Z, ref b.Z);
        Butterfly(ref a.W, ref b.W);
    }
}
