namespace Quamba.Model.Backends.Cpu;

/// <summary>
/// How the CPU backend spreads work over cores. Work items are split into contiguous ranges, one range per worker
/// slot; a worker slot index lets a loop body use per-worker scratch without allocating.
/// </summary>
internal sealed class CpuParallel
{
    public CpuParallel(int maxDegreeOfParallelism = 0)
    {
        MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        Options = new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism };
    }

    /// <summary>Threads used at most (defaults to the number of logical processors).</summary>
    public int MaxDegreeOfParallelism { get; }

    internal ParallelOptions Options { get; }

    /// <summary>Runs body(item, worker) for every item in [0, count); worker is in [0, Workers(count)).</summary>
    internal void For(int count, Action<int, int> body)
    {
        if (count <= 0) return;
        int workers = Workers(count);
        if (workers == 1)
        {
            for (int i = 0; i < count; i++) body(i, 0);
            return;
        }
        // Items are handed out one at a time (dynamic): other processes on a shared machine can stall a worker.
        int next = -1;
        Parallel.For(0, workers, Options, w =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) body(i, w);
        });
    }

    /// <summary>
    /// Runs body(begin, end) over contiguous ranges of [0, count), each at least minPerRange items (except when the
    /// whole count is smaller), a few ranges per worker so a stalled core does not hold up the rest.
    /// </summary>
    internal void ForRanges(int count, int minPerRange, Action<int, int> body)
    {
        if (count <= 0) return;
        int ranges = Math.Clamp(count / Math.Max(1, minPerRange), 1, 4 * MaxDegreeOfParallelism);
        if (ranges == 1 || MaxDegreeOfParallelism == 1)
        {
            body(0, count);
            return;
        }
        For(ranges, (r, _) =>
        {
            int begin = (int)((long)count * r / ranges);
            int end = (int)((long)count * (r + 1) / ranges);
            body(begin, end);
        });
    }

    internal int Workers(int count) => Math.Clamp(count, 1, MaxDegreeOfParallelism);

    public static CpuParallel Default { get; } = new();
}
