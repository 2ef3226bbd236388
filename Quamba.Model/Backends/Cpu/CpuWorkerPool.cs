using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Quamba.Model.Backends.Cpu;

/// <summary>A loop body run for every item of a parallel loop; a struct, so handing it to workers allocates nothing.</summary>
internal interface IParallelWork
{
    /// <param name="item">the work item, in [0, count)</param>
    /// <param name="worker">the participating thread's slot, in [0, participants): index per-worker scratch with it</param>
    void Run(int item, int worker);
}

/// <summary>
/// Persistent worker threads for the CPU backend's parallel loops. A forward pass issues many short loops (a few per
/// layer, each tens of microseconds when decoding); Parallel.For costs allocations and thread-pool wake-ups for each.
/// Here the caller publishes the loop (a pointer to its struct body on its own stack, valid because the caller
/// waits), bumps a generation counter, and works on items too; workers spin briefly on the counter between loops
/// (a decode step's loops follow each other within microseconds) and then block, so an idle model costs nothing.
/// Items are claimed one at a time from a shared counter, which balances load when other processes steal a core,
/// and the caller never waits for a worker that has not woken up: it finishes the items itself.
/// </summary>
internal sealed unsafe class CpuWorkerPool
{
    /// <summary>How long an idle worker spins for the next loop before blocking.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 microseconds

    [ThreadStatic] private static bool t_insideLoop;

    private readonly object _gate = new();
    private readonly int _workers;
    private int _busy;
    private long _generation;

    // The published loop.
    private void* _body;
    private delegate*<void*, int, int, void> _invoke;
    private int _count;
    private int _next;
    private int _participants;
    private int _closed;
    private int _entrants;
    private Exception? _error;

    private CpuWorkerPool(int workers)
    {
        _workers = workers;
        for (int i = 1; i <= workers; i++)
        {
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"Quamba CPU worker {i}" };
            thread.Start(i);
        }
    }

    /// <summary>One pool per process: as many threads as logical processors, the caller being one of them.</summary>
    public static CpuWorkerPool Shared { get; } = new(Math.Max(0, Environment.ProcessorCount - 1));

    /// <summary>Threads a loop can use at most (workers plus the caller).</summary>
    public int MaxParticipants => _workers + 1;

    /// <summary>
    /// Runs body.Run(item, worker) for every item on up to <paramref name="participants"/> threads. Loops started from
    /// inside a loop body, or while another thread's loop holds the pool, run on the calling thread alone.
    /// </summary>
    public void Run<T>(ref T body, int count, int participants) where T : struct, IParallelWork
    {
        participants = Math.Min(Math.Min(participants, count), MaxParticipants);
        if (participants <= 1 || t_insideLoop || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body.Run(i, 0);
            return;
        }

        try
        {
            _body = Unsafe.AsPointer(ref body);
            _invoke = &Invoke<T>;
            _count = count;
            _next = -1;
            _error = null;
            _participants = participants;
            Volatile.Write(ref _closed, 0);
            lock (_gate)
            {
                Interlocked.Increment(ref _generation);
                Monitor.PulseAll(_gate);
            }

            Work(0);
            // Every item is claimed. Close the loop to workers that have not joined yet (a worker slow to wake must
            // not hold up the caller) and wait for those inside to finish their items. Both sides use full fences
            // (Dekker): a joining worker either sees the loop closed or is seen in _entrants.
            Interlocked.Exchange(ref _closed, 1);
            var spin = new SpinWait();
            while (Volatile.Read(ref _entrants) != 0) spin.SpinOnce(sleep1Threshold: -1);
            if (_error is { } error) ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            _body = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    private static void Invoke<T>(void* body, int item, int worker) where T : struct, IParallelWork =>
        Unsafe.AsRef<T>(body).Run(item, worker);

    private void Work(int worker)
    {
        t_insideLoop = true;
        try
        {
            int item;
            while ((item = Interlocked.Increment(ref _next)) < _count)
            {
                try
                {
                    _invoke(_body, item, worker);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                    Volatile.Write(ref _next, _count); // stop handing out items
                }
            }
        }
        finally
        {
            t_insideLoop = false;
        }
    }

    private void WorkerLoop(object? state)
    {
        int index = (int)state!;
        long seen = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(16);
                    continue;
                }
                lock (_gate)
                {
                    while (Volatile.Read(ref _generation) == seen) Monitor.Wait(_gate);
                }
            }
            seen = Volatile.Read(ref _generation);
            Interlocked.Increment(ref _entrants);
            // Inside: the caller cannot close and republish until we leave, so the loop's fields are stable.
            if (Volatile.Read(ref _closed) == 0 && index < _participants) Work(index);
            Interlocked.Decrement(ref _entrants);
        }
    }
}
