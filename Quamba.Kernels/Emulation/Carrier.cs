namespace Quamba.Kernels.Emulation;

/// <summary>
/// An OS thread that runs emulated GPU threads. An emulated thread keeps its carrier from its first
/// instruction to its return, because its locals live on the carrier's stack while it waits at a barrier
/// or a warp collective. Carriers are pooled across blocks and launches; an idle one exits after a while.
/// </summary>
internal sealed class Carrier
{
    // Kernels are shallow (no recursion on a GPU), so a small stack lets a block of 1024 waiting threads
    // cost 1024 small reservations instead of 1024 default 8 MB ones.
    private const int StackBytes = 512 * 1024;
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(20);

    private static readonly Stack<Carrier> s_idle = new();
    private static int s_created;

    private readonly Parker _parker = new();
    private Action<Carrier>? _work;

    private Carrier() { }

    /// <summary>Carriers started so far (for tests and diagnostics).</summary>
    public static int Created => Volatile.Read(ref s_created);

    /// <summary>A carrier object for the calling thread, which parks like any other but is not pooled.</summary>
    public static Carrier ForCurrentThread() => new();

    /// <summary>Runs <paramref name="work"/> on an idle pooled carrier (or a new one).</summary>
    public static void Dispatch(Action<Carrier> work)
    {
        Carrier? carrier = null;
        lock (s_idle)
        {
            if (s_idle.Count > 0) carrier = s_idle.Pop();
        }
        if (carrier is null)
        {
            carrier = new Carrier();
            var thread = new Thread(carrier.Loop, StackBytes) { IsBackground = true, Name = "Quamba kernel emulator" };
            Interlocked.Increment(ref s_created);
            carrier._work = work;
            thread.Start();
            return;
        }
        carrier._work = work;
        carrier._parker.Unpark();
    }

    public void Park() => _parker.Park();

    public void Unpark() => _parker.Unpark();

    private void Loop()
    {
        while (true)
        {
            Action<Carrier> work = _work!;
            _work = null;
            work(this);
            lock (s_idle) s_idle.Push(this);
            if (!_parker.Park(IdleExit))
            {
                lock (s_idle)
                {
                    // Still idle: nobody can hand us work any more once we leave the pool.
                    if (s_idle.Contains(this) && _work is null)
                    {
                        RemoveIdle(this);
                        return;
                    }
                }
                // Someone took us from the pool as the wait timed out: its Unpark is on the way.
                _parker.Park();
            }
        }
    }

    private static void RemoveIdle(Carrier carrier)
    {
        var keep = new List<Carrier>(s_idle.Count);
        while (s_idle.Count > 0)
        {
            Carrier c = s_idle.Pop();
            if (!ReferenceEquals(c, carrier)) keep.Add(c);
        }
        for (int i = keep.Count - 1; i >= 0; i--) s_idle.Push(keep[i]);
    }
}
