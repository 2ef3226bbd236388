namespace Quamba.Kernels.Mamba;

// A thread's elements of a row, four at a time: element k is at row position k * threads + t (coalesced across the
// block; the launch leaves at most 8 per thread). Quads of values live in registers (Float4); a
// position of -1 means "none". Only multiplications here: a PTX division would not fold to a constant.
public static partial class RmsNormKernels
{
    /// <summary>Positions of this thread's elements k0 .. k0 + 3 in a row of <paramref name="width"/>, -1 where there is none.</summary>
    private static Int4 Positions(int k0, int width)
    {
        Int4 p = default;
        p.X = Position(k0, width);
        p.Y = Position(k0 + 1, width);
        p.Z = Position(k0 + 2, width);
        p.W = Position(k0 + 3, width);
        return p;
    }

    private static int Position(int k, int width)
    {
        int i = k * Gpu.BlockDimX + Gpu.ThreadIdxX;
        return i < width ? i : -1;
    }

    private static Float4 Load(ReadOnlyDeviceSpan<float> span, int offset, Int4 p) => new(
        p.X >= 0 ? span[offset + p.X] : 0f, p.Y >= 0 ? span[offset + p.Y] : 0f, p.Z >= 0 ? span[offset + p.Z] : 0f, p.W >= 0 ? span[offset + p.W] : 0f);

    private static Float4 Load(DeviceSpan<float> span, int offset, Int4 p) => new(
        p.X >= 0 ? span[offset + p.X] : 0f, p.Y >= 0 ? span[offset + p.Y] : 0f, p.Z >= 0 ? span[offset + p.Z] : 0f, p.W >= 0 ? span[offset + p.W] : 0f);

    /// <summary>int8 codes as floats (exact).</summary>
    private static Float4 LoadCodes(ReadOnlyDeviceSpan<sbyte> span, int offset, Int4 p) => new(
        p.X >= 0 ? span[offset + p.X] : 0f, p.Y >= 0 ? span[offset + p.Y] : 0f, p.Z >= 0 ? span[offset + p.Z] : 0f, p.W >= 0 ? span[offset + p.W] : 0f);

    private static void Store(DeviceSpan<float> span, int offset, Int4 p, Float4 v)
    {
        if (p.X >= 0) span[offset + p.X] = v.X;
        if (p.Y >= 0) span[offset + p.Y] = v.Y;
        if (p.Z >= 0) span[offset + p.Z] = v.Z;
        if (p.W >= 0) span[offset + p.W] = v.W;
    }

    private static Float4 Add(Float4 a, Float4 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z, a.W + b.W);

    /// <summary>v = y * SiLU(code * zScale) per component.</summary>
    private static Float4 Gate(Float4 y, Float4 codes, float zScale) => new(
        y.X * KernelMath.SiLU(codes.X * zScale), y.Y * KernelMath.SiLU(codes.Y * zScale), y.Z * KernelMath.SiLU(codes.Z * zScale), y.W * KernelMath.SiLU(codes.W * zScale));

    /// <summary>sum + X^2 + Y^2 + Z^2 + W^2, added in that order.</summary>
    private static float AddSquares(float sum, Float4 v)
    {
        sum += v.X * v.X;
        sum += v.Y * v.Y;
        sum += v.Z * v.Z;
        sum += v.W * v.W;
        return sum;
    }

    /// <summary>
    /// Stages <c>v * inverse * w</c> at this thread's positions in shared memory: one output loop then serves every
    /// element (one quantization in the code instead of one per element).
    /// </summary>
    private static void StageNormalised(DeviceSpan<float> stage, Int4 p, Float4 v, Float4 w, float inverse)
    {
        if (p.X >= 0) stage[p.X] = v.X * inverse * w.X;
        if (p.Y >= 0) stage[p.Y] = v.Y * inverse * w.Y;
        if (p.Z >= 0) stage[p.Z] = v.Z * inverse * w.Z;
        if (p.W >= 0) stage[p.W] = v.W * inverse * w.W;
    }

    /// <summary>
    /// Writes the staged values of this thread's positions (k * threads + t, as staged: no barrier needed) to
    /// output offset + i: codes (<see cref="ReciprocalQuantization"/>, equal to KernelMath.Quantize) or floats.
    /// </summary>
    private static void WriteStaged<TOutput>(DeviceSpan<float> stage, int width, int offset, DeviceSpan<sbyte> codes, DeviceSpan<float> floats, float scale)
        where TOutput : IOutputKind
    {
        if (TOutput.Quantizes)
        {
            float reciprocal = ReciprocalQuantization.Reciprocal(scale);
            for (int i = Gpu.ThreadIdxX; i < width; i += Gpu.BlockDimX) codes[offset + i] = ReciprocalQuantization.Quantize(stage[i], scale, reciprocal);
            return;
        }
        for (int i = Gpu.ThreadIdxX; i < width; i += Gpu.BlockDimX) floats[offset + i] = stage[i];
    }
}
