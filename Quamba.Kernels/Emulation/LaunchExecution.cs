namespace Quamba.Kernels.Emulation;

/// <summary>
/// One emulated launch: workers (the calling thread plus up to one pooled carrier per core) claim blocks in
/// linear order and run each with a <see cref="BlockExecution"/>. The first failure stops new blocks and
/// aborts those in flight.
/// </summary>
internal sealed class LaunchExecution
{
    private readonly long _blockCount;
    private long _nextBlock = -1;
    private KernelEmulationException? _failure;
    private volatile bool _failed;

    public LaunchExecution(LaunchConfig config, Action kernel)
    {
        Config = config;
        Kernel = kernel;
        _blockCount = config.Grid.Volume;
    }

    public LaunchConfig Config { get; }
    public Action Kernel { get; }
    public bool Failed => _failed;

    public void RecordFailure(KernelEmulationException failure)
    {
        Interlocked.CompareExchange(ref _failure, failure, null);
        _failed = true;
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
        while (!_failed)
        {
            long b = Interlocked.Increment(ref _nextBlock);
            if (b >= _blockCount) return;
            block.Run(b);
        }
    }
}
