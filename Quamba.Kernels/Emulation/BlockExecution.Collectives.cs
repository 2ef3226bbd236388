namespace Quamba.Kernels.Emulation;

/// <summary>Barriers and warp collectives: arrival, completion, and the diagnosis of a stuck block.</summary>
internal sealed partial class BlockExecution
{
    /// <summary>
    /// <paramref name="thread"/> (the baton holder) arrives at a collective. Returns the collective's result
    /// for it once every participant has arrived; meanwhile its carrier parks and the baton moves on.
    /// </summary>
    public uint Arrive(EmulatedThread thread, Collective kind, uint operand, int argument)
    {
        if (_aborting) throw new EmulationAbortedException();
        thread.WaitingAt = kind;
        thread.Operand = operand;
        thread.Argument = argument;
        thread.State = ThreadState.Waiting;

        bool complete;
        if (kind == Collective.SyncThreads)
        {
            complete = ++_barrierArrived == _threads.Length;
            if (complete) ReleaseBarrier(thread);
        }
        else
        {
            int w = thread.WarpIndex;
            complete = ++_warpArrived[w] == _warpSizes[w];
            if (complete) CompleteWarp(w, thread);
        }

        if (!complete)
        {
            Step next = Pick();
            if (next.Kind == StepKind.Start)
            {
                EmulatedThread start = next.Thread!;
                Carrier.Dispatch(c => RunFrom(c, start));
                thread.Carrier!.Park();
            }
            else if (!ReferenceEquals(next.Thread, thread))
            {
                next.Thread!.Carrier!.Unpark();
                thread.Carrier!.Park();
            }
            // else: the scheduler chose this very thread (the block is aborting); it continues without parking.
        }

        thread.State = ThreadState.Running;
        thread.WaitingAt = Collective.None;
        if (_aborting) throw new EmulationAbortedException();
        return thread.Result;
    }

    private void ReleaseBarrier(EmulatedThread arriving)
    {
        _barrierArrived = 0;
        foreach (EmulatedThread t in _threads)
            if (!ReferenceEquals(t, arriving)) Enqueue(t);
    }

    private void CompleteWarp(int warp, EmulatedThread arriving)
    {
        _warpArrived[warp] = 0;
        int first = warp * Gpu.WarpSize, size = _warpSizes[warp];
        Collective kind = _threads[first].WaitingAt;
        for (int lane = 1; lane < size; lane++)
        {
            EmulatedThread t = _threads[first + lane];
            if (t.WaitingAt != kind)
            {
                Fail(new KernelEmulationException(
                    $"Warp divergence: {_threads[first].Describe()} is at {Name(kind)} while {t.Describe()} of the same warp is at " +
                    $"{Name(t.WaitingAt)}. Every lane of a warp must execute the same warp collective (full mask 0xffffffff).",
                    BlockIndex, new Dim3(t.X, t.Y, t.Z)));
                break;
            }
        }
        if (!_aborting) ComputeWarp(kind, first, size);
        for (int lane = 0; lane < size; lane++)
        {
            EmulatedThread t = _threads[first + lane];
            if (!ReferenceEquals(t, arriving)) Enqueue(t);
        }
    }

