namespace Quamba.Model.Backends.Cpu;

/// <summary>A loop body over contiguous ranges of items (see <see cref="CpuParallel.ForRanges{T}"/>).</summary>
internal interface IRangeWork
{
    void Run(int begin, int end);
}

/// <summary>
/// How the CPU backend spreads a loop over cores: at most <see cref="MaxDegreeOfParallelism"/> threads of the shared
/// <see cref="CpuWorkerPool"/>. Struct bodies (IParallelWork, IRangeWork) run without allocating; the delegate
/// overloads are for code off the per-token path.
/// </summary>
internal sealed class CpuParallel
{
    public CpuParallel(int maxDegreeOfParallelism = 0)
    {
        MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
    }

    /// <summary>Threads used at most (defaults to the number of logical processors).</summary>
    public int MaxDegreeOfParallelism { get; }

    public static CpuParallel Default { get; } = new();

    /// <summary>Worker slots a loop over <paramref name="count"/> items may use: size per-worker scratch with this.</summary>
    internal int Workers(int count) => Math.Clamp(Math.Min(count, MaxDegreeOfParallelism), 1, CpuWorkerPool.Shared.MaxParticipants);

    /// <summary>Runs body.Run(item, worker) for every item in [0, count); worker is in [0, Workers(count)).</summary>
    internal void For<T>(int count, ref T body) where T : struct, IParallelWork
    {
        if (count <= 0) return;
        CpuWorkerPool.Shared.Run(ref body, count, Workers(count));
    }

    /// <summary>
    /// Runs body.Run(begin, end) over contiguous ranges of [0, count), each at least minPerRange items (unless the
    /// whole count is smaller), a few ranges per thread so a stalled core does not hold up the rest.
    /// </summary>
    internal void ForRanges<T>(int count, int minPerRange, ref T body) where T : struct, IRangeWork
    {
        if (count <= 0) return;
        int ranges = Math.Clamp(count / Math.Max(1, minPerRange), 1, 4 * MaxDegreeOfParallelism);
        if (ranges == 1 || MaxDegreeOfParallelism == 1)
        {
            body.Run(0, count);
            return;
        }
        var split = new RangeSplit<T> { Body = body, Count = count, Ranges = ranges };
        For(ranges, ref split);
    }

    internal void For(int count, Action<int, int> body)
    {
        var work = new DelegateWork { Body = body };
        For(count, ref work);
    }

    private struct RangeSplit<T> : IParallelWork where T : struct, IRangeWork
    {
        public T Body;
        public int Count, Ranges;

        public void Run(int item, int worker)
        {
            int begin = (int)((long)Count * item / Ranges);
            int end = (int)((long)Count * (item + 1) / Ranges);
            Body.Run(begin, end);
        }
    }

    private struct DelegateWork : IParallelWork
    {
        public Action<int, int> Body;
        public readonly void Run(int item, int worker) => Body(item, worker);
    }
}
