namespace Quamba.Kernels.Emulation;

/// <summary>
/// One emulated launch: workers (the calling thread plus up to one pooled carrier per core) claim blocks in
/// linear order and run each with a <see cref="BlockExecution"/>. A failure stops the blocks after the failing one;
/// blocks before it still run, so the error reported is always that of the lowest failing block, whatever the
/// timing of the workers (each block's own schedule is deterministic).
/// </summary>
internal sealed class LaunchExecution
{
    private readonly long _blockCount;
    private long _nextBlock = -1;
    private readonly object _failureLock = new();
    private KernelEmulationException? _failure;
    private long _failedBlock = long.MaxValue;

    public LaunchExecution(LaunchConfig config, Action kernel)
    {
        Config = config;
        Kernel = kernel;
        _blockCount = config.Grid.Volume;
    }

    public LaunchConfig Config { get; }
    public Action Kernel { get; }
    /// <summary>True when a block before <paramref name="linearBlock"/> failed, so its work no longer matters.</summary>
    public bool ShouldAbort(long linearBlock) => linearBlock > Volatile.Read(ref _failedBlock);

    public void RecordFailure(KernelEmulationException failure, long linearBlock)
    {
        lock (_failureLock)
        {
            if (linearBlock >= _failedBlock) return;
            _failure = failure;
            Volatile.Write(ref _failedBlock, linearBlock);
        }
    }

    public void Run()
    {
        int workers = (int)Math.Min(Environment.ProcessorCount, _blockCount);
        using var done = new CountdownEvent(workers);
        for (int i = 1; i < workers; i++)
            Carrier.Dispatch(c =>
            {
                try { Work(c); }
                finally { done.Signal(); }
            });
        try { Work(Carrier.ForCurrentThread()); }
        finally { done.Signal(); }
        done.Wait();
        if (_failure is not null) throw _failure;
    }

    private void Work(Carrier self)
    {
        using var block = new BlockExecution(this, self);
        while (true)
        {
            long b = Interlocked.Increment(ref _nextBlock);
            if (b >= _blockCount || ShouldAbort(b)) return;
            block.Run(b);
        }
    }
}
