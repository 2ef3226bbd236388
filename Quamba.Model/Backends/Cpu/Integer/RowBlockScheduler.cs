namespace Quamba.Model.Backends.Cpu.Integer;

/// <summary>Splits the N output rows into blocks for Parallel.For, or runs serially when the work is small.</summary>
internal static class RowBlockScheduler
{
    /// <summary>Below this many multiply-adds a call runs on the calling thread: thread hand-off would cost more.</summary>
    public const long SerialWorkLimit = 1 << 18;

    /// <summary>
    /// Block height: a multiple of 4 (the micro-kernels take four weight rows), about four blocks per core for
    /// load balance, and at most ~128 KB of weights so a block stays in L2 while every activation row passes over it.
    /// </summary>
    public static int RowsPerBlock(int n, long bytesPerRow)
    {
        int byBalance = n / (4 * Environment.ProcessorCount);
        int byCache = (int)Math.Max(4, (128 * 1024) / Math.Max(1, bytesPerRow));
        int rows = Math.Clamp(Math.Min(byBalance, byCache), 4, Math.Max(4, n));
        return (rows + 3) & ~3;
    }

    // Set by SerialScope on the calling thread (the thread that calls Parallel.For): benchmarks measure
    // one-core throughput with it; nothing else changes it.
    [ThreadStatic] private static bool t_serial;

    /// <summary>Runs every kernel called on this thread single-threaded until disposed.</summary>
    internal static IDisposable SerialScope()
    {
        bool previous = t_serial;
        t_serial = true;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => t_serial = previous;
    }

    public static void Run(int n, long work, int rowsPerBlock, Action<int, int> rowRange)
    {
        int blocks = (n + rowsPerBlock - 1) / rowsPerBlock;
        if (work < SerialWorkLimit || blocks == 1 || t_serial)
        {
            rowRange(0, n);
            return;
        }
        Parallel.For(0, blocks, b =>
        {
            int start = b * rowsPerBlock;
            rowRange(start, Math.Min(n, start + rowsPerBlock));
        });
    }
}
