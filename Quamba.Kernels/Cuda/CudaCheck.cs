namespace Quamba.Kernels.Cuda;

/// <summary>Turns CUresult codes into <see cref="CudaException"/>s that say what failed and what to do.</summary>
internal static unsafe class CudaCheck
{
    public static void Ok(int result, string operation)
    {
        if (result != CudaNative.Success) throw Error(result, operation);
    }

    public static CudaException Error(int result, string operation, string? detail = null)
    {
        (string name, string text) = Describe(result);
        string hint = Hint(name);
        string message = $"{operation} failed: {name} ({text}).{(detail is null ? "" : " " + detail)}{(hint.Length == 0 ? "" : " " + hint)}";
        return new CudaException(message, result, name);
    }

    /// <summary>The driver's name and description of <paramref name="result"/>, falling back to the number.</summary>
    public static (string Name, string Text) Describe(int result)
    {
        string name = $"CUresult {result}", text = "no description";
        try
        {
            if (CudaNative.cuGetErrorName(result, out byte* n) == CudaNative.Success && n != null)
                name = new string((sbyte*)n);
            if (CudaNative.cuGetErrorString(result, out byte* t) == CudaNative.Success && t != null)
                text = new string((sbyte*)t);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
        return (name, text);
    }

    private static string Hint(string name) => name switch
    {
        "CUDA_ERROR_OUT_OF_MEMORY" => "Free device buffers (dispose them) or allocate less.",
        "CUDA_ERROR_INVALID_PTX" => "The PTX was rejected by the driver's JIT; its error log follows.",
        "CUDA_ERROR_UNSUPPORTED_PTX_VERSION" => "The PTX ISA version is newer than this driver supports: update the NVIDIA driver.",
        "CUDA_ERROR_NO_BINARY_FOR_GPU" => "The module has no code for this GPU's architecture.",
        "CUDA_ERROR_ILLEGAL_ADDRESS" or "CUDA_ERROR_LAUNCH_FAILED" =>
            "A kernel faulted (often an out-of-bounds access; run it on KernelEmulator to find the thread); the context is now unusable, restart the process.",
        "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES" => "Too many registers or threads per block for this kernel: use fewer threads per block.",
        "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED" or "CUDA_ERROR_STREAM_CAPTURE_IMPLICIT" or "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED" =>
            "A synchronous or legacy-stream operation ran during a stream capture: use only asynchronous work on the capturing stream.",
        "CUDA_ERROR_NOT_INITIALIZED" or "CUDA_ERROR_DEINITIALIZED" => "The driver is not initialised (or was shut down): create a CudaContext first.",
        _ => "",
    };
}
