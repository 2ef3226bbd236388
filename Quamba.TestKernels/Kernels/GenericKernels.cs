using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>A tile shape: compile-time constants the generator reads through [Specialize].</summary>
public interface ITileShape
{
    static abstract int Columns { get; }
    static abstract int ThreadsPerRow { get; }
}

public struct Tile256x64 : ITileShape
{
    public static int Columns => 256;
    public static int ThreadsPerRow => 64;
}

public struct Tile512x128 : ITileShape
{
    public static int Columns => 512;
    public static int ThreadsPerRow => 128;
}

/// <summary>A shape-specialised kernel: one PTX module per [Specialize] instance, constants folded in.</summary>
public static partial class GenericKernels
{
    /// <summary>Row sums of a rows x TShape.Columns matrix: one block per row, a shared-memory tree reduction.</summary>
    [Kernel]
    [Specialize(typeof(Tile256x64))]
    [Specialize(typeof(Tile512x128))]
    public static void RowSum<TShape>(ReadOnlyDeviceSpan<float> matrix, DeviceSpan<float> sums) where TShape : ITileShape
    {
        var partial = SharedMemory.Allocate<float>(TShape.ThreadsPerRow);
        int row = Gpu.BlockIdxX;
        int t = Gpu.ThreadIdxX;
        float sum = 0f;
        for (int c = t; c < TShape.Columns; c += TShape.ThreadsPerRow) sum += matrix[row * TShape.Columns + c];
        partial[t] = sum;
        Gpu.SyncThreads();
        for (int width = TShape.ThreadsPerRow / 2; width > 0; width /= 2)
        {
            if (t < width) partial[t] += partial[t + width];
            Gpu.SyncThreads();
        }
        if (t == 0) sums[row] = partial[0];
    }
}