    private void ComputeWarp(Collective kind, int first, int size)
    {
        switch (kind)
        {
            case Collective.SyncWarp:
                return;
            case Collective.VoteAll:
            case Collective.VoteAny:
            case Collective.VoteBallot:
                uint ballot = 0;
                for (int lane = 0; lane < size; lane++)
                    if (_threads[first + lane].Operand != 0) ballot |= 1u << lane;
                uint existing = size == 32 ? uint.MaxValue : (1u << size) - 1;
                uint result = kind switch
                {
                    Collective.VoteBallot => ballot,
                    Collective.VoteAll => ballot == existing ? 1u : 0u,
                    _ => ballot != 0 ? 1u : 0u,
                };
                for (int lane = 0; lane < size; lane++) _threads[first + lane].Result = result;
                return;
        }

        // shfl.sync with c = 0x1f (0 for .up) and no segments: only the low 5 bits of the lane operand count;
        // a source outside the warp (.up below 0, .down above 31) yields the caller's own value.
        for (int lane = 0; lane < size; lane++)
        {
            EmulatedThread t = _threads[first + lane];
            int b = t.Argument & 31;
            int source = kind switch
            {
                Collective.ShuffleIdx => b,
                Collective.ShuffleUp => lane - b,
                Collective.ShuffleDown => lane + b,
                _ => lane ^ b,
            };
            if (source < 0 || source > 31) source = lane;
            if (source >= size)
            {
                Fail(new KernelEmulationException(
                    $"{t.Describe()} reads lane {source} with {Name(kind)}, but its warp has only {size} threads " +
                    $"(block of {_threads.Length}): the value is undefined on a GPU. Make the block a multiple of 32 threads " +
                    "or keep shuffles inside the existing lanes.",
                    BlockIndex, new Dim3(t.X, t.Y, t.Z)));
                return;
            }
            t.Result = _threads[first + source].Operand;
        }
    }

    /// <summary>Explains why no waiting thread can ever be released.</summary>
    private KernelEmulationException DiagnoseStuck()
    {
        const string Rule = "Every thread of a block must reach each Gpu.SyncThreads, and every lane of a warp each warp " +
                            "collective; on a GPU this is undefined behaviour (a hang or wrong results).";
        for (int w = 0; w < _warpSizes.Length; w++)
        {
            if (_warpArrived[w] == 0) continue;
            int first = w * Gpu.WarpSize;
            EmulatedThread? waiter = null, other = null;
            for (int lane = 0; lane < _warpSizes[w]; lane++)
            {
                EmulatedThread t = _threads[first + lane];
                bool atWarpCollective = t.State == ThreadState.Waiting && t.WaitingAt != Collective.SyncThreads;
                if (atWarpCollective) waiter ??= t;
                else other ??= t;
            }
            if (waiter is null || other is null) continue;
            string what = other.State == ThreadState.Done
                ? $"{other.Describe()} exited while other lanes of its warp wait at {Name(waiter.WaitingAt)} (e.g. {waiter.Describe()})."
                : $"{other.Describe()} waits at {Name(other.WaitingAt)} while {waiter.Describe()} of the same warp waits at {Name(waiter.WaitingAt)}.";
            return new KernelEmulationException($"{what} {Rule}", BlockIndex, new Dim3(other.X, other.Y, other.Z));
        }

        EmulatedThread? atBarrier = null, exited = null;
        foreach (EmulatedThread t in _threads)
        {
            if (t.State == ThreadState.Waiting && t.WaitingAt == Collective.SyncThreads) atBarrier ??= t;
            if (t.State == ThreadState.Done) exited ??= t;
        }
        if (atBarrier is not null && exited is not null)
            return new KernelEmulationException(
                $"{exited.Describe()} exited while others wait at a barrier (Gpu.SyncThreads; e.g. {atBarrier.Describe()}). {Rule}",
                BlockIndex, new Dim3(exited.X, exited.Y, exited.Z));

        EmulatedThread any = atBarrier ?? Array.Find(_threads, t => t.State == ThreadState.Waiting)!;
        return new KernelEmulationException(
            $"Block ({BlockX},{BlockY},{BlockZ}) cannot make progress: {any.Describe()} waits at {Name(any.WaitingAt)}. {Rule}",
            BlockIndex, new Dim3(any.X, any.Y, any.Z));
    }

    private static string Name(Collective kind) => kind switch
    {
        Collective.SyncThreads => "Gpu.SyncThreads",
        Collective.SyncWarp => "Gpu.SyncWarp",
        Collective.ShuffleIdx => "Warp.Shuffle",
        Collective.ShuffleUp => "Warp.ShuffleUp",
        Collective.ShuffleDown => "Warp.ShuffleDown",
        Collective.ShuffleXor => "Warp.ShuffleXor",
        Collective.VoteAll => "Warp.All",
        Collective.VoteAny => "Warp.Any",
        Collective.VoteBallot => "Warp.Ballot",
        _ => "no collective",
    };
}
