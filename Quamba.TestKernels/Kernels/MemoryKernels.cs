using Quamba.Kernels;

namespace Quamba.TestKernels.Kernels;

/// <summary>Memory spaces and geometry: dynamic shared memory, a 2D tiled transpose, 3D indices, local arrays.</summary>
public static partial class MemoryKernels
{
    public const int Tile = 32;

    /// <summary>Reverses each block's slice through dynamic shared memory (size given at launch).</summary>
    [Kernel]
    public static void DynamicReverse(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> output)
    {
        var buffer = SharedMemory.Dynamic<float>();
        int t = Gpu.ThreadIdxX;
        int n = Gpu.BlockDimX;
        int i = Gpu.BlockIdxX * n + t;
        buffer[t] = input[i];
        Gpu.SyncThreads();
        output[i] = buffer[n - 1 - t] + buffer.Length;
    }

    /// <summary>Matrix transpose through a padded 32x33 shared tile (no bank conflicts), 2D grid and block.</summary>
    [Kernel]
    public static void Transpose(ReadOnlyDeviceSpan<float> input, DeviceSpan<float> output, int rows, int columns)
    {
        var tile = SharedMemory.Allocate<float>(Tile * (Tile + 1));
        int x = Gpu.BlockIdxX * Tile + Gpu.ThreadIdxX;
        int y = Gpu.BlockIdxY * Tile + Gpu.ThreadIdxY;
        if (x < columns && y < rows) tile[Gpu.ThreadIdxY * (Tile + 1) + Gpu.ThreadIdxX] = input[y * columns + x];
        Gpu.SyncThreads();
        int tx = Gpu.BlockIdxY * Tile + Gpu.ThreadIdxX;
        int ty = Gpu.BlockIdxX * Tile + Gpu.ThreadIdxY;
        if (tx < rows && ty < columns) output[ty * rows + tx] = tile[Gpu.ThreadIdxX * (Tile + 1) + Gpu.ThreadIdxY];
    }

    /// <summary>Writes every 3D index component, so a wrong special register shows up immediately.</summary>
    [Kernel]
    public static void Index3D(DeviceSpan<int> output)
    {
        int tx = Gpu.ThreadIdxX, ty = Gpu.ThreadIdxY, tz = Gpu.ThreadIdxZ;
        int bx = Gpu.BlockIdxX, by = Gpu.BlockIdxY, bz = Gpu.BlockIdxZ;
        int threadInBlock = (tz * Gpu.BlockDimY + ty) * Gpu.BlockDimX + tx;
        int block = (bz * Gpu.GridDimY + by) * Gpu.GridDimX + bx;
        int global = block * Gpu.BlockDimX * Gpu.BlockDimY * Gpu.BlockDimZ + threadInBlock;
        output[global] = tx | ty << 4 | tz << 8 | bx << 12 | by << 16 | bz << 20 | Gpu.BlockDimZ << 24 | Gpu.GridDimZ << 28;
    }

    /// <summary>Sorts 8 values per thread in a stackalloc'd local array (insertion sort).</summary>
    [Kernel]
    public static void SortEight(ReadOnlyDeviceSpan<int> input, DeviceSpan<int> output)
    {
        int i = Gpu.BlockIdxX * Gpu.BlockDimX + Gpu.ThreadIdxX;
        if (i * 8 >= input.Length) return;
        Span<int> values = stackalloc int[8];
        for (int k = 0; k < values.Length; k++) values[k] = input[i * 8 + k];
        for (int k = 1; k < 8; k++)
        {
            int key = values[k];
            int j = k - 1;
            while (j >= 0 && values[j] > key)
            {
                values[j + 1] = values[j];
                j--;
            }
            values[j + 1] = key;
        }
        var sorted = output.Slice(i * 8, 8);
        for (int k = 0; k < 8; k++) sorted[k] = values[k];
    }
}
