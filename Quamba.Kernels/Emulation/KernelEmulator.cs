namespace Quamba.Kernels.Emulation;

/// <summary>
/// Runs a kernel method on the host for a grid and block, with GPU semantics: barriers, warp shuffles and
/// votes, static and dynamic shared memory (not zeroed: see <see cref="SharedMemoryArena"/>) and atomics.
/// <para>
/// Threads of a block run one at a time on pooled OS threads ("carriers"), handing a baton on when they
/// wait at a collective, so every collective sees all its participants exactly as on a GPU; blocks run in
/// parallel, one per core. A kernel without collectives costs no thread switches at all.
/// </para>
/// <para>
/// Errors: an exception in a kernel stops the launch and is rethrown as <see cref="KernelEmulationException"/>
/// naming the block and thread (the original is the inner exception); a thread that returns while others
/// wait at a barrier, or lanes of a warp at different collectives, are reported the same way instead of
/// hanging.
/// </para>
/// </summary>
public static class KernelEmulator
{
    /// <summary>Runs <paramref name="kernel"/> (a call of the kernel method with its arguments) once per thread.</summary>
    public static void Run(LaunchConfig config, Action kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        LaunchLimits.Validate(config);
        if (EmulatedThread.IsInsideKernel)
            throw new InvalidOperationException("KernelEmulator.Run was called from inside an emulated kernel; kernels cannot launch kernels.");
        new LaunchExecution(config, kernel).Run();
    }

    /// <summary>Runs a one-dimensional launch of <paramref name="blocks"/> x <paramref name="threadsPerBlock"/>.</summary>
    public static void Run(int blocks, int threadsPerBlock, Action kernel) =>
        Run(new LaunchConfig(blocks, threadsPerBlock), kernel);
}
