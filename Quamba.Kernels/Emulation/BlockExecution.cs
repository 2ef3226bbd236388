namespace Quamba.Kernels.Emulation;

/// <summary>
/// Runs the threads of one block at a time for a worker, with a baton: exactly one carrier of the block
/// executes kernel code at any moment, and hands the baton on when its thread waits at a collective or
/// returns. A thread that returns lets its carrier start the next unstarted thread directly, so a kernel
/// without barriers or warp collectives runs its block as a plain loop; only waiting threads cost an
/// OS-thread switch. Scheduling is deterministic (ready threads in arrival order, then unstarted threads
/// in linear order). When nothing can run but threads still wait, the block is stuck: that is a barrier
/// a thread skipped or left by returning, which the block reports as an error and then aborts.
/// </summary>
internal sealed partial class BlockExecution : IDisposable
{
    private readonly LaunchExecution _launch;
    private readonly Carrier _owner;
    private readonly EmulatedThread[] _threads;
    private readonly int[] _warpSizes;
    private readonly int[] _warpArrived;
    private readonly int[] _ready;
    private readonly SharedMemoryArena _shared = new();
    private int _readyHead, _readyCount;
    private int _nextUnstarted;
    private int _finished;
    private int _barrierArrived;
    private bool _aborting;

    public BlockExecution(LaunchExecution launch, Carrier owner)
    {
        _launch = launch;
        _owner = owner;
        Dim3 block = launch.Config.Block;
        int count = (int)block.Volume;
        _threads = new EmulatedThread[count];
        for (int z = 0, i = 0; z < block.Z; z++)
            for (int y = 0; y < block.Y; y++)
                for (int x = 0; x < block.X; x++, i++)
                    _threads[i] = new EmulatedThread(this, i, x, y, z);
        int warps = (count + Gpu.WarpSize - 1) / Gpu.WarpSize;
        _warpSizes = new int[warps];
        for (int w = 0; w < warps; w++) _warpSizes[w] = Math.Min(Gpu.WarpSize, count - w * Gpu.WarpSize);
        _warpArrived = new int[warps];
        _ready = new int[count];
    }

    public int BlockX { get; private set; }
    public int BlockY { get; private set; }
    public int BlockZ { get; private set; }
    public LaunchConfig Config => _launch.Config;
    public SharedMemoryArena Shared => _shared;

    /// <summary>Runs block <paramref name="linearBlock"/> to completion on the owner carrier (the calling thread).</summary>
    public void Run(long linearBlock)
    {
        Dim3 grid = _launch.Config.Grid;
        BlockX = (int)(linearBlock % grid.X);
        BlockY = (int)(linearBlock / grid.X % grid.Y);
        BlockZ = (int)(linearBlock / ((long)grid.X * grid.Y));
        foreach (EmulatedThread t in _threads) t.Reset();
        Array.Clear(_warpArrived);
        _readyHead = _readyCount = 0;
        _nextUnstarted = 1;
        _finished = 0;
        _barrierArrived = 0;
        _aborting = false;
        _shared.BeginBlock();

        // The owner runs thread 0 itself; if the block is finished by another carrier, that one wakes it.
        if (!RunFrom(_owner, _threads[0])) _owner.Park();
    }

    /// <summary>
    /// Runs <paramref name="first"/> and then whatever the scheduler gives this carrier, until the carrier is
    /// no longer needed. True when this carrier finished the block.
    /// </summary>
    private bool RunFrom(Carrier carrier, EmulatedThread first)
    {
        EmulatedThread? thread = first;
        while (true)
        {
            Execute(carrier, thread);
            Step next = Pick();
            switch (next.Kind)
            {
                case StepKind.Start:
                    thread = next.Thread!;
                    continue;
                case StepKind.Resume:
                    next.Thread!.Carrier!.Unpark();
                    return false;
                default: // Done
                    if (!ReferenceEquals(carrier, _owner))
                    {
                        _owner.Unpark();
                        return false;
                    }
                    return true;
            }
        }
    }

    private void Execute(Carrier carrier, EmulatedThread thread)
    {
        thread.State = ThreadState.Running;
        thread.Carrier = carrier;
        EmulatedThread.SetCurrent(thread);
        try
        {
            _launch.Kernel();
        }
        catch (EmulationAbortedException)
        {
        }
        catch (Exception e)
        {
            Fail(new KernelEmulationException(
                $"Kernel threw {e.GetType().Name} in {thread.Describe()}: {e.Message}", BlockIndex, new Dim3(thread.X, thread.Y, thread.Z), e));
        }
        finally
        {
            EmulatedThread.SetCurrent(null);
        }
        thread.State = ThreadState.Done;
        thread.WaitingAt = Collective.None;
        _finished++;
    }

    private Dim3 BlockIndex => new(BlockX, BlockY, BlockZ);

    /// <summary>Records the launch's failure (the first one wins) and aborts this block.</summary>
    private void Fail(KernelEmulationException failure)
    {
        if (_aborting) return;
        _aborting = true;
        _launch.RecordFailure(failure);
    }

    private enum StepKind : byte { Start, Resume, Done }

    private readonly record struct Step(StepKind Kind, EmulatedThread? Thread);

    /// <summary>The next thing to run, chosen by the baton holder.</summary>
    private Step Pick()
    {
        if (!_aborting && _launch.Failed) _aborting = true;
        if (_readyCount > 0) return new Step(StepKind.Resume, Dequeue());
        if (_nextUnstarted < _threads.Length)
        {
            if (!_aborting) return new Step(StepKind.Start, _threads[_nextUnstarted++]);
            for (; _nextUnstarted < _threads.Length; _nextUnstarted++)
            {
                _threads[_nextUnstarted].State = ThreadState.Done;
                _finished++;
            }
        }
        if (_finished == _threads.Length) return new Step(StepKind.Done, null);

        // Threads wait but none can run: a collective can never complete.
        if (!_aborting) Fail(DiagnoseStuck());
        foreach (EmulatedThread t in _threads)
            if (t.State == ThreadState.Waiting) Enqueue(t);
        return new Step(StepKind.Resume, Dequeue());
    }

    private void Enqueue(EmulatedThread thread)
    {
        thread.State = ThreadState.Ready;
        _ready[(_readyHead + _readyCount) % _ready.Length] = thread.Linear;
        _readyCount++;
    }

    private EmulatedThread Dequeue()
    {
        EmulatedThread thread = _threads[_ready[_readyHead]];
        _readyHead = (_readyHead + 1) % _ready.Length;
        _readyCount--;
        return thread;
    }

    public void Dispose() => _shared.Dispose();
}
