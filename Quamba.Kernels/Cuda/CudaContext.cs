namespace Quamba.Kernels.Cuda;

/// <summary>The primary context of one CUDA device, and the modules loaded into it.</summary>
public sealed class CudaContext : IDisposable
{
    public static CudaContext Create(int device = 0) => throw new NotSupportedException("CUDA runtime not wired yet.");

    /// <summary>The stream used when a launcher is given none.</summary>
    public CudaStream DefaultStream => throw new NotSupportedException();

    /// <summary>Loads (once per context) the kernel's module and returns its function.</summary>
    public CudaFunction GetFunction(KernelDescriptor kernel) => throw new NotSupportedException();

    public CudaBuffer<T> Allocate<T>(int length) where T : unmanaged => throw new NotSupportedException();

    public void Synchronize() => throw new NotSupportedException();

    public void Dispose() { }
}

public sealed class CudaStream : IDisposable
{
    public CudaContext Context => throw new NotSupportedException();

    public void Synchronize() => throw new NotSupportedException();

    public void Dispose() { }
}

public sealed class CudaFunction
{
    /// <summary>Launches with a kernel-parameter array laid out as cuLaunchKernel expects.</summary>
    public unsafe void Launch(LaunchConfig config, CudaStream? stream, void** arguments) => throw new NotSupportedException();
}
