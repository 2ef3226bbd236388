using System.Runtime.InteropServices;

namespace Quamba.Kernels.Emulation;

/// <summary>
/// A binary semaphore owned by one OS thread: <see cref="Park"/> blocks until <see cref="Unpark"/> was
/// called (before or after). Every emulated barrier costs one park/unpark per waiting thread, so on Linux
/// it is a bare futex word (two to three times cheaper than Monitor.Wait/Pulse); elsewhere a monitor.
/// It never spins: at most one carrier per emulated block runs at a time, so a spinning waiter would only
/// steal the core of the one that holds the baton.
/// </summary>
internal sealed unsafe class Parker
{
    // Futex word states: Empty, Signaled, or a waiter may be asleep in the kernel (so Unpark must wake it).
    private const int Empty = 0, Signaled = 1, Sleeping = -1;

    private readonly int[] _word = GC.AllocateArray<int>(1, pinned: true);
    private readonly object _gate = new();
    private bool _signaled;

    public void Park() => Park(Timeout.InfiniteTimeSpan);

    /// <summary>Parks for at most <paramref name="timeout"/> (infinite: -1 ms); false when nobody unparked in time.</summary>
    public bool Park(TimeSpan timeout)
    {
        if (Futex.Supported) return ParkFutex(timeout);
        lock (_gate)
        {
            while (!_signaled)
                if (!Monitor.Wait(_gate, timeout) && !_signaled) return false;
            _signaled = false;
            return true;
        }
    }

    public void Unpark()
    {
        if (Futex.Supported)
        {
            fixed (int* word = _word)
                if (Interlocked.Exchange(ref *word, Signaled) == Sleeping) Futex.WakeOne(word);
            return;
        }
        lock (_gate)
        {
            _signaled = true;
            Monitor.Pulse(_gate);
        }
    }

    private bool ParkFutex(TimeSpan timeout)
    {
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        fixed (int* word = _word)
        {
            while (true)
            {
                if (Interlocked.CompareExchange(ref *word, Empty, Signaled) == Signaled) return true;
                if (Interlocked.CompareExchange(ref *word, Sleeping, Empty) == Signaled) continue;
                long left = deadline == long.MaxValue ? -1 : deadline - Environment.TickCount64;
                if (left == 0 || left < -1)
                {
                    // Withdraw the sleeping mark; a signal that raced in is still taken.
                    return Interlocked.Exchange(ref *word, Empty) == Signaled;
                }
                Futex.Wait(word, Sleeping, left);
            }
        }
    }

    /// <summary>The Linux futex system call (x64 and arm64), through libc's syscall().</summary>
    private static class Futex
    {
        private const int WaitPrivate = 128, WakePrivate = 129; // FUTEX_WAIT|FUTEX_PRIVATE_FLAG, FUTEX_WAKE|...

        public static readonly bool Supported = OperatingSystem.IsLinux() && SyscallNumber != 0 && Probe();

        private static long SyscallNumber => RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 202,
            Architecture.Arm64 => 98,
            _ => 0,
        };

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", EntryPoint = "syscall")]
        private static extern long Syscall(long number, int* address, int operation, int value, TimeSpec* timeout, int* address2, int value3);

        public static void Wait(int* word, int expected, long milliseconds)
        {
            if (milliseconds < 0)
            {
                Syscall(SyscallNumber, word, WaitPrivate, expected, null, null, 0);
                return;
            }
            var timeout = new TimeSpec { Seconds = milliseconds / 1000, Nanoseconds = milliseconds % 1000 * 1_000_000 };
            Syscall(SyscallNumber, word, WaitPrivate, expected, &timeout, null, 0);
        }

        public static void WakeOne(int* word) => Syscall(SyscallNumber, word, WakePrivate, 1, null, null, 0);

        // A wake on an unwatched word returns 0 when the call exists; anything else (no libc, seccomp) falls back.
        private static bool Probe()
        {
            try
            {
                int word = 0;
                return Syscall(SyscallNumber, &word, WakePrivate, 1, null, null, 0) == 0;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }
    }
}
