namespace Quamba.Kernels.Cuda;

/// <summary>
/// Which driver a PTX ISA version needs, and whether a kernel can load on a given device and driver. Pure
/// functions, so the checks are tested without a GPU.
/// </summary>
public static class PtxCompatibility
{
    // PTX ISA version -> first CUDA release (driver) that loads it, from the PTX ISA release history.
    // From 8.0 on, PTX m.n ships with CUDA (m+4).n, except that CUDA 12.6 kept PTX 8.5 (so 8.6 -> 12.7 ...).
    private static readonly (int Ptx, int Cuda)[] s_table =
    [
        (60, 9000), (61, 9010), (62, 9020), (63, 10000), (64, 10010), (65, 10020),
        (70, 11000), (71, 11010), (72, 11020), (73, 11030), (74, 11040), (75, 11050), (76, 11060), (77, 11070), (78, 11080),
        (80, 12000), (81, 12010), (82, 12020), (83, 12030), (84, 12040), (85, 12050), (86, 12070), (87, 12080), (88, 12090),
        (90, 13000), (91, 13010), (92, 13020), (93, 13030), (94, 13040),
    ];

    /// <summary>The newest PTX ISA version this runtime has a table entry for.</summary>
    public static int LatestKnownPtxVersion => s_table[^1].Ptx;

    /// <summary>
    /// The minimum driver CUDA version (1000 * major + 10 * minor) that loads PTX ISA <paramref name="ptxVersion"/>
    /// (10 * major + minor: 80 = PTX 8.0). Versions newer than the table are extrapolated (PTX m.n -> CUDA (m+4).n).
    /// </summary>
    public static int MinimumDriverVersion(int ptxVersion)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ptxVersion, 10);
        foreach ((int ptx, int cuda) in s_table)
            if (ptx == ptxVersion) return cuda;
        if (ptxVersion < s_table[0].Ptx) return 9000; // every driver this runtime can use loads these
        if (ptxVersion > LatestKnownPtxVersion) return (ptxVersion / 10 + 4) * 1000 + ptxVersion % 10 * 10;
        // A gap inside the table (e.g. 6.6, 7.9): the next listed version's driver.
        foreach ((int ptx, int cuda) in s_table)
            if (ptx > ptxVersion) return cuda;
        return s_table[^1].Cuda;
    }

    /// <summary>
    /// Why <paramref name="kernel"/> cannot load on a device of compute capability <paramref name="deviceSm"/>
    /// (e.g. 90) under a driver of CUDA version <paramref name="driverVersion"/>, or null when it can.
    /// </summary>
    public static string? Check(KernelDescriptor kernel, int deviceSm, string deviceName, int driverVersion)
    {
        if (deviceSm < kernel.MinimumSm)
            return $"Kernel {kernel.Name} needs sm_{kernel.MinimumSm} (compute capability {kernel.MinimumSm / 10}.{kernel.MinimumSm % 10}) " +
                   $"but {deviceName} is sm_{deviceSm}: run it on a newer GPU, or on the CPU with KernelEmulator.";
        int needed = MinimumDriverVersion(kernel.PtxVersion);
        if (driverVersion < needed)
            return $"Kernel {kernel.Name} is PTX ISA {kernel.PtxVersion / 10}.{kernel.PtxVersion % 10}, which needs a CUDA " +
                   $"{CudaDriver.FormatVersion(needed)} driver, but the installed driver supports CUDA {CudaDriver.FormatVersion(driverVersion)}: " +
                   "update the NVIDIA driver.";
        return null;
    }
}
