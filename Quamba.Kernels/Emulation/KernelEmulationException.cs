namespace Quamba.Kernels.Emulation;

/// <summary>
/// A kernel failed on the CPU emulator: it threw (the original exception is <see cref="Exception.InnerException"/>),
/// or its threads diverged at a barrier or warp collective, which is undefined behaviour on a GPU.
/// The message names the block and thread.
/// </summary>
public sealed class KernelEmulationException : Exception
{
    public KernelEmulationException(string message, Dim3 blockIdx, Dim3 threadIdx, Exception? inner = null)
        : base(message, inner)
    {
        BlockIdx = blockIdx;
        ThreadIdx = threadIdx;
    }

    /// <summary>The block of the thread the message is about.</summary>
    public Dim3 BlockIdx { get; }

    /// <summary>The thread (within its block) the message is about.</summary>
    public Dim3 ThreadIdx { get; }
}
