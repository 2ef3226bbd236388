namespace Quamba.Kernels.Emulation;

/// <summary>Runs a kernel method on the host for a grid and block, with GPU semantics.</summary>
public static class KernelEmulator
{
    /// <summary>Runs <paramref name="kernel"/> (a call of the kernel method with its arguments) once per thread.</summary>
    public static void Run(LaunchConfig config, Action kernel) => throw new NotSupportedException("Emulator not wired yet.");
}
