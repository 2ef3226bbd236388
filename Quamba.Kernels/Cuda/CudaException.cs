namespace Quamba.Kernels.Cuda;

/// <summary>
/// A CUDA driver call failed, or a kernel cannot run on this device or driver. The message names the
/// operation, the driver's error (<see cref="ErrorName"/>, e.g. CUDA_ERROR_INVALID_PTX, and its text) and the fix;
/// for a module load it ends with the JIT compiler's log.
/// </summary>
public class CudaException : Exception
{
    public CudaException(string message, int errorCode = 0, string? errorName = null, string? jitErrorLog = null, string? jitInfoLog = null)
        : base(message)
    {
        ErrorCode = errorCode;
        ErrorName = errorName;
        JitErrorLog = jitErrorLog;
        JitInfoLog = jitInfoLog;
    }

    /// <summary>The CUresult (0 when the runtime itself refused, e.g. a too-old device).</summary>
    public int ErrorCode { get; }

    /// <summary>The driver's name for <see cref="ErrorCode"/> (cuGetErrorName), or null.</summary>
    public string? ErrorName { get; }

    /// <summary>ptxas's error output when a module failed to load, or null.</summary>
    public string? JitErrorLog { get; }

    /// <summary>ptxas's informational output (registers, spills) when a module failed to load, or null.</summary>
    public string? JitInfoLog { get; }
}

/// <summary>No usable CUDA driver or device on this machine: everything but the GPU itself still works.</summary>
public sealed class CudaUnavailableException : CudaException
{
    public CudaUnavailableException(string message, int errorCode = 0, string? errorName = null)
        : base(message, errorCode, errorName)
    {
    }
}
