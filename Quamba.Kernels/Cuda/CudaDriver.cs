namespace Quamba.Kernels.Cuda;

/// <summary>
/// The NVIDIA driver as a whole: whether it is installed, its CUDA version and its devices. Loading and
/// cuInit happen once, on first use; without a driver nothing here throws except <see cref="EnsureInitialized"/>.
/// </summary>
public static class CudaDriver
{
    private static readonly Lazy<(int Result, string? Problem)> s_init = new(Initialize);

    /// <summary>True when libcuda loads (a device may still be missing).</summary>
    public static bool IsInstalled => CudaNative.Handle != IntPtr.Zero;

    /// <summary>True when libcuda loads, cuInit succeeds and there is at least one device. Never throws.</summary>
    public static bool IsUsable
    {
        get
        {
            try
            {
                return s_init.Value.Problem is null && DeviceCount > 0;
            }
            catch (Exception)
            {
                return false;
            }
        }
    }

    /// <summary>The driver's CUDA version as 1000 * major + 10 * minor (13000 for CUDA 13.0).</summary>
    public static int Version
    {
        get
        {
            EnsureInitialized();
            CudaCheck.Ok(CudaNative.cuDriverGetVersion(out int version), "cuDriverGetVersion");
            return version;
        }
    }

    /// <summary>The number of CUDA devices (0 without a driver).</summary>
    public static int DeviceCount
    {
        get
        {
            if (s_init.Value.Problem is not null) return 0;
            return CudaNative.cuDeviceGetCount(out int count) == CudaNative.Success ? count : 0;
        }
    }

    /// <summary>Formats a driver version: 12080 -> "12.8".</summary>
    public static string FormatVersion(int version) => $"{version / 1000}.{version % 1000 / 10}";

    /// <summary>Loads libcuda and calls cuInit, or throws <see cref="CudaUnavailableException"/> saying why not.</summary>
    public static void EnsureInitialized()
    {
        (int result, string? problem) = s_init.Value;
        if (problem is not null) throw new CudaUnavailableException(problem, result, result == 0 ? null : CudaCheck.Describe(result).Name);
    }

    private static (int, string?) Initialize()
    {
        if (CudaNative.Handle == IntPtr.Zero)
            return (0, $"{CudaNative.Candidates[0]} was not found: install the NVIDIA driver (the CUDA toolkit is not needed), " +
                       $"check that it is on the loader path (ldconfig -p | grep libcuda), or run kernels on the CPU with KernelEmulator. " +
                       $"Tried: {string.Join(", ", CudaNative.Candidates)}.");
        int result = CudaNative.cuInit(0);
        if (result == CudaNative.Success) return (0, null);
        (string name, string text) = CudaCheck.Describe(result);
        return (result, $"The NVIDIA driver was found but cuInit failed: {name} ({text}). Check nvidia-smi, that the device " +
                        "is visible to this process (CUDA_VISIBLE_DEVICES, container runtime), and that the driver matches the kernel module.");
    }
}
